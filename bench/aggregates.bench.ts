/**
 * Dashboard aggregates at scale (default 1,000,000 synthetic incidents), through the service, next to DuckDB
 * computing the same answers from the same raw rows loaded in the same run:
 *  (1) incidents and tolls per admin-1 area and month over the last 12 whole months (the monthly rollup answers);
 *  (2) counts by event type in a bounding box over a year (a bbox filter: computed from the incidents);
 *  (3) the top 20 admin-2 areas by fatalities over 90 days (the daily rollup answers).
 * Periods end at the synthetic data's fixed last day (2026-10-31, a month's end).
 * Each figure: p50 and p95 over `--requests` runs (default 30 here), ratio vigie/duckdb; the answers must agree.
 *
 *   node --conditions=vigie-source --import tsx bench/aggregates.bench.ts --size N --engine sqlite|postgres
 *
 * Rows are written straight into `incidents` (SQLite prepared statement, PostgreSQL COPY) in big transactions, with the
 * rollup triggers on: the rollup is built the way production keeps it. Admin-2 areas are synthetic (the PRIO-GRID cell
 * of the point within its admin-1 area), since the shipped gazetteer has admin-1 areas only.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { type AggregateItem } from '@vigie/domain';
import { sql } from 'kysely';
import type { Engine, EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { aggregateIncidents } from '../apps/server/src/services/aggregate.service.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { prioGridCentre } from '../apps/server/src/services/geography/geo.service.js';
import type { Principal } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { benchArgs } from './lib/args.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows, INCIDENT_COLUMNS, type BareValue } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const col = (name: (typeof INCIDENT_COLUMNS)[number]) => INCIDENT_COLUMNS.indexOf(name);
const C = {
  admin1: col('admin1_code'), admin2: col('admin2_code'), lat: col('latitude'), lon: col('longitude'),
  clat: col('coarse_latitude'), clon: col('coarse_longitude'), actor1: col('actor1'),
};

/** The dashboard reader: the joint staff's analyst, cleared to confidential. */
const READER: Principal = { kind: 'user', userId: '00000000-0000-7000-8000-000000000001', login: 'bench', organisation: 'CONF', role: 'confederation_analyst', clearance: 2 };
const BBOX = [-2.5, 13, 1.5, 15.5] as const; // Liptako-Gourma, roughly

interface Workload {
  name: string;
  query: Record<string, string>;
  /** The same answer in DuckDB SQL over the raw rows: dimension columns d0…, then the five sums. */
  duckdb: string;
}

const VISIBLE = `classification_level <= ${READER.clearance} and status = 'validated'
  and (reporting_state = '${READER.organisation}' or sharing_scope in ('confederation', 'public'))`;
const SUMS = `count(*) as incidents, sum(fatalities_best) as fatalities, sum(civilian_fatalities) as civilian_fatalities, sum(injured) as injured, sum(abducted) as abducted`;
const dayStart = (d: string) => `timestamp '${d} 00:00:00'`;
const nextDay = (d: string) => `timestamp '${new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10)} 00:00:00'`;

function workloads(): Workload[] {
  const last = syntheticDate(0);
  const first = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)) - 12, 1)).toISOString().slice(0, 10);
  const yearFrom = syntheticDate(365);
  const yearTo = syntheticDate(1);
  const q90From = syntheticDate(90);
  const visLat = `case when exact_location_level is not null and exact_location_level > ${READER.clearance} then coarse_latitude else latitude end`;
  const visLon = `case when exact_location_level is not null and exact_location_level > ${READER.clearance} then coarse_longitude else longitude end`;
  return [
    {
      name: 'area_month_year',
      query: { group_by: 'admin1,month', from: first, to: last },
      // Group by the truncated instant and format only the groups: formatting every row costs DuckDB more than the sums.
      duckdb: `select d0, strftime(m, '%Y-%m') as d1, incidents, fatalities, civilian_fatalities, injured, abducted from (
        select admin1_code as d0, date_trunc('month', occurred_start) as m, ${SUMS} from incidents
        where ${VISIBLE} and occurred_start >= ${dayStart(first)} and occurred_start < ${nextDay(last)} group by all)`,
    },
    {
      name: 'types_in_bbox_year',
      query: { group_by: 'event_type', bbox: BBOX.join(','), from: yearFrom, to: yearTo },
      duckdb: `select event_type as d0, ${SUMS} from incidents
        where ${VISIBLE} and occurred_start >= ${dayStart(yearFrom)} and occurred_start < ${nextDay(yearTo)}
          and ${visLat} between ${BBOX[1]} and ${BBOX[3]} and ${visLon} between ${BBOX[0]} and ${BBOX[2]} group by all`,
    },
    {
      name: 'top20_admin2_fatalities_90d',
      query: { group_by: 'admin2', from: q90From, order: '-fatalities', limit: '20' },
      duckdb: `select admin2_code as d0, ${SUMS} from incidents where ${VISIBLE} and occurred_start >= ${dayStart(q90From)} group by all`,
    },
  ];
}

/** Synthetic admin-2 areas: the 0.5° cell of the point inside its admin-1 area; their centroid is the cell centre. */
function admin2Of(admin1: string | null, lat: number, lon: number): { code: string; lat: number; lon: number } | null {
  if (!admin1) return null;
  const c = prioGridCentre(lat, lon);
  return { code: `${admin1}-${Math.round(c.lat * 4)}_${Math.round(c.lon * 4)}`, ...c };
}

async function load(engine: Engine, rows: BareRows, size: number, duck: DuckDBConnection, templates: number): Promise<void> {
  // The admin-2 areas every row will reference, first (foreign key).
  const at = new Date().toISOString();
  const areas = new Map<string, { parent: string; lat: number; lon: number }>();
  const row = (i: number): BareValue[] => {
    const v = rows.values(i, at);
    const a2 = admin2Of(v[C.admin1] as string | null, v[C.lat] as number, v[C.lon] as number);
    if (a2) {
      v[C.admin2] = a2.code;
      v[C.clat] = a2.lat;
      v[C.clon] = a2.lon;
      if (!areas.has(a2.code)) areas.set(a2.code, { parent: v[C.admin1] as string, lat: a2.lat, lon: a2.lon });
    }
    return v;
  };
  for (let i = 0; i < Math.min(size, templates * 4); i++) row(i);
  const states = new Map((await engine.db.selectFrom('admin_areas').select(['code', 'state']).where('level', '=', 1).execute()).map((r) => [r.code, r.state]));
  await engine.writeTransaction(async (trx) => {
    for (const [code, a] of areas) {
      await trx.insertInto('admin_areas').values({
        code, state: states.get(a.parent) ?? 'MLI', level: 2, parent_code: a.parent, name_fr: code, name_en: code, name_folded: code.toLowerCase(),
        centroid_lat: a.lat, centroid_lon: a.lon, geometry: null, min_lon: null, min_lat: null, max_lon: null, max_lat: null, source: 'bench',
      }).onConflict((oc) => oc.column('code').doNothing()).execute();
    }
  });
  const kinds = new Map((await engine.db.selectFrom('actors').select(['code', 'kind']).execute()).map((r) => [r.code, r.kind]));
  log(`${areas.size} synthetic admin-2 areas`);

  await duck.run(`create table raw_incidents (reporting_state varchar, status varchar, classification_level integer, sharing_scope varchar,
    admin1_code varchar, admin2_code varchar, event_type varchar, sub_event_type varchar, actor_kind integer, occurred_start varchar,
    latitude double, longitude double, coarse_latitude double, coarse_longitude double, exact_location_level integer,
    fatalities_best integer, civilian_fatalities integer, injured integer, abducted integer)`);
  const appender = await duck.createAppender('raw_incidents');
  const duckCols = ['reporting_state', 'status', 'classification_level', 'sharing_scope', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type',
    'actor1', 'occurred_start', 'latitude', 'longitude', 'coarse_latitude', 'coarse_longitude', 'exact_location_level', 'fatalities_best',
    'civilian_fatalities', 'injured', 'abducted'] as const;
  const duckIdx = duckCols.map((c) => col(c));
  const toDuck = (v: BareValue[]) => {
    duckCols.forEach((c, k) => {
      const x = v[duckIdx[k] as number] ?? null;
      if (c === 'actor1') {
        const kind = x === null ? undefined : kinds.get(x as string);
        if (kind === undefined) appender.appendNull();
        else appender.appendInteger(kind);
      } else if (x === null) appender.appendNull();
      else if (typeof x === 'string') appender.appendVarchar(x);
      else if (['latitude', 'longitude', 'coarse_latitude', 'coarse_longitude'].includes(c)) appender.appendDouble(x);
      else appender.appendInteger(x);
    });
    appender.endRow();
  };

  const t0 = now();
  await bareLoad(bareDriver(engine), (i) => row(i), size, {
    chunk: 100_000,
    searchIndex: false,
    onRow: toDuck,
    each: (done) => {
      if (done % 100_000 === 0 || done === size) log(`loaded ${done.toLocaleString('en-US')}/${size.toLocaleString('en-US')} (${Math.round(done / ((now() - t0) / 1000)).toLocaleString('en-US')} rows/s)`);
    },
  });
  appender.closeSync();
  // The strongest baseline we know: typed instants, rows in time order so that DuckDB's zone maps skip other periods.
  await duck.run(`create table incidents as select * replace (cast(occurred_start as timestamp) as occurred_start) from raw_incidents order by occurred_start`);
  await duck.run('drop table raw_incidents');
  // PostgreSQL: statistics and the visibility map that index-only scans need, as autovacuum would keep them. SQLite:
  // nothing, as in production (Vigie never runs ANALYZE there; with sqlite_stat1 the planner prefers skip-scans of
  // the single-column indexes to the covering index of the aggregates).
  if (engine.kind === 'postgres') await sql`vacuum analyze`.execute(engine.db);
  const daily = await engine.db.selectFrom('incident_rollup').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  const monthly = await engine.db.selectFrom('incident_rollup_month').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  log(`rollups: ${Number(daily?.n).toLocaleString('en-US')} daily and ${Number(monthly?.n).toLocaleString('en-US')} monthly rows for ${size.toLocaleString('en-US')} incidents`);
  for (const t of ['incident_rollup_area', 'incident_rollup_cell']) {
    const n = await sql<{ grain: string; n: number }>`select grain, count(*) as n from ${sql.table(t)} group by grain order by grain`.execute(engine.db);
    log(`${t}: ${n.rows.map((r) => `${Number(r.n).toLocaleString('en-US')} rows by ${r.grain === 'm' ? 'month' : 'dekad'}`).join(', ')}`);
  }
}

type Answer = Record<string, string | number | null>[];

/** DuckDB's rows, named and ordered as the service's items (dimension order, none last; or by the measure). */
function duckAnswer(rows: Record<string, unknown>[], dims: string[], order: string | undefined, limit: number | undefined): Answer {
  const items = rows.map((r) => {
    const o: Record<string, string | number | null> = {};
    dims.forEach((d, i) => {
      const v = r[`d${i}`];
      o[d] = v === null || v === undefined ? null : String(v);
    });
    for (const m of ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted']) o[m] = Number(r[m] ?? 0);
    return o;
  });
  const measure = order?.replace(/^-/, '');
  const desc = order?.startsWith('-') ?? false;
  items.sort((a, b) => {
    if (measure) {
      const d = Number(a[measure]) - Number(b[measure]);
      if (d !== 0) return desc ? -d : d;
    }
    for (const dim of dims) {
      const x = a[dim] ?? null;
      const y = b[dim] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  });
  return limit ? items.slice(0, limit) : items;
}

const key = (a: Answer | AggregateItem[]) => JSON.stringify(a.map((r) => Object.fromEntries(Object.entries(r).sort(([x], [y]) => (x < y ? -1 : 1)))));

async function runEngine(kind: EngineKind, size: number, requests: number): Promise<Figure[]> {
  const reference = loadReferenceConfig();
  const db = await freshDatabase(kind);
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, synth);
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents (and the same rows into DuckDB)`);
    await load(db.engine, rows, size, duck, synth.templates.length);
    const ctx = createContext(db.engine, reference, testKeys());
    const figures: Figure[] = [];
    for (const w of workloads()) {
      const dims = w.query.group_by?.split(',') ?? [];
      const limit = w.query.limit ? Number(w.query.limit) : undefined;
      const vigie = async () => (await aggregateIncidents(ctx, READER, w.query)).items;
      const base = async () => duckAnswer((await duck.runAndReadAll(w.duckdb)).getRowObjectsJS() as Record<string, unknown>[], dims, w.query.order, limit);
      // Same answer first, then interleaved timings after a warm-up.
      const [a, b] = [await vigie(), await base()];
      if (key(a) !== key(b)) {
        log(`${w.name}: answers DIFFER\n vigie ${key(a).slice(0, 600)}\n duckdb ${key(b).slice(0, 600)}`);
        throw new Error(`${w.name} on ${kind}: Vigie and DuckDB disagree`);
      }
      log(`${w.name}: ${a.length} groups, answers agree`);
      const tv: number[] = [];
      const tb: number[] = [];
      for (let i = 0; i < 3; i++) {
        await vigie();
        await base();
      }
      for (let i = 0; i < requests; i++) {
        let t = now();
        await vigie();
        tv.push(now() - t);
        t = now();
        await base();
        tb.push(now() - t);
      }
      for (const p of [50, 95]) {
        figures.push(figure({ workload: `aggregates_${w.name}`, engine: kind, metric: `p${p}_ms`, vigie: percentile(tv, p), baseline: percentile(tb, p), unit: 'ms', size }));
      }
    }
    return figures;
  } finally {
    duck.closeSync();
    instance.closeSync();
    await db.drop();
  }
}

const args = benchArgs();
const requests = process.argv.includes('--requests') ? args.requests : 30;
const goals: Record<string, Goal> = Object.fromEntries(
  workloads().flatMap((w) => ['p50_ms', 'p95_ms'].map((m) => [`aggregates_${w.name}/${m}`, { kind: 'max', ratio: 1 } as Goal])),
);
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, args.size, requests);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Aggregates through the service vs DuckDB on the same rows (${args.size.toLocaleString('en-US')} incidents; baseline = DuckDB)`, all, goals);
