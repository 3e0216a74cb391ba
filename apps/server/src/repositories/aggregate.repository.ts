import {
  AGGREGATE_MEASURES, type AggregateDimension, type AggregateFilter, type AggregateItem, type AggregateTotals, type IncidentStatus,
} from '@vigie/domain';
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Engine, Trx } from '../db/engine.js';
import type { Database } from '../db/schema.js';
import type { Principal } from '../services/principal.js';
import { applyIncidentFilter } from './incident.repository.js';
import { visibleCoordinate } from './visibility.js';

/** One group as the database returns it: dimension values d0…dn and the sums. */
export type AggregateRow = Record<string, string | number | null>;

const ord = (n: number) => sql.raw(Array.from({ length: n }, (_, i) => String(i + 1)).join(', '));

/** A period key of a 'YYYY-MM-DD' day expression, with text functions only (the ISO week is an engine capability). */
function periodKey(engine: Engine, day: RawBuilder<string>, period: 'week' | 'month' | 'quarter' | 'year'): RawBuilder<string> {
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

const isReviewer = (p: Principal) => p.role === 'analyst' || p.role === 'focal_point';
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
  const readable: IncidentStatus[] = isReviewer(principal) ? ['validated', 'merged', 'submitted', 'rejected'] : ['validated', 'merged'];
  return statusesOf(f).every((s) => readable.includes(s));
}

type RollupEb = ExpressionBuilder<Database, 'incident_rollup'>;

/**
 * The visibility rule of repositories/visibility.ts on the rollup's columns, for the statuses `rollupCanAnswer`
 * lets through. The property test in aggregate.service.test.ts holds the two to the same answers.
 */
function rollupVisibleTo(principal: Principal): (eb: RollupEb) => Expression<SqlBool> {
  return (eb) => {
    if (principal.kind === 'system') return eb.lit(true);
    const own = eb('incident_rollup.reporting_state', '=', principal.organisation);
    return eb.and([
      eb('incident_rollup.classification_level', '<=', principal.clearance),
      eb.or([
        eb.and([eb('incident_rollup.status', 'in', ['validated', 'merged']), eb.or([own, eb('incident_rollup.sharing_scope', 'in', ['confederation', 'public'])])]),
        ...(isReviewer(principal) ? [eb.and([eb('incident_rollup.status', 'in', ['submitted', 'rejected']), own])] : []),
      ]),
    ]);
  };
}

const fromDay = (s: string) => s.slice(0, 10);

/** Groups from the daily rollup. Call only when `rollupCanAnswer` says so. */
export async function aggregateFromRollup(engine: Engine, trx: Trx, principal: Principal, f: AggregateFilter, dims: AggregateDimension[]): Promise<AggregateRow[]> {
  let q = trx
    .selectFrom('incident_rollup')
    .select(dims.map((d, i) => dimensionSql(engine, ROLLUP, d).as(`d${i}`)))
    .select([
      sql<number>`sum(incident_rollup.incidents)`.as('incidents'),
      sql<number>`sum(incident_rollup.fatalities)`.as('fatalities'),
      sql<number>`sum(incident_rollup.civilian_fatalities)`.as('civilian_fatalities'),
      sql<number>`sum(incident_rollup.injured)`.as('injured'),
      sql<number>`sum(incident_rollup.abducted)`.as('abducted'),
    ])
    .where('incident_rollup.status', 'in', statusesOf(f))
    .where(rollupVisibleTo(principal));
  if (f.from) q = q.where('incident_rollup.day', '>=', fromDay(f.from));
  if (f.to) q = q.where('incident_rollup.day', '<=', f.to);
  if (f.states?.length) q = q.where('incident_rollup.reporting_state', 'in', f.states);
  if (f.admin1?.length) q = q.where('incident_rollup.admin1_code', 'in', f.admin1);
  if (f.admin2?.length) q = q.where('incident_rollup.admin2_code', 'in', f.admin2);
  if (f.event_types?.length) q = q.where('incident_rollup.event_type', 'in', f.event_types);
  if (f.sub_event_types?.length) q = q.where('incident_rollup.sub_event_type', 'in', f.sub_event_types);
  if (dims.length) q = q.groupBy(ord(dims.length));
  // Rows emptied by deletions may linger for a moment; an empty group is no group.
  return (await q.having(sql<number>`sum(incident_rollup.incidents)`, '>', 0).execute()) as AggregateRow[];
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
