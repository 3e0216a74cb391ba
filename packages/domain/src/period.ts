/** Reporting periods of the strategy: months 'YYYY-MM', quarters 'YYYY-Qn' and years 'YYYY', all in UTC. */
export const FREQUENCIES = ['month', 'quarter', 'year'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const PATTERNS: Record<Frequency, RegExp> = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

/** The frequency a period string is written in, or undefined when it is not a period. */
export function periodFrequency(period: string): Frequency | undefined {
  return FREQUENCIES.find((f) => PATTERNS[f].test(period));
}

/** Whether `period` is a well-formed period of that frequency. */
export const isPeriodOf = (period: string, frequency: Frequency): boolean => PATTERNS[frequency].test(period);

const pad = (n: number) => String(n).padStart(2, '0');

/** First day of a period and first day after it, as 'YYYY-MM-DD' (end exclusive). */
export function periodBounds(period: string): { start: string; end: string } {
  const f = periodFrequency(period);
  const year = Number(period.slice(0, 4));
  if (f === 'year') return { start: `${year}-01-01`, end: `${year + 1}-01-01` };
  if (f === 'quarter') {
    const q = Number(period.slice(6));
    const m = (q - 1) * 3 + 1;
    const endM = m + 3;
    return { start: `${year}-${pad(m)}-01`, end: endM > 12 ? `${year + 1}-01-01` : `${year}-${pad(endM)}-01` };
  }
  if (f === 'month') {
    const m = Number(period.slice(5, 7));
    return { start: `${year}-${pad(m)}-01`, end: m === 12 ? `${year + 1}-01-01` : `${year}-${pad(m + 1)}-01` };
  }
  throw new Error(`not a period: ${period}`);
}

/** The period of a frequency that contains a day ('YYYY-MM-DD' or an ISO instant). */
export function periodContaining(day: string, frequency: Frequency): string {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  if (frequency === 'year') return year;
  if (frequency === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${pad(month)}`;
}

/** Every period of a frequency that overlaps the days from..to (inclusive), in order. */
export function periodsBetween(from: string, to: string, frequency: Frequency): string[] {
  const out: string[] = [];
  let p = periodContaining(from, frequency);
  while (periodBounds(p).start <= to) {
    out.push(p);
    p = nextPeriod(p);
  }
  return out;
}

/** The period right after this one. */
export function nextPeriod(period: string): string {
  const f = periodFrequency(period);
  if (!f) throw new Error(`not a period: ${period}`);
  return periodContaining(periodBounds(period).end, f);
}

/** Whether a period overlaps the inclusive day range from..to. */
export function periodOverlaps(period: string, from: string, to: string | null): boolean {
  const b = periodBounds(period);
  return b.end > from && (to === null || b.start <= to);
}

/** The indicator period on which an evaluation of `period` assesses an indicator of `frequency`: the one holding the evaluation period's last day. */
export function assessedPeriod(period: string, frequency: Frequency): string {
  const end = periodBounds(period).end;
  const last = new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return periodContaining(last, frequency);
}

/** French label of a period: "mars 2026", "T1 2026", "2026". */
export function periodLabel(period: string, lang: 'fr' | 'en' = 'fr'): string {
  const f = periodFrequency(period);
  if (f === 'year') return period;
  if (f === 'quarter') return lang === 'fr' ? `T${period.slice(6)} ${period.slice(0, 4)}` : `Q${period.slice(6)} ${period.slice(0, 4)}`;
  if (f === 'month') {
    const d = new Date(`${period}-01T00:00:00Z`);
    return d.toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  }
  return period;
}
