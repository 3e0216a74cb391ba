/**
 * Period-over-period comparison: a period (ISO week, month, quarter, year or a custom day range), the period right
 * before it and the same period a year earlier, all as inclusive UTC day ranges 'YYYY-MM-DD'. A period not over yet is
 * compared like for like: its days so far against the same number of first days of the other two ("to date").
 */
export const COMPARE_PERIODS = ['week', 'month', 'quarter', 'year', 'custom'] as const;
export type ComparePeriod = (typeof COMPARE_PERIODS)[number];

/** An inclusive range of UTC days with the key that names it ('2026-W48', '2026-11', '2026-Q4', '2026', or 'from/to'). */
export interface DaySpan {
  key: string;
  from: string;
  to: string;
}

export interface Comparison {
  period: ComparePeriod;
  current: DaySpan;
  previous: DaySpan;
  last_year: DaySpan;
  /** False while the current period is not over: its figures cover `elapsed_days` of `days`. */
  complete: boolean;
  days: number;
  elapsed_days: number;
}

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => iso(ms(day) + n * DAY);
/** Days from `from` to `to`, both counted. */
export const daysBetween = (from: string, to: string): number => Math.round((ms(to) - ms(from)) / DAY) + 1;

/** Monday of ISO week 1 of an ISO year (the week holding 4 January). */
function isoYearStart(year: number): string {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  return iso(jan4 - dow * DAY);
}

/** The ISO week 'YYYY-Www' holding a day ('YYYY-MM-DD' or an instant). */
export function isoWeekOf(day: string): string {
  const t = ms(day.slice(0, 10));
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - dow) * DAY; // the ISO year is the year of the week's Thursday
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - ms(isoYearStart(year))) / (7 * DAY)) + 1;
  return `${year}-W${pad(week)}`;
}

/** Number of ISO weeks (52 or 53) of an ISO year. */
export const isoWeeksIn = (year: number): number => Number(isoWeekOf(`${year}-12-28`).slice(6));

const KEY_PATTERNS: Record<Exclude<ComparePeriod, 'custom'>, RegExp> = {
  week: /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/,
  month: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};

/** Whether a key names a period of that kind ('2026-W53' only in a year that has one). */
export function isPeriodKey(kind: Exclude<ComparePeriod, 'custom'>, key: string): boolean {
  const m = KEY_PATTERNS[kind].exec(key);
  if (!m) return false;
  return kind !== 'week' || Number(m[2]) <= isoWeeksIn(Number(m[1]));
}

/** The period of a kind holding a day. */
export function periodKeyOf(kind: Exclude<ComparePeriod, 'custom'>, day: string): string {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  if (kind === 'week') return isoWeekOf(day);
  if (kind === 'month') return day.slice(0, 7);
  if (kind === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return year;
}

/** First and last day of a period key. */
export function periodSpan(kind: Exclude<ComparePeriod, 'custom'>, key: string): DaySpan {
  const year = Number(key.slice(0, 4));
  if (kind === 'week') {
    const from = addDays(isoYearStart(year), (Number(key.slice(6)) - 1) * 7);
    return { key, from, to: addDays(from, 6) };
  }
  if (kind === 'year') return { key, from: `${year}-01-01`, to: `${year}-12-31` };
  const firstMonth = kind === 'month' ? Number(key.slice(5, 7)) : (Number(key.slice(6)) - 1) * 3 + 1;
  const months = kind === 'month' ? 1 : 3;
  const end = firstMonth + months > 12 ? `${year + 1}-01-01` : `${year}-${pad(firstMonth + months)}-01`;
  return { key, from: `${year}-${pad(firstMonth)}-01`, to: addDays(end, -1) };
}

/** The same day a year earlier (29 February becomes the 28th). */
export function yearEarlier(day: string): string {
  const y = Number(day.slice(0, 4)) - 1;
  const md = day.slice(5);
  if (md === '02-29') return `${y}-02-28`;
  return `${y}-${md}`;
}

function previousKey(kind: Exclude<ComparePeriod, 'custom'>, key: string): string {
  return periodKeyOf(kind, addDays(periodSpan(kind, key).from, -1));
}

function lastYearKey(kind: Exclude<ComparePeriod, 'custom'>, key: string): string {
  const year = Number(key.slice(0, 4)) - 1;
  if (kind === 'year') return String(year);
  if (kind === 'week') return `${year}-W${pad(Math.min(Number(key.slice(6)), isoWeeksIn(year)))}`;
  return `${year}${key.slice(4)}`;
}

/**
 * The three periods of a comparison. `anchor` is a period key (default: the period holding `today`); a custom period
 * is `from`..`to`, compared with as many days right before it and with the same days a year earlier.
 */
export function resolveComparison(
  kind: ComparePeriod, opts: { anchor?: string; from?: string; to?: string; today: string },
): Comparison {
  let current: DaySpan;
  let previous: DaySpan;
  let lastYear: DaySpan;
  if (kind === 'custom') {
    const from = opts.from as string;
    const to = opts.to as string;
    const n = daysBetween(from, to);
    current = { key: `${from}/${to}`, from, to };
    const pTo = addDays(from, -1);
    const pFrom = addDays(pTo, -(n - 1));
    previous = { key: `${pFrom}/${pTo}`, from: pFrom, to: pTo };
    const lFrom = yearEarlier(from);
    const lTo = yearEarlier(to);
    lastYear = { key: `${lFrom}/${lTo}`, from: lFrom, to: lTo };
  } else {
    const key = opts.anchor ?? periodKeyOf(kind, opts.today);
    current = periodSpan(kind, key);
    previous = periodSpan(kind, previousKey(kind, key));
    lastYear = periodSpan(kind, lastYearKey(kind, key));
  }
  const days = daysBetween(current.from, current.to);
  const complete = current.to < opts.today;
  const elapsed = complete ? days : Math.max(0, daysBetween(current.from, opts.today));
  return { period: kind, current, previous, last_year: lastYear, complete, days, elapsed_days: elapsed };
}

/** The first `n` days of a span (the like-for-like part of a complete period compared with one not over). */
export const firstDays = (span: DaySpan, n: number): DaySpan => ({ key: span.key, from: span.from, to: addDays(span.from, n - 1) < span.to ? addDays(span.from, n - 1) : span.to });

/** A change between two figures: the difference and the relative change (null when the base is 0). */
export function figureChange(current: number, base: number): { delta: number; ratio: number | null } {
  return { delta: current - base, ratio: base > 0 ? (current - base) / base : null };
}
