import { AGGREGATE_MEASURES, type AggregateDimension, type AggregateFilter, type Principal } from '@vigie/domain';
import { sql, type RawBuilder } from 'kysely';
import type { Engine, Trx } from '../db/engine.js';
import { aggregateFromIncidents, periodKey, rollupCanAnswer, statusesOf, type AggregateRow } from './aggregate.repository.js';
import { rollupVisibleTo } from './visibility.js';

// Aggregates from the area and cell rollups (db/rollups-place.ts): whole months and whole dekads from there, the
// days left at the edges of the period (at most nine at each end) from the incidents.

export type PlaceRollup = 'area' | 'cell';

const AREA_DIMENSIONS: AggregateDimension[] = ['state', 'admin1', 'admin2', 'month', 'quarter', 'year'];
const CELL_DIMENSIONS: AggregateDimension[] = ['state', 'event_type', 'month', 'quarter', 'year'];

/** A bounding box whose four edges lie on the 0.5° grid (x * 2 is an integer, exactly in binary floating point). */
export function gridBox(bbox: string | undefined): { minLon: number; minLat: number; maxLon: number; maxLat: number } | null {
  if (!bbox) return null;
  const [minLon, minLat, maxLon, maxLat] = bbox.split(',').map(Number) as [number, number, number, number];
  if (![minLon, minLat, maxLon, maxLat].every((x) => Number.isInteger(x * 2))) return null;
  return { minLon, minLat, maxLon, maxLat };
}

/**
 * Which of these rollups gives exactly the answer of the incidents, if one does: the cells for a bounding box on the
 * 0.5° grid, the areas for admin-2 areas (the monthly rollup answers admin-1 areas with fewer rows). Otherwise null.
 */
export function placeRollupFor(principal: Principal, f: AggregateFilter, dims: AggregateDimension[]): PlaceRollup | null {
  if (!rollupCanAnswer(principal, { ...f, bbox: undefined }) || f.sub_event_types?.length) return null;
  if (f.bbox) {
    if (!gridBox(f.bbox) || f.admin1?.length || f.admin2?.length || !dims.every((d) => CELL_DIMENSIONS.includes(d))) return null;
    return 'cell';
  }
  if (f.event_types?.length || !dims.every((d) => AREA_DIMENSIONS.includes(d))) return null;
  return 'area';
}

interface DayRange { from: string; to: string }

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
const dekadStart = (day: string) => `${day.slice(0, 8)}${day.slice(8) < '11' ? '01' : day.slice(8) < '21' ? '11' : '21'}`;
const dekadEnd = (start: string) => (start.endsWith('21') ? addDays(`${addDays(start, 15).slice(0, 8)}01`, -1) : addDays(start, 9));

const addMonths = (month: string, n: number) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1)).toISOString().slice(0, 7);

/** The months from `from` to `to` ('YYYY-MM'), when there are at most 240 of them (else null: read as a range). */
function monthsBetween(from: string, to: string): string[] | null {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) {
    if (out.length === 240) return null;
    out.push(m);
  }
  return out;
}

/**
 * A period as whole months, whole dekads (by their first day) and the days left over (at most nine at each edge).
 * Open ends are whole months.
 */
export function splitByDekad(from: string | undefined, to: string | undefined): { months?: { from?: string; to?: string }; dekads: string[]; days: DayRange[] } {
  const firstFull = from ? (from.endsWith('-01') ? from.slice(0, 7) : addMonths(from.slice(0, 7), 1)) : undefined;
  const lastFull = to ? (addDays(to, 1).endsWith('-01') ? to.slice(0, 7) : addMonths(to.slice(0, 7), -1)) : undefined;
  const edges: DayRange[] = [];
  let months: { from?: string; to?: string } | undefined = { from: firstFull, to: lastFull };
  if (from && to && firstFull && lastFull && firstFull > lastFull) {
    months = undefined;
    edges.push({ from, to });
  } else {
    if (from && firstFull && from < `${firstFull}-01`) edges.push({ from, to: addDays(`${firstFull}-01`, -1) });
    if (to && lastFull && to >= `${addMonths(lastFull, 1)}-01`) edges.push({ from: `${addMonths(lastFull, 1)}-01`, to });
  }
  const dekads: string[] = [];
  const days: DayRange[] = [];
  for (const e of edges) {
    const whole: string[] = [];
    for (let s = dekadStart(e.from); s <= e.to; s = addDays(dekadEnd(s), 1)) if (s >= e.from && dekadEnd(s) <= e.to) whole.push(s);
    if (!whole.length) {
      days.push(e);
      continue;
    }
    dekads.push(...whole);
    if (e.from < whole[0]!) days.push({ from: e.from, to: addDays(whole[0]!, -1) });
    const end = dekadEnd(whole[whole.length - 1]!);
    if (end < e.to) days.push({ from: addDays(end, 1), to: e.to });
  }
  return { months, dekads, days };
}

function dimension(engine: Engine, t: string, d: AggregateDimension): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${t}.${name}`);
  switch (d) {
    case 'state': return c('reporting_state');
    case 'admin1': return sql`nullif(${c('admin1_code')}, '')`;
    case 'admin2': return sql`nullif(${c('admin2_code')}, '')`;
    case 'event_type': return c('event_type');
    case 'month': case 'quarter': case 'year': return periodKey(engine, sql<string>`${c('period')}`, d);
    default: throw new Error(`the ${t} rollup has no ${d}`);
  }
}

/** The rows of cells inside the box, at the point the reader sees (the coarse one below the location's clearance). */
function inBox(t: string, principal: Principal, box: NonNullable<ReturnType<typeof gridBox>>): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${t}.${name}`);
  // A cell [k/2, (k+1)/2) is inside when minimum ≤ k/2 and (k+1)/2 ≤ maximum; a cell starting on the maximum holds
  // only the points on that line (flagged in the key). The ranges come first so that the engines seek them.
  const axis = (cellCol: string, lineCol: string, min: number, max: number) =>
    sql`${c(cellCol)} >= ${min * 2} and ${c(cellCol)} <= ${max * 2} and (${c(cellCol)} <= ${max * 2 - 1} or ${c(lineCol)} = 1)`;
  const point = principal.kind === 'system'
    ? sql`${c('point')} = 'e'`
    : sql`((${c('point')} = 'e' and ${c('location_level')} <= ${principal.clearance}) or (${c('point')} = 'c' and ${c('location_level')} > ${principal.clearance}))`;
  return sql`${axis('cy', 'ly', box.minLat, box.maxLat)} and ${axis('cx', 'lx', box.minLon, box.maxLon)} and ${point}`;
}

function part(engine: Engine, which: PlaceRollup, principal: Principal, f: AggregateFilter, dims: AggregateDimension[], period: RawBuilder<unknown>): RawBuilder<unknown> {
  const t = which === 'area' ? 'incident_rollup_area' : 'incident_rollup_cell';
  const c = (name: string) => sql.ref(`${t}.${name}`);
  const conds: RawBuilder<unknown>[] = [period, sql`${c('status')} in (${sql.join(statusesOf(f))})`, sql`${rollupVisibleTo(principal, t, null)}`];
  const list = (column: string, values: string[] | undefined) => {
    if (values?.length) conds.push(sql`${c(column)} in (${sql.join(values)})`);
  };
  list('reporting_state', f.states);
  if (which === 'area') {
    list('admin1_code', f.admin1);
    list('admin2_code', f.admin2);
  } else {
    list('event_type', f.event_types);
    const box = gridBox(f.bbox);
    if (box) conds.push(inBox(t, principal, box));
  }
  const selects = [
    ...dims.map((d, i) => sql`${dimension(engine, t, d)} as ${sql.ref(`d${i}`)}`),
    ...AGGREGATE_MEASURES.map((m) => sql`sum(${c(m)}) as ${sql.ref(m)}`),
  ];
  const groups = dims.length ? sql` group by ${sql.raw(dims.map((_, i) => String(i + 1)).join(', '))}` : sql``;
  return sql`select ${sql.join(selects)} from ${sql.table(t)} where ${sql.join(conds, sql` and `)}${groups}`;
}

/**
 * The rows of a place rollup (db/rollups-place.ts) that hold a split period's whole months and dekads, one condition
 * each; `together`: one condition for both when every month is named (a month 'YYYY-MM' and a dekad 'YYYY-MM-DD' are
 * never the same period), which the engines read as one set of seeks.
 */
export function rollupPeriods(split: ReturnType<typeof splitByDekad>, together = false): RawBuilder<unknown>[] {
  const periods: RawBuilder<unknown>[] = [];
  if (together) {
    const m = split.months;
    const months = m ? (m.from && m.to ? monthsBetween(m.from, m.to) : null) : [];
    if (months) {
      const named = [...months, ...split.dekads];
      return named.length ? [sql`grain in ('m', 'd') and period in (${sql.join(named)})`] : [];
    }
  }
  if (split.months) {
    const m = split.months;
    const listed = m.from && m.to ? monthsBetween(m.from, m.to) : null;
    // Months named one by one: the engine seeks each month's cells in the box instead of reading every cell of the range.
    if (listed?.length) periods.push(sql`grain = 'm' and period in (${sql.join(listed)})`);
    else if (!listed) periods.push(sql`grain = 'm'${m.from ? sql` and period >= ${m.from}` : sql``}${m.to ? sql` and period <= ${m.to}` : sql``}`);
  }
  if (split.dekads.length) periods.push(sql`grain = 'd' and period in (${sql.join(split.dekads)})`);
  return periods;
}

/** Groups from the area or cell rollup (call only when `placeRollupFor` names it), with the edge days from elsewhere. */
export async function aggregateFromPlaceRollup(
  engine: Engine, trx: Trx, which: PlaceRollup, principal: Principal, f: AggregateFilter, dims: AggregateDimension[],
): Promise<AggregateRow[]> {
  const split = splitByDekad(f.from?.slice(0, 10), f.to);
  const periods = rollupPeriods(split);
  const parts = await Promise.all([
    ...(periods.length ? [sql<AggregateRow>`${sql.join(periods.map((p) => part(engine, which, principal, f, dims, p)), sql` union all `)}`.execute(trx).then((r) => r.rows)] : []),
    // A few days of incidents: one range of the covering index incidents_aggregate_scan (on PostgreSQL cheaper than
    // the same days of the daily rollup, whose rows are scattered over the heap).
    ...split.days.map((d) => aggregateFromIncidents(engine, trx, principal, { ...f, ...d }, dims)),
  ]);
  // The parts' sums by group; an empty group (rows emptied by deletions) is no group.
  const groups = new Map<string, AggregateRow>();
  for (const row of parts.flat()) {
    const key = JSON.stringify(dims.map((_, i) => row[`d${i}`] ?? null));
    const g = groups.get(key);
    if (!g) {
      const copy: AggregateRow = { ...row };
      for (const m of AGGREGATE_MEASURES) copy[m] = Number(row[m] ?? 0);
      groups.set(key, copy);
    } else for (const m of AGGREGATE_MEASURES) g[m] = Number(g[m]) + Number(row[m] ?? 0);
  }
  return [...groups.values()].filter((g) => Number(g.incidents) > 0);
}
