/** Pure helpers of the situation report pages. */
import type { SitrepHead } from '@vigie/domain/sitrep.schema';

/** The ISO week ('YYYY-Www') before the one holding `now`: the last full week, the default of the form. */
export function lastFullWeek(now: Date): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 7 * 86_400_000);
  const dow = (day.getUTCDay() + 6) % 7;
  const thursday = new Date(day.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const week1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  return `${year}-W${String(Math.floor((thursday.getTime() - week1) / (7 * 86_400_000)) + 1).padStart(2, '0')}`;
}

/** The month before the one holding `now` ('YYYY-MM'). */
export function lastFullMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The week number of a report's period ('2026-W48' → 48). */
export const weekNumber = (r: Pick<SitrepHead, 'period'>): number => Number(r.period.slice(6));
