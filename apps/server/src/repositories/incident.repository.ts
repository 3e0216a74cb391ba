import { CLASSIFICATIONS, foldText, type Incident, type IncidentFilter, type IncidentListQuery, type Principal } from '@vigie/domain';
import { sql, type Insertable, type RawBuilder, type Selectable, type SelectQueryBuilder, type SqlBool, type Updateable } from 'kysely';
import { z } from 'zod';
import type { Engine, Trx } from '../db/engine.js';
import type { Database, IncidentsTable, IncidentVersionsTable } from '../db/schema.js';
import { withRollupsPerBatch } from '../db/rollups.js';
import { toUtcIso } from '../lib/ids.js';
import { cursorCount, cursorId, cursorInstant, decodeCursor, encodeCursor } from '../lib/cursor.js';
import { incidentFromArray, STORED_FIELDS, toIncident } from './incident-codec.js';
import { boxArms, coarsenFor, visibleCoordinate, visibleTo, type Box } from './visibility.js';

export type IncidentRow = Selectable<IncidentsTable>;
export type NewIncidentRow = Insertable<IncidentsTable>;

/**
 * The columns an API reader gets, with the location coarsened in SQL where the record says so, restricted to what the
 * reader may see. `filtered` is for callers that pass the query through applyIncidentFilter, which adds the same rule:
 * the condition is then written once rather than twice (SQLite evaluates both for every candidate row).
 */
export function selectVisible(trx: Trx, principal: Principal, filtered: 'filtered' | 'direct' = 'direct', from?: IncidentsFrom) {
  const coarse = coarsenFor(principal);
  const q = (from ? storedColumns(from) : storedColumnsOf(trx))
    .select([
      visibleCoordinate(principal, 'latitude').as('latitude'),
      visibleCoordinate(principal, 'longitude').as('longitude'),
      coarse.as('location_coarsened'),
      sql<string | null>`(case when ${coarse} = 1 then null else incidents.place_name end)`.as('place_name'),
    ]);
  return filtered === 'filtered' ? q : q.where(visibleTo(principal));
}

/** Where selectVisible reads incidents from: the table, or the table joined to a window of ids (exports). */
type IncidentsFrom = SelectQueryBuilder<Database, 'incidents', object>;

const storedColumns = (from: IncidentsFrom) => from.select(STORED_FIELDS.map((f) => `incidents.${f}` as const));

/**
 * `incidents` with its stored columns selected, built once per connection or transaction (Kysely's builders are
 * immutable): parsing the 35 column names for every read was half of selectVisible's time (about 30 µs of a page).
 */
const stored = new WeakMap<Trx, ReturnType<typeof storedColumns>>();
function storedColumnsOf(trx: Trx): ReturnType<typeof storedColumns> {
  let q = stored.get(trx);
  if (!q) {
    q = storedColumns(trx.selectFrom('incidents'));
    stored.set(trx, q);
  }
  return q;
}

/** One incident as the reader may see it, or undefined when it does not exist for them. */
export async function getVisibleIncident(trx: Trx, principal: Principal, id: string): Promise<Incident | undefined> {
  const row = await selectVisible(trx, principal).where('incidents.id', '=', id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** Several incidents as the reader may see them, by id (those that do not exist for them are absent). */
export async function getVisibleIncidents(trx: Trx, principal: Principal, ids: readonly string[]): Promise<Map<string, Incident>> {
  const out = new Map<string, Incident>();
  for (const chunk of chunks(ids, 1000)) {
    for (const row of await selectVisible(trx, principal, 'direct', byIds(trx, chunk)).execute()) out.set(row.id, toIncident(row));
  }
  return out;
}

/** The same as getVisibleIncidents outside any transaction (bulk reads: the change feed), rows read as arrays. */
export async function readVisibleIncidents(engine: Engine, principal: Principal, ids: readonly string[]): Promise<Map<string, Incident>> {
  const out = new Map<string, Incident>();
  for (const chunk of chunks(ids, 1000)) {
    for (const row of await engine.selectArrays(selectVisible(engine.db, principal, 'direct', byIds(engine.db, chunk)))) {
      const rec = incidentFromArray(row);
      out.set(rec.id, rec);
    }
  }
  return out;
}

/**
 * `incidents` restricted to these ids, the ids driving the read (CROSS JOIN keeps them the outer loop on SQLite): a
 * plain `id in (…)` next to the visibility rule lets SQLite's planner, without statistics, scan the status indexes of
 * the rule instead (every validated record, for each thousand ids: the change feed was quadratic in the table's size).
 */
function byIds(trx: Trx, ids: readonly string[]): IncidentsFrom {
  const w = trx.selectFrom('incidents').select('incidents.id').where('incidents.id', 'in', ids);
  return trx.selectFrom(w.as('w')).crossJoin('incidents').whereRef('incidents.id', '=', 'w.id') as unknown as IncidentsFrom;
}

/** The create digest of those of these ids that exist, without any visibility rule (write path). */
export async function incidentCreateHashes(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks(ids, 1000)) {
    for (const row of await trx.selectFrom('incidents').select(['id', 'create_hash']).where('id', 'in', chunk).execute()) out.set(row.id, row.create_hash);
  }
  return out;
}

/** Slices of at most `size` items: keeps multi-row statements under the engines' bound-parameter limits. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored row, without any visibility rule: for the write path, after the service checked access. */
export const findIncidentRow = (trx: Trx, id: string) => trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();

const dayStart = (d: string) => (d.length === 10 ? `${d}T00:00:00.000Z` : toUtcIso(d));
const dayEnd = (d: string) => (d.length === 10 ? new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString() : toUtcIso(d));

/** Applies the shared incident filters to any query over `incidents` (lists, aggregates, exports). */
export function applyIncidentFilter<O>(
  engine: Engine,
  principal: Principal,
  qb: SelectQueryBuilder<Database, 'incidents', O>,
  f: IncidentFilter,
  plan?: BboxPlan,
): SelectQueryBuilder<Database, 'incidents', O> {
  let q = qb;
  // One value: `=` rather than `in (…)`, which SQLite plans and evaluates more slowly.
  const among = (col: `incidents.${'reporting_state' | 'admin1_code' | 'admin2_code' | 'event_type' | 'sub_event_type' | 'status'}`, values: string[]) =>
    q.where(values.length === 1 ? sql<SqlBool>`${sql.ref(col)} = ${values[0]}` : sql<SqlBool>`${sql.ref(col)} in (${sql.join(values)})`);
  if (f.from) q = q.where('incidents.occurred_start', '>=', dayStart(f.from));
  if (f.to) q = f.to.length === 10 ? q.where('incidents.occurred_start', '<', dayEnd(f.to)) : q.where('incidents.occurred_start', '<=', dayEnd(f.to));
  if (f.states?.length) q = among('incidents.reporting_state', f.states);
  if (f.admin1?.length) q = among('incidents.admin1_code', f.admin1);
  if (f.admin2?.length) q = among('incidents.admin2_code', f.admin2);
  if (f.event_types?.length) q = among('incidents.event_type', f.event_types);
  if (f.sub_event_types?.length) q = among('incidents.sub_event_type', f.sub_event_types);
  if (f.status?.length) q = among('incidents.status', f.status);
  if (f.classification?.length) q = q.where('incidents.classification_level', 'in', f.classification.map((c) => CLASSIFICATIONS.indexOf(c)));
  if (f.updated_since) q = q.where('incidents.updated_at', '>=', toUtcIso(f.updated_since));
  if (f.actors?.length) {
    const actors = f.actors;
    q = q.where((eb) => eb('incidents.id', 'in', eb.selectFrom('incident_actors').select('incident_actors.incident_id').where('incident_actors.actor_code', 'in', actors)));
  }
  if (f.assigned_to) {
    const who = f.assigned_to === 'me' ? principal.userId : f.assigned_to;
    q = who === 'none' || who === null ? q.where('incidents.assigned_to', 'is', null) : q.where('incidents.assigned_to', '=', who);
  }
  if (f.reporter === 'me') q = q.where('incidents.reporter_id', '=', principal.userId ?? '');
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox.split(',').map(Number);
    // Filter on the coordinates the reader sees, so a bbox never reveals a coarsened record's exact point.
    const lat = visibleCoordinate(principal, 'latitude');
    const lon = visibleCoordinate(principal, 'longitude');
    const inBox = sql<SqlBool>`${lat} between ${minLat} and ${maxLat} and ${lon} between ${minLon} and ${maxLon}`;
    if (engine.kind === 'postgres' && plan === 'time') {
      // A box of many points (bboxPlan): written so that PostgreSQL's planner cannot take it as narrow (it weighs a
      // CASE as half the rows), the page walks the time index and stops at its last row (3 ms where the points' 75,000
      // rows took 500: its statistics on the stored points cannot tell it how few of the period's rows a page needs).
      q = q.where(sql<SqlBool>`(case when ${inBox} then true else false end)`);
    } else {
      q = q.where(inBox);
      // PostgreSQL: the same box on the stored points, which it weighs from its statistics and reads from the points'
      // indexes (the box above implies it: it narrows nothing). SQLite's plan is chosen in bboxPlan and incidentsFrom.
      if (engine.kind === 'postgres') q = q.where(pointArms(principal, bboxOf(f.bbox)));
    }
  }
  if (f.q) {
    const terms = foldText(f.q).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
    if (terms.length) q = q.where(engine.textMatch(terms));
  }
  return q.where(visibleTo(principal));
}

type SortKey = 'occurred_start' | 'updated_at' | 'fatalities_best';

/** Filters that narrow a list through an index of their own (or the search index), which SQLite's planner then takes. */
const NARROWING = ['states', 'admin1', 'admin2', 'event_types', 'status', 'actors', 'assigned_to', 'reporter', 'q', 'bbox', 'updated_since'] as const;

/**
 * The index a SQLite page sorted by `key` is read through when no filter narrows it (null: the planner chooses). With
 * no statistics, SQLite's planner takes the who-sees-what rule's OR of statuses as narrow, reads every record a reader
 * may see through `incidents_aggregate_scan` and sorts them all for the first fifty: at 1,000,000 incidents the
 * unfiltered list — a confederation analyst's first view — took 4.4 s, a period alone 2.3 s. Read in the sort's own
 * index (a period is a range of it), the page stops at its last row: 0.6 ms. A filter of NARROWING keeps the planner's
 * choice (its own index reads a small share of the rows, measured fine). PostgreSQL's planner weighs the rule with its
 * statistics.
 */
export function sortIndex(engine: Engine, key: SortKey, f: IncidentFilter, plan?: BboxPlan): 'incidents_occurred' | 'incidents_updated' | 'incidents_fatalities' | null {
  if (engine.kind !== 'sqlite') return null;
  // A box of many points narrows little: read in time order, the page finds its rows at once (bboxPlan).
  const narrowing = plan === 'time' ? NARROWING.filter((k) => k !== 'bbox') : NARROWING;
  if (narrowing.some((k) => (Array.isArray(f[k]) ? (f[k] as unknown[]).length > 0 : f[k] !== undefined))) return null;
  if (key === 'occurred_start') return 'incidents_occurred';
  // Sorted by update or by toll, a period is no range of the index (a short one would be looked for in all of it): the
  // planner weighs it, and reads the period from the time index.
  if (f.from || f.to) return null;
  return key === 'updated_at' ? 'incidents_updated' : 'incidents_fatalities';
}

const bboxOf = (bbox: string): Box => {
  const [w, s, e, n] = bbox.split(',').map(Number) as [number, number, number, number];
  return { w, s, e, n };
};

/**
 * The box on the point the reader sees, written on the stored points (boxArms): the same rows as the box on the visible
 * point (applyIncidentFilter's), in a form PostgreSQL's planner weighs from its statistics and reads from the points'
 * indexes.
 */
function pointArms(principal: Principal, b: Box): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(boxArms(principal, b).map((a) => a.where), sql` or `)})`;
}

/**
 * The seqs of the records in the box for the reader (boxArms), each arm read from its own index (SQLite names it); a
 * record is in one arm at most. `counted`: a 1 for each instead, which PostgreSQL reads from the index alone (SQLite's
 * index holds the rowid).
 */
function boxPoints(engine: Engine, principal: Principal, b: Box, counted = false): RawBuilder<unknown> {
  const by = (index: string) => (engine.kind === 'sqlite' ? sql`indexed by ${sql.id(index)}` : sql``);
  return sql.join(boxArms(principal, b).map((a) => sql`select ${counted ? sql`1` : sql`seq`} from incidents ${by(a.index)} where ${a.where}`), sql` union all `);
}

/**
 * At most this many points in a box, and a SQLite page with the box is read from them; more, in time order. Measured
 * at 1,000,000 incidents (2026-12-03): from its points, a box of 795 records gave its page in 7 ms, of 4,167 in 42 ms,
 * of 10,578 in 92 ms and of 76,971 in 651 ms; in time order, 244, 83, 22 and 3 ms (the page is found sooner among many).
 */
export const BOX_POINTS_MAX = 5000;
/** The threshold bboxPlan applies: BOX_POINTS_MAX, which a test lowers to read a few records' boxes both ways. */
export const boxPlanning = { maxPoints: BOX_POINTS_MAX };

/** How a box is read: from its points (few), or in time order with the box tested on each row (many). */
export type BboxPlan = 'points' | 'time';

/**
 * How a page with a box is read (undefined: no box). Left to themselves, both engines' planners read every record the
 * reader may see for any box (SQLite has no statistics; PostgreSQL's cannot weigh the box on the point a reader sees).
 * The points are counted, up to BOX_POINTS_MAX + 1, from the points' indexes alone (a few milliseconds).
 */
export async function bboxPlan(engine: Engine, principal: Principal, f: IncidentFilter): Promise<BboxPlan | undefined> {
  if (!f.bbox) return undefined;
  const max = boxPlanning.maxPoints;
  const known = plans.get(f);
  if (known && known.engine === engine && known.principal === principal && known.bbox === f.bbox && known.max === max) return known.plan;
  const points = sql<number>`(select count(*) from (${boxPoints(engine, principal, bboxOf(f.bbox), true)} limit ${max + 1}) as p)`;
  const plan = engine.selectArrays(engine.db.selectNoFrom(points.as('n'))).then(([row]): BboxPlan => (Number(row?.[0] ?? 0) > max ? 'time' : 'points'));
  plans.set(f, { engine, principal, bbox: f.bbox, max, plan });
  plan.catch(() => plans.delete(f));
  return plan;
}

/**
 * The plan of each filter object, for the reads that share it: an export's count (its banner) and its windows, read a
 * few milliseconds apart, count the box's points once rather than twice. A plan only chooses how the rows are read,
 * never which (the box is tested on every row either way), so one counted a moment earlier is as right as a new one.
 */
const plans = new WeakMap<IncidentFilter, { engine: Engine; principal: Principal; bbox: string; max: number; plan: Promise<BboxPlan> }>();

/**
 * `incidents` as a page or a count reads it under `plan`: from the box's points (each row by its rowid, the points as
 * the outer loop: SQLite's planner would start from the visibility rule's indexes), or through `index`, or as it is.
 */
export function incidentsFrom(engine: Engine, db: Trx, principal: Principal, f: IncidentFilter, plan: BboxPlan | undefined, index: string | null): IncidentsFrom | undefined {
  if (engine.kind === 'sqlite' && plan === 'points' && f.bbox) {
    return db.selectFrom(sql`(${boxPoints(engine, principal, bboxOf(f.bbox))})`.as('p')).crossJoin('incidents').whereRef('incidents.seq', '=', sql.ref('p.seq')) as unknown as IncidentsFrom;
  }
  return index ? db.selectFrom(sql`"incidents" as "incidents" indexed by ${sql.id(index)}` as unknown as 'incidents') : undefined;
}

/** What a cursor holds for each sort: the last row's sort value, then its id. */
const CURSOR_SCHEMAS = {
  occurred_start: z.tuple([cursorInstant, cursorId]),
  updated_at: z.tuple([cursorInstant, cursorId]),
  fatalities_best: z.tuple([cursorCount, cursorId]),
} satisfies Record<SortKey, z.ZodType<[string | number, string]>>;

/** A page of incidents the reader may see, filtered and sorted, with a keyset cursor for the next page. */
export async function listVisibleIncidents(
  engine: Engine,
  trx: Trx,
  principal: Principal,
  query: IncidentListQuery,
): Promise<{ items: Incident[]; next_cursor: string | null }> {
  const desc = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as SortKey;
  const dir = desc ? 'desc' : 'asc';
  // (Within a transaction — a write path's list — the box's points are not counted first: the count reads beside it.)
  const plan = trx.isTransaction ? undefined : await bboxPlan(engine, principal, query);
  const from = incidentsFrom(engine, trx, principal, query, plan, sortIndex(engine, key, query, plan));
  let q = applyIncidentFilter(engine, principal, selectVisible(trx, principal, 'filtered', from), query, plan);
  if (query.cursor) {
    const [value, id] = decodeCursor<[string | number, string]>(query.cursor, CURSOR_SCHEMAS[key]);
    q = q.where((eb) => eb(eb.refTuple(`incidents.${key}`, 'incidents.id'), desc ? '<' : '>', eb.tuple(value as never, id)));
  }
  const ordered = q.orderBy(`incidents.${key}`, dir).orderBy('incidents.id', dir).limit(query.limit + 1);
  // Outside a transaction (the list's own read), the rows as arrays straight into records: no driver object per row
  // and no second mapping (at 300,000 incidents on SQLite, the list's p50 went from 2.65 to 1.94 ms).
  const rows = trx.isTransaction ? (await ordered.execute()).map(toIncident) : (await engine.selectArrays(ordered)).map(incidentFromArray);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page, next_cursor: rows.length > query.limit && last ? encodeCursor([last[key], last.id]) : null };
}

/**
 * Every incident the reader may see that matches the filter, newest first, a page at a time (exports). Each page costs
 * the same however deep the export is: a window of keys in (occurred_start, id) order, bounded by keys read from the
 * `incidents_occurred` index (keyset, within the filter's dates: exportWindows), drives the page; the rows of that window
 * the reader may see and that match are then read (windowFrom). Read outside any transaction, the rows as arrays (no
 * driver object per row on a million-row export).
 */
export async function* iterateVisibleIncidents(
  engine: Engine,
  principal: Principal,
  filter: IncidentFilter,
  windowSize = 2000,
): AsyncGenerator<Incident[]> {
  const trx = engine.db;
  for await (const w of exportWindows(engine, principal, filter, windowSize)) {
    const { from, order } = windowFrom(engine, principal, filter, w);
    const rows = await engine.selectArrays(applyIncidentFilter(engine, principal, selectVisible(trx, principal, 'filtered', from), filter, w.plan)
      .orderBy(order[0], 'desc').orderBy(order[1], 'desc'));
    if (rows.length) yield rows.map(incidentFromArray);
  }
}

/** A window of an export: the keys (occurred_start, id) below `after` (from the newest when null) down to `last`, included (to the oldest when null). */
export interface ExportWindow {
  after: readonly [string, string] | null;
  last: readonly [string, string] | null;
  /** The filter's dates, which bound every window. */
  from?: string;
  to?: string;
  /**
   * How the filter's box is read (bboxPlan): `points`, the whole export in this one window, read from the box's few
   * points (at most BOX_POINTS_MAX) rather than from every window of the time index; `time`, windows of the time index.
   */
  plan?: BboxPlan;
}

/** A query on `incidents` bounded to a window's keys (and to the filter's dates, which the filter checks exactly). */
function inWindow<Q extends SelectQueryBuilder<Database, 'incidents', object>>(q: Q, w: ExportWindow): Q {
  let r = q;
  if (w.from) r = r.where('incidents.occurred_start', '>=', dayStart(w.from)) as Q;
  if (w.to) r = r.where('incidents.occurred_start', '<=', dayEnd(w.to)) as Q;
  // Each key bound twice: as a pair (exact), and on its instant alone, which any index on occurred_start can bound
  // (PostgreSQL's bitmap scans use no pair bound: a deep window would otherwise read every newer row).
  const key = (cmp: '<' | '>=', k: readonly [string, string]) => {
    r = r.where('incidents.occurred_start', cmp === '<' ? '<=' : '>=', k[0])
      .where((eb) => eb(eb.refTuple('incidents.occurred_start', 'incidents.id'), cmp, eb.tuple(k[0], k[1]))) as Q;
  };
  if (w.after) key('<', w.after);
  if (w.last) key('>=', w.last);
  return r;
}

/** A window's incidents: `incidents` to select from (bounded to the window), and the two columns that order them, newest first. */
export function windowFrom(engine: Engine, principal: Principal, filter: IncidentFilter, w: ExportWindow): { from: IncidentsFrom; order: readonly [RawBuilder<unknown>, RawBuilder<unknown>] } {
  const db = engine.db;
  if (w.plan === 'points') {
    // SQLite reads the box's points (incidentsFrom); PostgreSQL's planner reads them from the box written on the stored points (applyIncidentFilter).
    return { from: incidentsFrom(engine, db, principal, filter, 'points', null) ?? db.selectFrom('incidents'), order: [sql.ref('incidents.occurred_start'), sql.ref('incidents.id')] };
  }
  if (engine.kind === 'postgres') {
    // PostgreSQL plans the range itself: a backward scan of the index over the window's keys, one heap read per row.
    return { from: inWindow(db.selectFrom('incidents'), w) as IncidentsFrom, order: [sql.ref('incidents.occurred_start'), sql.ref('incidents.id')] };
  }
  // SQLite: the window's keys from the index (it holds the rowid too), then each row by its rowid. The CROSS JOIN keeps
  // the window as the outer loop: left to itself, without statistics, the planner starts from the status or state indexes
  // of the visibility rule and sorts every remaining row on each page, which makes an export quadratic in its size.
  // No limit: a record written since the window's bounds were read (a late report of an old event) is in it, where a
  // limit of the window's size would drop the window's oldest rows from the export.
  const keys = inWindow(db.selectFrom('incidents'), w).select(['incidents.seq', 'incidents.id', 'incidents.occurred_start'])
    .orderBy('incidents.occurred_start', 'desc').orderBy('incidents.id', 'desc');
  const from = db.selectFrom(keys.as('w')).crossJoin('incidents').whereRef('incidents.seq', '=', 'w.seq') as unknown as IncidentsFrom;
  // Ordered by the window's columns (the same values): SQLite then keeps the window's order rather than sorting the page's wide rows.
  return { from, order: [sql.ref('w.occurred_start'), sql.ref('w.id')] };
}

/**
 * The windows of an export, in turn (iterateVisibleIncidents explains them): each window ends at the key `windowSize`
 * entries below its start, read from the index alone (one key, not a window of rows), and the next starts below it
 * (keyset). The last window runs to the oldest key.
 */
export async function* exportWindows(engine: Engine, principal: Principal, filter: IncidentFilter, windowSize: number): AsyncGenerator<ExportWindow> {
  let after: readonly [string, string] | null = null;
  const dates = { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };
  // A box of few points (the map's view, exported): one window, read from them. Before, a box was tested on every
  // record of every window: at 1,000,000 incidents an export of a few hundred records read them all.
  const plan = await bboxPlan(engine, principal, filter);
  if (plan === 'points') {
    yield { after, last: null, ...dates, plan };
    return;
  }
  for (;;) {
    const open: ExportWindow = { after, last: null, ...dates, ...(plan ? { plan } : {}) };
    const end = await inWindow(engine.db.selectFrom('incidents'), open).select(['incidents.occurred_start', 'incidents.id'])
      .orderBy('incidents.occurred_start', 'desc').orderBy('incidents.id', 'desc').offset(windowSize - 1).limit(1).executeTakeFirst();
    const last = end ? ([end.occurred_start, end.id] as const) : null;
    yield { ...open, last };
    if (!last) return;
    after = last;
  }
}

/**
 * `incidents` as a count over the filter reads it: a box of few points from them (SQLite; bboxPlan), where the planner
 * would read every record the reader may see (at 1,000,000 incidents, for a box of a few hundred). A box of many is
 * left to the planner, which reads the rule's covering index in order rather than each point's row. PostgreSQL weighs
 * the box on the stored points itself (applyIncidentFilter).
 */
async function countingFrom(engine: Engine, trx: Trx, principal: Principal, filter: IncidentFilter): Promise<IncidentsFrom> {
  const plan = trx.isTransaction ? undefined : await bboxPlan(engine, principal, filter);
  return incidentsFrom(engine, trx, principal, filter, plan === 'points' ? plan : undefined, null) ?? trx.selectFrom('incidents');
}

/** How many incidents the reader may see match the filter, and the highest classification level among them (null when none). */
export async function summarizeVisibleIncidents(engine: Engine, trx: Trx, principal: Principal, filter: IncidentFilter): Promise<{ count: number; top: number | null }> {
  const q = (await countingFrom(engine, trx, principal, filter)).select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max<number | null>('incidents.classification_level').as('top')]);
  const row = await applyIncidentFilter(engine, principal, q, filter).executeTakeFirst();
  return { count: Number(row?.n ?? 0), top: row?.top === null || row?.top === undefined ? null : Number(row.top) };
}

/** How many incidents the reader may see match the filter. */
export async function countVisibleIncidents(engine: Engine, trx: Trx, principal: Principal, filter: IncidentFilter): Promise<number> {
  const q = applyIncidentFilter(engine, principal, (await countingFrom(engine, trx, principal, filter)).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')), filter);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

export async function insertIncident(trx: Trx, row: NewIncidentRow): Promise<void> {
  await trx.insertInto('incidents').values(row).execute();
}

/** Inserts many new incidents with their actor links (bulk imports and batches). */
export async function insertIncidents(engine: Engine, trx: Trx, rows: readonly NewIncidentRow[], actors: readonly { incident_id: string; actor_code: string }[]): Promise<void> {
  // The rollups take the whole batch in one grouped upsert each: PostgreSQL's statement-level triggers on its one
  // statement, SQLite's per-row triggers skipped for it (db/rollups.ts).
  await withRollupsPerBatch(engine.kind, trx, () => engine.insertMany(trx, 'incidents', rows));
  await engine.insertMany(trx, 'incident_actors', actors);
}

/** Writes many history versions of one shape at once (a bulk import's first versions). */
export async function insertIncidentVersions(engine: Engine, trx: Trx, rows: readonly Insertable<IncidentVersionsTable>[]): Promise<void> {
  await engine.insertMany(trx, 'incident_versions', rows);
}

/** Updates a row only if it is still at the expected version; returns whether it was. */
export async function updateIncidentAtVersion(trx: Trx, id: string, expectedVersion: number, patch: Updateable<IncidentsTable>): Promise<boolean> {
  const res = await trx.updateTable('incidents').set(patch).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function replaceIncidentActors(trx: Trx, id: string, actors: string[], isNew = false): Promise<void> {
  // A record just inserted has no links yet: nothing to delete.
  if (!isNew) await trx.deleteFrom('incident_actors').where('incident_id', '=', id).execute();
  const unique = [...new Set(actors)];
  if (unique.length) await trx.insertInto('incident_actors').values(unique.map((a) => ({ incident_id: id, actor_code: a }))).execute();
}

export async function insertIncidentVersion(trx: Trx, row: Insertable<IncidentVersionsTable> | Insertable<IncidentVersionsTable>[]): Promise<void> {
  for (const chunk of chunks(Array.isArray(row) ? row : [row], 1000)) await trx.insertInto('incident_versions').values(chunk).execute();
}

/** Which of these codes exist in a reference table. */
export async function existingCodes(trx: Trx, table: 'actors' | 'admin_areas', codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await trx.selectFrom(table).select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

export async function actorKinds(trx: Trx, codes: string[]): Promise<Map<string, number>> {
  if (!codes.length) return new Map();
  const rows = await trx.selectFrom('actors').select(['code', 'kind']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.kind]));
}
