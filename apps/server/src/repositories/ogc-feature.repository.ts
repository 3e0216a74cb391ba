/**
 * The SQL behind the OGC API – Features collections. Incidents go through the incident list's own query
 * (selectVisible + applyIncidentFilter: the who-sees-what rule and the location coarsening of visibility.ts), with the
 * OGC conditions (datetime, CQL2) added on top; admin areas are reference data every signed-in user may read.
 */
import { sql, type Compilable, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';
import { rollupPeriods, splitByDekad } from './aggregate-place.repository.js';
import type { Engine, Trx } from '../db/engine.js';
import { toNumber } from '../db/engine.js';
import type { Queryables } from '../ogc/cql2/compile.js';
import type { Principal } from '@vigie/domain';
import { lastChangeSeq } from './change-log.repository.js';
import { incidentFromArray, toIncident, VISIBLE_COLUMNS } from './incident-codec.js';
import { applyIncidentFilter, bboxPlan, incidentsFrom, selectVisible, sortIndex } from './incident.repository.js';
import { boxArms, coarsenFor, rollupVisibleTo, visibleCoordinate } from './visibility.js';

const CLASSIFICATION_NAME = sql<string>`(case incidents.classification_level when 0 then 'public' when 1 then 'restricted' when 2 then 'confidential' else 'secret' end)`;
const adminName = (col: 'admin1_code' | 'admin2_code') =>
  sql<string | null>`(select a.name_fr from admin_areas a where a.code = incidents.${sql.raw(col)})`;

/** What a filter may name on incidents, each computed as the reader sees it (coarsened place, visible point). */
export function incidentQueryables(principal: Principal): Queryables {
  const ref = (c: string) => sql.ref(`incidents.${c}`);
  const text = (title: string, c: string) => ({ type: 'string' as const, title, sql: ref(c) });
  const count = (title: string, c: string) => ({ type: 'number' as const, title, sql: ref(c) });
  const time = (title: string, c: string) => ({ type: 'datetime' as const, title, sql: ref(c) });
  return {
    id: text('Identifiant / Identifier', 'id'),
    reporting_state: text('État déclarant / Reporting state', 'reporting_state'),
    status: text('Statut / Status', 'status'),
    event_type: text("Type d'événement / Event type", 'event_type'),
    sub_event_type: text('Sous-type / Sub-event type', 'sub_event_type'),
    admin1_code: text('Région (code) / Region (code)', 'admin1_code'),
    admin2_code: text('Cercle, département (code) / District (code)', 'admin2_code'),
    admin1_name: { type: 'string', title: 'Région / Region', sql: adminName('admin1_code') },
    admin2_name: { type: 'string', title: 'Cercle, département / District', sql: adminName('admin2_code') },
    place_name: { type: 'string', title: 'Lieu / Place', sql: sql`(case when ${coarsenFor(principal)} = 1 then null else incidents.place_name end)` },
    actor1: text('Acteur 1 / Actor 1', 'actor1'),
    actor2: text('Acteur 2 / Actor 2', 'actor2'),
    narrative: text('Récit / Narrative', 'narrative'),
    classification: { type: 'string', title: 'Classification', sql: CLASSIFICATION_NAME },
    sharing_scope: text('Partage / Sharing scope', 'sharing_scope'),
    interaction: count('Interaction (code)', 'interaction'),
    fatalities_best: count('Morts (meilleure estimation) / Fatalities (best)', 'fatalities_best'),
    fatalities_low: count('Morts (bas) / Fatalities (low)', 'fatalities_low'),
    fatalities_high: count('Morts (haut) / Fatalities (high)', 'fatalities_high'),
    civilian_fatalities: count('Morts civils / Civilian fatalities', 'civilian_fatalities'),
    injured: count('Blessés / Injured', 'injured'),
    abducted: count('Enlevés / Abducted', 'abducted'),
    geo_precision: count('Précision géographique / Geo precision', 'geo_precision'),
    time_precision: count('Précision temporelle / Time precision', 'time_precision'),
    occurred_start: time('Début / Occurred (start)', 'occurred_start'),
    occurred_end: time('Fin / Occurred (end)', 'occurred_end'),
    updated_at: time('Mis à jour / Updated', 'updated_at'),
    geometry: { type: 'geometry', title: 'Lieu (point visible) / Location (visible point)', point: { lon: visibleCoordinate(principal, 'longitude'), lat: visibleCoordinate(principal, 'latitude') } },
  };
}

export interface FeatureQuery {
  bbox?: [number, number, number, number];
  /** [from, to] as ISO instants, null for an open end; `toInclusive` false for a whole day given as a date. */
  time?: { from: string | null; to: string | null; toInclusive: boolean };
  where?: Expression<SqlBool>;
  /** The queryables `where` names (incidents: whether numberMatched can be counted from the covering index). */
  names?: readonly string[];
  /**
   * Incidents: set when `where` is exactly these equalities and nothing else (property=value parameters, no CQL2
   * filter; any other property makes it unset): numberMatched may then come from the type rollup (rollupCount).
   */
  only?: { reporting_state?: string; event_type?: string; status?: string };
  limit: number;
  offset: number;
  /** Incidents: the page starts after this (occurred_start, id), newest first (a next link's cursor); `offset` is then not read. */
  after?: readonly [string, string];
}

/**
 * Incident queryables held by the covering index `incidents_aggregate_scan` (with every column of the visibility rule,
 * the bbox's coordinates and occurred_start) that no index narrows to a small share of the rows: a count that names no
 * other reads the index alone. (The area and actor codes are also in it, but their own indexes pick out a hundredth
 * of the rows: there, reading those rows costs less than the period's index entries.)
 */
const COUNTED_FROM_INDEX = new Set(['reporting_state', 'status', 'event_type', 'sub_event_type', 'fatalities_best', 'civilian_fatalities',
  'injured', 'abducted', 'occurred_start', 'sharing_scope', 'classification', 'geometry']);
/**
 * Incident queryables held by `incidents_type` (event type, period, and the visibility rule's columns): a count that
 * names the event type and no other column reads that type's entries of the index alone (migration
 * 20261206T0900-incidents-type-covering), a fraction of the period's. `incidents_state_type` and `incidents_state_time`
 * hold them too, led by the state (migration 20261207T0900-incidents-state-type): a count naming the state reads that
 * state's entries.
 */
const COUNTED_BY_TYPE = new Set(['event_type', 'reporting_state', 'status', 'occurred_start', 'sharing_scope', 'classification']);
/** Every status a reader may see a record in (the visibility rule narrows them): the index's first column, bounded. */
const STATUSES = ['draft', 'submitted', 'rejected', 'validated', 'merged'];

/** Counts kept per database: the last COUNTS_KEPT asked, the least recently asked dropped first. */
const COUNTS = new WeakMap<Engine, Map<string, { seq: number; n: number }>>();
const COUNTS_KEPT = 256;

/**
 * The count of `query`, counted again only when a record has changed since: a GIS client paging through a layer
 * (`next` link after `next` link, every parameter repeated) asks the same numberMatched on every page, and ogr2ogr copying
 * 700,000 features a thousand at a time would otherwise count them all 700 times. The key is the count's SQL and its
 * values, which hold the reader's view (organisation, clearance, user, review right): one reader's count is never
 * another's. Every committed change to a record appends to the change log in its own transaction, in commit order
 * (the log's lock), so an unchanged last seq means unchanged records. A count is read with the last seq in one
 * statement, one snapshot: it is exactly the count at the seq it is kept under.
 */
async function countOnce(engine: Engine, query: Compilable<unknown> & Expression<unknown>): Promise<number> {
  const { sql: text, parameters } = query.compile();
  const key = JSON.stringify([text, parameters]);
  let counts = COUNTS.get(engine);
  if (!counts) COUNTS.set(engine, (counts = new Map()));
  const kept = counts.get(key);
  counts.delete(key);
  if (kept && kept.seq === (await lastChangeSeq(engine.db))) {
    counts.set(key, kept);
    return kept.n;
  }
  // The count and the log's last seq in one statement, so one snapshot (a query not counted before costs no round
  // trip for the seq first), beside the event loop (SQLite: on a reader thread; PostgreSQL: a connection of the pool)
  // while the page itself is read: the count of a new query reads thousands of index entries where the page reads fifty rows.
  const [row] = await engine.readArrays(engine.db.selectNoFrom(sql<number>`(select max(seq) from change_log)`.as('seq')).select(sql<number>`(${query})`.as('n')));
  const seq = toNumber(row?.[0] ?? 0);
  const n = toNumber(row?.[1] ?? 0);
  counts.set(key, { seq, n });
  if (counts.size > COUNTS_KEPT) counts.delete(counts.keys().next().value as string);
  return n;
}

/** A page of the incidents the reader may see, newest first, and how many match in all. */
export async function ogcIncidentPage(engine: Engine, principal: Principal, q: FeatureQuery) {
  const trx = engine.db;
  const filter = { bbox: q.bbox?.join(',') };
  const narrow = <T extends { where: (e: Expression<SqlBool>) => T }>(qb: T): T => {
    let out = qb;
    if (q.time?.from) out = out.where(sql<SqlBool>`incidents.occurred_start >= ${q.time.from}`);
    if (q.time?.to) out = out.where(q.time.toInclusive ? sql<SqlBool>`incidents.occurred_start <= ${q.time.to}` : sql<SqlBool>`incidents.occurred_start < ${q.time.to}`);
    if (q.where) out = out.where(q.where);
    return out;
  };
  // numberMatched reads every match. SQLite's planner, even with statistics, takes an attribute's index (event_type…)
  // and reads each matching row from the table: a page's cost grew with its matches (p95 2.4 s at 1,000,000
  // incidents). When the filter names only COUNTED_FROM_INDEX, the count reads the covering index alone, within the
  // period (a count of 1,602 matches: 29 → 4 ms at 200,000). (PostgreSQL's planner weighs the index itself.)
  // When it also names the event type (and no bbox), the count reads that type's entries of incidents_type instead.
  // When it names the state, SQLite's planner itself takes the state's covering index, incidents_state_type (with a
  // type) or incidents_state_time, and reads that state's entries alone (its choice does not depend on the data: no
  // statistics).
  const names = q.names ?? [];
  const byIndex = engine.kind === 'sqlite' && !q.bbox && names.every((n) => COUNTED_BY_TYPE.has(n));
  const byState = byIndex && names.includes('reporting_state');
  const byType = byIndex && names.includes('event_type');
  const covered = engine.kind === 'sqlite' && names.every((n) => COUNTED_FROM_INDEX.has(n));
  // A box: its page reads few points from them, many in time order (incident.repository.ts, bboxPlan); its count, below.
  const plan = await bboxPlan(engine, principal, filter);
  const counting = (byState
    ? trx.selectFrom('incidents')
    : byType
      ? trx.selectFrom(sql`"incidents" as "incidents" indexed by "incidents_type"` as unknown as 'incidents')
      : covered
        ? trx.selectFrom(sql`"incidents" as "incidents" indexed by "incidents_aggregate_scan"` as unknown as 'incidents').where('incidents.status', 'in', STATUSES)
        : trx.selectFrom('incidents'));
  const count = (period: typeof narrow) => period(applyIncidentFilter(engine, principal, counting.select((eb) => eb.fn.countAll().as('n')), filter));
  // With nothing but a period (a GIS client opening the layer, ogr2ogr copying it), the page reads the time index in
  // order, as the incident list does (incident.repository.ts's sortIndex).
  const pageFrom = incidentsFrom(engine, trx, principal, filter, plan, q.where ? null : sortIndex(engine, 'occurred_start', filter, plan));
  // The count and the page at once; the page as arrays straight into records (as the incident list reads its own).
  const [matched, rows] = await Promise.all([
    countOnce(engine, q.bbox ? boxCount(engine, principal, q.bbox, narrow) : rollupCount(engine, principal, q, count) ?? count(narrow)),
    engine.selectArrays(narrow(applyIncidentFilter(engine, principal, selectVisible(trx, principal, 'filtered', pageFrom), filter, plan))
      .select([adminName('admin1_code').as('admin1_name'), adminName('admin2_code').as('admin2_name')])
      .$if(q.after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('incidents.occurred_start', 'incidents.id'), '<', eb.tuple(q.after?.[0] as string, q.after?.[1] as string))))
      .orderBy('incidents.occurred_start', 'desc').orderBy('incidents.id', 'desc')
      .limit(q.limit).offset(q.after ? 0 : q.offset)),
  ]);
  return {
    matched,
    items: rows.map((r) => ({ incident: incidentFromArray(r), admin1_name: r[VISIBLE_COLUMNS] as string | null, admin2_name: r[VISIBLE_COLUMNS + 1] as string | null })),
  };
}

/**
 * numberMatched of a box: the records in each of its arms (boxArms: seen at their exact point in it, or at their coarse
 * point in it; apart, and together the box on the point the reader sees, as applyIncidentFilter's), each counted from
 * its points' index alone, which holds the period, the rule's columns and the event type (migration
 * 20261209T0900-incidents-points): at 1,000,000 incidents, a box of 77,000 records is counted from 77,000 index entries
 * rather than 77,000 rows. A CQL2 filter on another column reads those rows.
 */
function boxCount(engine: Engine, principal: Principal, box: readonly [number, number, number, number], narrow: <T extends { where: (e: Expression<SqlBool>) => T }>(qb: T) => T) {
  const db = engine.db;
  const [w, s, e, n] = box;
  const from = (index: string) => (engine.kind === 'sqlite' ? db.selectFrom(sql`"incidents" as "incidents" indexed by ${sql.id(index)}` as unknown as 'incidents') : db.selectFrom('incidents'));
  const parts = boxArms(principal, { w, s, e, n }).map((arm) => sql`(${narrow(applyIncidentFilter(engine, principal, from(arm.index)
    .select((eb) => eb.fn.countAll().as('n')).where(arm.where), {}))})`);
  return db.selectNoFrom(sql<number>`${sql.join(parts, sql` + `)}`.as('n'));
}

const MIDNIGHT = 'T00:00:00.000Z';
const dayBefore = (day: string) => new Date(Date.parse(`${day}${MIDNIGHT}`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string) => new Date(Date.parse(`${day}${MIDNIGHT}`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The first and last UTC days of a period made of whole days (dates, or instants at midnight with the end excluded),
 * undefined for an open end; null when the period cuts a day.
 */
function wholeDays(time: FeatureQuery['time']): { from?: string; to?: string } | null {
  if (!time) return {};
  if (time.from !== null && !time.from.endsWith(MIDNIGHT)) return null;
  if (time.to !== null && (time.toInclusive || !time.to.endsWith(MIDNIGHT))) return null;
  const from = time.from?.slice(0, 10);
  const to = time.to === null ? undefined : dayBefore(time.to.slice(0, 10));
  return from && to && to < from ? null : { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * numberMatched from the type rollup (db/rollups-place.ts TYPE_ROLLUP), when the query is at most a reporting state, an
 * event type, a status and a period of whole days, with no bbox (the usual GIS layer: one state, one type, some months): the
 * period's whole months and dekads from the rollup's rows the reader may see, and the days left at its edges (at most
 * nine at each end) counted from the incidents as any count is (`count`, given the edges as its period). Null for any
 * other query, which is counted from the incidents. At 1,000,000 incidents a 90-day count of one state and type reads
 * a few dozen rollup rows and about a tenth of the ~9,000 index entries it read before.
 */
function rollupCount<C extends SelectQueryBuilder<Database, 'incidents', { n: unknown }>>(
  engine: Engine,
  principal: Principal,
  q: FeatureQuery,
  count: (period: <T extends { where: (e: Expression<SqlBool>) => T }>(qb: T) => T) => C,
): (Compilable<unknown> & Expression<unknown>) | null {
  if (!q.only || q.bbox) return null;
  const days = wholeDays(q.time);
  if (!days) return null;
  const split = splitByDekad(days.from, days.to);
  const periods = rollupPeriods(split, true);
  const only = q.only;
  // One scalar subquery per part, each a plain range its index can seek (an OR of ranges would read every entry of the
  // state and type on SQLite).
  const rollup = periods.map((p) => sql<number>`(select coalesce(sum(r.incidents), 0) from incident_rollup_type r where ${p}
    ${only.event_type !== undefined ? sql`and r.event_type = ${only.event_type}` : sql``}
    ${only.reporting_state !== undefined ? sql`and r.reporting_state = ${only.reporting_state}` : sql``}
    ${only.status !== undefined ? sql`and r.status = ${only.status}` : sql``}
    and ${rollupVisibleTo(principal, 'r', 'reporter')})`);
  const edges = split.days.map((d) => sql<number>`(${count((qb) => {
    const bounded = qb.where(sql<SqlBool>`incidents.occurred_start >= ${`${d.from}${MIDNIGHT}`}`).where(sql<SqlBool>`incidents.occurred_start < ${`${dayAfter(d.to)}${MIDNIGHT}`}`);
    return q.where ? bounded.where(q.where) : bounded;
  })})`);
  const parts = [...rollup, ...edges];
  return engine.db.selectNoFrom(sql<number>`${parts.length ? sql.join(parts, sql` + `) : sql`0`}`.as('n'));
}

/** One incident as the reader may see it, with its area names, or undefined. */
export async function ogcIncident(trx: Trx, principal: Principal, id: string) {
  const r = await selectVisible(trx, principal)
    .select([adminName('admin1_code').as('admin1_name'), adminName('admin2_code').as('admin2_name')])
    .where('incidents.id', '=', id).executeTakeFirst();
  return r ? { incident: toIncident(r), admin1_name: r.admin1_name, admin2_name: r.admin2_name } : undefined;
}

// ---- admin areas

const area = (c: string) => sql.ref(`admin_areas.${c}`);
/** What a filter may name on admin areas. */
export const ADMIN_AREA_QUERYABLES: Queryables = {
  code: { type: 'string', title: 'Code', sql: area('code') },
  state: { type: 'string', title: 'État / State', sql: area('state') },
  parent_code: { type: 'string', title: 'Parent (code)', sql: area('parent_code') },
  name_fr: { type: 'string', title: 'Nom (français) / Name (French)', sql: area('name_fr') },
  name_en: { type: 'string', title: 'Nom (anglais) / Name (English)', sql: area('name_en') },
  geometry: {
    type: 'geometry', title: 'Limites (par leur emprise) / Boundary (by its extent)',
    box: {
      minLon: sql<number>`coalesce(admin_areas.min_lon, admin_areas.centroid_lon)`, minLat: sql<number>`coalesce(admin_areas.min_lat, admin_areas.centroid_lat)`,
      maxLon: sql<number>`coalesce(admin_areas.max_lon, admin_areas.centroid_lon)`, maxLat: sql<number>`coalesce(admin_areas.max_lat, admin_areas.centroid_lat)`,
    },
  },
};

/** The levels of admin areas the gazetteer holds. */
export async function adminLevels(trx: Trx): Promise<number[]> {
  const rows = await trx.selectFrom('admin_areas').select('level').distinct().orderBy('level').execute();
  return rows.map((r) => r.level);
}

/** A page of admin areas of one level, by code, and how many match. */
export async function adminAreaPage(trx: Trx, level: number, q: FeatureQuery & { code?: string }) {
  let base = trx.selectFrom('admin_areas').where('admin_areas.level', '=', level);
  if (q.code) base = base.where('admin_areas.code', '=', q.code);
  if (q.bbox) {
    const [w, s, e, n] = q.bbox;
    const b = ADMIN_AREA_QUERYABLES.geometry;
    if (b?.type === 'geometry' && 'box' in b) {
      base = base.where(sql<SqlBool>`${b.box.maxLon} >= ${w} and ${b.box.minLon} <= ${e} and ${b.box.maxLat} >= ${s} and ${b.box.minLat} <= ${n}`);
    }
  }
  if (q.where) base = base.where(q.where);
  const counted = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['admin_areas.code', 'admin_areas.state', 'admin_areas.level', 'admin_areas.parent_code', 'admin_areas.name_fr', 'admin_areas.name_en',
      'admin_areas.centroid_lat', 'admin_areas.centroid_lon', 'admin_areas.geometry', 'admin_areas.source'])
    .orderBy('admin_areas.code').limit(q.limit).offset(q.offset).execute();
  return { matched: toNumber(counted.n), rows };
}

/** Centroids and boundaries of these areas (alert geometries). */
export function areaShapes(trx: Trx, codes: string[]) {
  if (!codes.length) return Promise.resolve([]);
  return trx.selectFrom('admin_areas').select(['code', 'centroid_lat', 'centroid_lon', 'geometry', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('code', 'in', codes).execute();
}

/** The extent of everything the gazetteer covers: [west, south, east, north]. */
export async function gazetteerExtent(trx: Trx): Promise<[number, number, number, number] | null> {
  const r = await trx.selectFrom('admin_areas').select([
    sql<number>`min(coalesce(min_lon, centroid_lon))`.as('w'), sql<number>`min(coalesce(min_lat, centroid_lat))`.as('s'),
    sql<number>`max(coalesce(max_lon, centroid_lon))`.as('e'), sql<number>`max(coalesce(max_lat, centroid_lat))`.as('n'),
  ]).executeTakeFirst();
  if (!r || r.w === null) return null;
  return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)];
}
