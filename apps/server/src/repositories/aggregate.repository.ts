import { AGGREGATE_MEASURES, type AggregateDimension, type AggregateFilter, type AggregateItem, type AggregateTotals, type IncidentStatus, type Principal, reviewsOwnState } from '@vigie/domain';
import { sql, type RawBuilder } from 'kysely';
import type { Engine, Trx } from '../db/engine.js';
import { applyIncidentFilter } from './incident.repository.js';
import { visibleCoordinate } from './visibility.js';

/** One group as the database returns it: dimension values d0…dn and the sums. */
export type AggregateRow = Record<string, string | number | null>;

const ord = (n: number) => sql.raw(Array.from({ length: n }, (_, i) => String(i + 1)).join(', '));

/** A period key of a 'YYYY-MM-DD' day expression, with text functions only (the ISO week is an engine capability). */
export function periodKey(engine: Engine, day: RawBuilder<string>, period: 'week' | 'month' | 'quarter' | 'year'): RawBuilder<string> {
  switch (period) {
    case 'week':
      return engine.isoWeek(day);
    case 'month':
      return sql<string>`substr(${day}, 1, 7)`;
    case 'quarter':
      return sql<string>`substr(${day}, 1, 4) || '-Q' || cast((cast(substr(${day}, 6, 2) as integer) + 2) / 3 as text)`;
    case 'year':
      return sql<string>`substr(${day}, 1, 4)`;
  }
}

type Source = { day: RawBuilder<string>; column(d: Exclude<AggregateDimension, 'week' | 'month' | 'quarter' | 'year'>): RawBuilder<unknown> };

/** Raw incidents: actor_kind is the kind of actor 1, looked up by key. */
const RAW: Source = {
  day: sql<string>`substr(incidents.occurred_start, 1, 10)`,
  column(d) {
    switch (d) {
      case 'state': return sql`incidents.reporting_state`;
      case 'admin1': return sql`incidents.admin1_code`;
      case 'admin2': return sql`incidents.admin2_code`;
      case 'event_type': return sql`incidents.event_type`;
      case 'sub_event_type': return sql`incidents.sub_event_type`;
      case 'actor_kind': return sql`(select actors.kind from actors where actors.code = incidents.actor1)`;
    }
  },
};

/** The rollup stores '' and 0 for "none"; they come back as null, as from the raw incidents. */
const ROLLUP: Source = {
  day: sql<string>`incident_rollup.day`,
  column(d) {
    switch (d) {
      case 'state': return sql`incident_rollup.reporting_state`;
      case 'admin1': return sql`nullif(incident_rollup.admin1_code, '')`;
      case 'admin2': return sql`nullif(incident_rollup.admin2_code, '')`;
      case 'event_type': return sql`incident_rollup.event_type`;
      case 'sub_event_type': return sql`incident_rollup.sub_event_type`;
      case 'actor_kind': return sql`nullif(incident_rollup.actor_kind, 0)`;
    }
  },
};

function dimensionSql(engine: Engine, src: Source, d: AggregateDimension): RawBuilder<unknown> {
  if (d === 'week' || d === 'month' || d === 'quarter' || d === 'year') return periodKey(engine, src.day, d);
  return src.column(d);
}

/** Statuses a query covers: validated unless the client asks otherwise. */
export const statusesOf = (f: AggregateFilter): IncidentStatus[] => (f.status?.length ? f.status : ['validated']);

const isDate = (s: string) => s.length === 10;
const isMidnight = (s: string) => /^\d{4}-\d{2}-\d{2}T00:00(:00(\.0+)?)?(Z|[+-]00:?00)$/.test(s);

/**
 * Whether the daily rollup gives exactly the answer the raw incidents would: no filter on actors, place or text,
 * whole days, and only statuses whose visibility does not depend on who reported the record (drafts are their
 * reporter's; submitted and rejected reports are their reporter's too for readers who do not review).
 */
export function rollupCanAnswer(principal: Principal, f: AggregateFilter): boolean {
  if (f.actors?.length || f.bbox || f.q) return false;
  if (f.from && !isDate(f.from) && !isMidnight(f.from)) return false;
  if (f.to && !isDate(f.to)) return false;
  if (principal.kind === 'system') return true;
  const readable: IncidentStatus[] = reviewsOwnState(principal) ? ['validated', 'merged', 'submitted', 'rejected'] : ['validated', 'merged'];
  return statusesOf(f).every((s) => readable.includes(s));
}

type RollupTable = 'incident_rollup' | 'incident_rollup_month';

/** What the monthly rollup keeps: dimensions it can group by (besides periods of a month or longer). */
const MONTH_DIMENSIONS: AggregateDimension[] = ['state', 'admin1', 'event_type', 'month', 'quarter', 'year'];

/** The monthly rollup's rows, as a source of dimensions: a month is read as its first day. */
const MONTH_ROLLUP: Source = {
  day: sql<string>`(incident_rollup_month.month || '-01')`,
  column(d) {
    switch (d) {
      case 'state': return sql`incident_rollup_month.reporting_state`;
      case 'admin1': return sql`nullif(incident_rollup_month.admin1_code, '')`;
      case 'event_type': return sql`incident_rollup_month.event_type`;
      default: throw new Error(`the monthly rollup has no ${d}`);
    }
  },
};

/**
 * The visibility rule of repositories/visibility.ts on a rollup's columns, for the statuses `rollupCanAnswer` lets
 * through. The property test in aggregate.service.test.ts holds rollups and incidents to the same answers.
 */
function rollupVisibleTo(t: RollupTable, principal: Principal): RawBuilder<unknown> {
  if (principal.kind === 'system') return sql`1 = 1`;
  const c = (name: string) => sql.ref(`${t}.${name}`);
  const own = sql`${c('reporting_state')} = ${principal.organisation}`;
  const shared = sql`(${c('status')} in ('validated', 'merged') and (${own} or ${c('sharing_scope')} in ('confederation', 'public')))`;
  const reviewed = reviewsOwnState(principal) ? sql` or (${c('status')} in ('submitted', 'rejected') and ${own})` : sql``;
  return sql`${c('classification_level')} <= ${principal.clearance} and (${shared}${reviewed})`;
}

interface DayRange { from?: string; to?: string }

/** One rollup's groups over a range of days (daily) or months (monthly), before the final sum. */
function rollupPart(engine: Engine, t: RollupTable, principal: Principal, f: AggregateFilter, dims: AggregateDimension[], range: DayRange): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${t}.${name}`);
  const src = t === 'incident_rollup' ? ROLLUP : MONTH_ROLLUP;
  const period = t === 'incident_rollup' ? c('day') : c('month');
  const conds: RawBuilder<unknown>[] = [sql`${c('status')} in (${sql.join(statusesOf(f))})`, rollupVisibleTo(t, principal)];
  if (range.from) conds.push(sql`${period} >= ${range.from}`);
  if (range.to) conds.push(sql`${period} <= ${range.to}`);
  const list = (column: string, values: string[] | undefined) => {
    if (values?.length) conds.push(sql`${c(column)} in (${sql.join(values)})`);
  };
  list('reporting_state', f.states);
  list('admin1_code', f.admin1);
  list('event_type', f.event_types);
  list('admin2_code', f.admin2);
  list('sub_event_type', f.sub_event_types);
  // A week is grouped by its days here and named once per group in the outer query: the ISO week's text function
  // then runs over the groups, not over every rollup row (13 weeks at 1,000,000 incidents: 2,700 against 32,000).
  // The measures are summed as 4-byte integers (one rollup row's counts stay far below 2^31): PostgreSQL adds
  // bigint sums of those rather than numeric sums of bigints, and with the narrower groups it hashes rather than
  // sorts (at 1,000,000 incidents the 12-week history query went from ~130 ms to ~40 ms).
  const selects = [
    ...dims.map((d, i) => sql`${d === 'week' ? src.day : dimensionSql(engine, src, d)} as ${sql.ref(`d${i}`)}`),
    ...AGGREGATE_MEASURES.map((m) => sql`sum(cast(${c(m)} as integer)) as ${sql.ref(m)}`),
  ];
  return sql`select ${sql.join(selects)} from ${sql.table(t)} where ${sql.join(conds, sql` and `)}${dims.length ? sql` group by ${ord(dims.length)}` : sql``}`;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
const addMonths = (month: string, n: number) => {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};

/**
 * Splits a period into whole months, for the monthly rollup, and the partial months at its edges, for the daily
 * one. No whole month inside: all days.
 */
export function splitByMonth(from: string | undefined, to: string | undefined): { months?: DayRange; days: DayRange[] } {
  const firstFull = from ? (from.endsWith('-01') ? from.slice(0, 7) : addMonths(from.slice(0, 7), 1)) : undefined;
  const lastFull = to ? (addDays(to, 1).endsWith('-01') ? to.slice(0, 7) : addMonths(to.slice(0, 7), -1)) : undefined;
  if (firstFull && lastFull && firstFull > lastFull) return { days: [{ from, to }] };
  const days: DayRange[] = [];
  if (from && firstFull && from < `${firstFull}-01`) days.push({ from, to: addDays(`${firstFull}-01`, -1) });
  if (to && lastFull && to > addDays(`${addMonths(lastFull, 1)}-01`, -1)) days.push({ from: `${addMonths(lastFull, 1)}-01`, to });
  return { months: { from: firstFull, to: lastFull }, days };
}

/**
 * Groups from the rollups. Call only when `rollupCanAnswer` says so. Whole months come from the monthly rollup when
 * it holds the dimensions and filters asked for (`grain: 'auto'`), the rest from the daily one.
 */
export async function aggregateFromRollup(
  engine: Engine, trx: Trx, principal: Principal, f: AggregateFilter, dims: AggregateDimension[], grain: 'auto' | 'day' = 'auto',
): Promise<AggregateRow[]> {
  const from = f.from?.slice(0, 10);
  const monthly = grain === 'auto' && !f.admin2?.length && !f.sub_event_types?.length && dims.every((d) => MONTH_DIMENSIONS.includes(d));
  const split = monthly ? splitByMonth(from, f.to) : { days: [{ from, to: f.to }] };
  const parts = [
    ...(split.months ? [rollupPart(engine, 'incident_rollup_month', principal, f, dims, split.months)] : []),
    ...split.days.map((r) => rollupPart(engine, 'incident_rollup', principal, f, dims, r)),
  ];
  const outer = [
    ...dims.map((d, i) => (d === 'week' ? sql`${engine.isoWeek(sql.ref(`u.d${i}`))} as ${sql.ref(`d${i}`)}` : sql.ref(`u.d${i}`))),
    ...AGGREGATE_MEASURES.map((m) => sql`sum(${sql.ref(`u.${m}`)}) as ${sql.ref(m)}`),
  ];
  // Rows emptied by deletions may linger; an empty group is no group.
  const q = sql<AggregateRow>`select ${sql.join(outer)} from (${sql.join(parts, sql` union all `)}) u${dims.length ? sql` group by ${ord(dims.length)}` : sql``} having sum(u.incidents) > 0`;
  return (await q.execute(trx)).rows;
}

/** Groups computed from the incidents themselves, with every filter (actors, bounding box, text search). */
export async function aggregateFromIncidents(engine: Engine, trx: Trx, principal: Principal, f: AggregateFilter, dims: AggregateDimension[]): Promise<AggregateRow[]> {
  let q = trx
    .selectFrom('incidents')
    .select(dims.map((d, i) => dimensionSql(engine, RAW, d).as(`d${i}`)))
    .select([
      sql<number>`count(*)`.as('incidents'),
      sql<number>`sum(incidents.fatalities_best)`.as('fatalities'),
      sql<number>`sum(incidents.civilian_fatalities)`.as('civilian_fatalities'),
      sql<number>`sum(incidents.injured)`.as('injured'),
      sql<number>`sum(incidents.abducted)`.as('abducted'),
    ]);
  q = applyIncidentFilter(engine, principal, q, { ...f, status: statusesOf(f) });
  if (dims.length) q = q.groupBy(ord(dims.length));
  return (await q.having(sql<number>`count(*)`, '>', 0).execute()) as AggregateRow[];
}

/** Incidents per grid cell of the coordinates the reader sees (coarsened records fall in their coarse cell). */
export async function gridCells(engine: Engine, trx: Trx, principal: Principal, f: AggregateFilter, cell: number) {
  const lat = visibleCoordinate(principal, 'latitude');
  const lon = visibleCoordinate(principal, 'longitude');
  let q = trx
    .selectFrom('incidents')
    .select([
      sql<number>`floor(${lat} / ${cell})`.as('iy'),
      sql<number>`floor(${lon} / ${cell})`.as('ix'),
      sql<number>`count(*)`.as('incidents'),
      sql<number>`sum(incidents.fatalities_best)`.as('fatalities'),
      sql<number>`sum(incidents.civilian_fatalities)`.as('civilian_fatalities'),
    ]);
  q = applyIncidentFilter(engine, principal, q, { ...f, status: statusesOf(f) });
  return q.groupBy(ord(2)).execute();
}

/** Incidents per distinct point the reader sees, for binning into hexagons. */
export async function visiblePoints(engine: Engine, trx: Trx, principal: Principal, f: AggregateFilter) {
  let q = trx
    .selectFrom('incidents')
    .select([
      visibleCoordinate(principal, 'latitude').as('lat'),
      visibleCoordinate(principal, 'longitude').as('lon'),
      sql<number>`count(*)`.as('incidents'),
      sql<number>`sum(incidents.fatalities_best)`.as('fatalities'),
      sql<number>`sum(incidents.civilian_fatalities)`.as('civilian_fatalities'),
    ]);
  q = applyIncidentFilter(engine, principal, q, { ...f, status: statusesOf(f) });
  return q.groupBy(ord(2)).execute();
}

/** Turns database rows into API items, named by their dimensions, with numbers as numbers. */
export function toItems(rows: AggregateRow[], dims: AggregateDimension[]): AggregateItem[] {
  return rows.map((r) => {
    const item: Record<string, string | number | null> = {};
    dims.forEach((d, i) => {
      const v = r[`d${i}`] ?? null;
      item[d] = d === 'actor_kind' && v !== null ? Number(v) : v === null ? null : String(v);
    });
    for (const m of AGGREGATE_MEASURES) item[m] = Number(r[m] ?? 0);
    return item as AggregateItem;
  });
}

export const zeroTotals = (): AggregateTotals => ({ incidents: 0, fatalities: 0, civilian_fatalities: 0, injured: 0, abducted: 0 });
