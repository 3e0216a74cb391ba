/** Pure shaping of aggregate rows into chart series for the dashboard. */
import type { AggregateRow } from '../../api/types';

export type SeriesMeasure = 'incidents' | 'fatalities' | 'civilian_fatalities';

/** One value per month and event type (types in the given order, only those with data). */
export function monthlyByType(rows: AggregateRow[], months: string[], types: readonly string[], measure: SeriesMeasure): { type: string; values: number[] }[] {
  const index = new Map(months.map((m, i) => [m, i]));
  const byType = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(r.month ?? '');
    if (i === undefined || !r.event_type) continue;
    let arr = byType.get(r.event_type);
    if (!arr) byType.set(r.event_type, (arr = months.map(() => 0)));
    arr[i] += r[measure];
  }
  return types.filter((t) => byType.get(t)?.some((v) => v > 0)).map((type) => ({ type, values: byType.get(type) ?? [] }));
}

/** Totals per month over every type. */
export function monthlyTotals(rows: AggregateRow[], months: string[]): Record<SeriesMeasure, number[]> {
  const index = new Map(months.map((m, i) => [m, i]));
  const out: Record<SeriesMeasure, number[]> = { incidents: months.map(() => 0), fatalities: months.map(() => 0), civilian_fatalities: months.map(() => 0) };
  for (const r of rows) {
    const i = index.get(r.month ?? '');
    if (i === undefined) continue;
    out.incidents[i] += r.incidents;
    out.fatalities[i] += r.fatalities;
    out.civilian_fatalities[i] += r.civilian_fatalities;
  }
  return out;
}

/** Civilian share of fatalities (0–1), null for a month without fatalities (no share to speak of). */
export function civilianShare(fatalities: number[], civilians: number[]): (number | null)[] {
  return fatalities.map((f, i) => (f > 0 ? (civilians[i] ?? 0) / f : null));
}

/** Cumulative sums for stacked bars: row k is the sum of series 0…k. */
export function stackSeries(series: number[][]): number[][] {
  const out: number[][] = [];
  series.forEach((s, k) => out.push(s.map((v, i) => v + (k > 0 ? out[k - 1][i] : 0))));
  return out;
}

/** A month's first instant in Unix seconds, the x value of the charts. */
export const monthToUnix = (month: string): number => Date.parse(`${month}-01T00:00:00Z`) / 1000;

/** True while a month is not over (its figures are partial): the current month, or a later one. */
export const isPartialMonth = (month: string, now = new Date()): boolean => month >= now.toISOString().slice(0, 7);

/** A trend leaves incomplete periods out: their value becomes null (no point, no line to it). */
export const withoutPartial = <T,>(values: (T | null)[], partial: boolean[]): (T | null)[] => values.map((v, i) => (partial[i] ? null : v));
