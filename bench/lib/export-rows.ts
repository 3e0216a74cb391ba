/**
 * The rows the export benchmarks write (export.bench.ts, export-floor.bench.ts): N synthetic incidents loaded into a
 * fresh database and, in the same run, the same rows into an in-memory DuckDB table; the reader (a confederation
 * analyst cleared to confidential) and, in DuckDB's SQL, what that reader sees as the export writes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { sql } from 'kysely';
import type { Principal } from '@vigie/domain';
import type { EngineKind } from '../../apps/server/src/db/engine.js';
import { migrateToLatest } from '../../apps/server/src/db/migrate.js';
import { testKeys } from '../../apps/server/src/lib/server-keys.js';
import { createContext, type Ctx } from '../../apps/server/src/services/context.js';
import { exportIncidents } from '../../apps/server/src/services/exchange/export.service.js';
import { loadReferenceConfig, syncReferenceData } from '../../apps/server/src/services/geography/reference.service.js';
import { freshDatabase, type TestDatabase } from '../../apps/server/src/test-support/engines.js';
import { newUser } from '../../apps/server/src/test-support/factories.js';
import { bareLoad } from './bare-load.js';
import { BareRows, INCIDENT_COLUMNS, type BareValue } from './bare-rows.js';
import { bareDriver } from './engines.js';
import { now, settle } from './stats.js';
import { SyntheticIncidents } from './synthetic.js';

export const log = (msg: string): void => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
};

/** The reader: the joint staff's analyst cleared to confidential (sees validated records shared with the confederation). */
export const CLEARANCE = 2;
export const VISIBLE = `classification_level <= ${CLEARANCE} and status in ('validated', 'merged') and sharing_scope in ('confederation', 'public')`;
export const coarse = (axis: string): string => `case when exact_location_level is not null and exact_location_level > ${CLEARANCE} then coarse_${axis} else ${axis} end`;

const DOUBLES = new Set(['latitude', 'longitude', 'coarse_latitude', 'coarse_longitude']);
const INTS = new Set(['version', 'time_precision', 'exact_location_level', 'geo_precision', 'interaction', 'fatalities_best', 'fatalities_low',
  'fatalities_high', 'civilian_fatalities', 'injured', 'abducted', 'classification_level']);
/** Vigie's derived columns (search text, the create's hash, the sources' names) are not in DuckDB's table. */
const DUCK_COLUMNS = INCIDENT_COLUMNS.filter((c) => c !== 'search_text' && c !== 'create_hash' && c !== 'source_names');

/**
 * The exported columns of what the reader sees, as Vigie writes them (coarsened point, no place name when coarsened),
 * newest first: plain SQL that DuckDB, PostgreSQL and SQLite all run over the same rows. The codes are not resolved to
 * names and the lists stay as stored.
 */
export const EXPORTED_SELECT = `select id, occurred_start, occurred_end, time_precision, reporting_state, admin1_code, admin2_code,
  case when exact_location_level > ${CLEARANCE} then null else place_name end as place_name,
  ${coarse('latitude')} as latitude, ${coarse('longitude')} as longitude, coalesce(exact_location_level > ${CLEARANCE}, false) as location_coarsened,
  geo_precision, event_type, sub_event_type, interaction, actor1, actor2, associated_actors, fatalities_best, fatalities_low, fatalities_high,
  civilian_fatalities, injured, abducted, tags, narrative, sources, classification_level, sharing_scope, status, created_at, updated_at
  from incidents where ${VISIBLE} order by occurred_start desc, id desc`;

/** Peak resident memory above the start of a phase, sampled on a timer (the phase runs inside one await). */
export async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; mib: number; value: T }> {
  settle();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  const t0 = now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { ms: now() - t0, mib: (peak - base) / (1024 * 1024), value };
  } finally {
    clearInterval(timer);
  }
}

function appendRow(appender: DuckDBAppender, v: BareValue[]): void {
  INCIDENT_COLUMNS.forEach((c, k) => {
    if (c === 'search_text' || c === 'create_hash' || c === 'source_names') return;
    const x = v[k] ?? null;
    if (x === null) appender.appendNull();
    else if (DOUBLES.has(c)) appender.appendDouble(Number(x));
    else if (INTS.has(c)) appender.appendInteger(Number(x));
    else appender.appendVarchar(String(x));
  });
  appender.endRow();
}

export interface ExportRows {
  db: TestDatabase;
  ctx: Ctx;
  reader: Principal;
  duck: DuckDBConnection;
  /** A temporary directory for the files written, removed by close(). */
  dir: string;
  /** The records the reader sees (DuckDB's count). */
  expected: number;
  /** `_date_order` when the rows were written in date order, else nothing: the figures' workload suffix. */
  suffix: string;
  close(): Promise<void>;
}

/**
 * N synthetic incidents written by the bare driver into a fresh, migrated database (PostgreSQL vacuumed and analysed
 * after), the same rows into DuckDB; then one export and one DuckDB COPY before any clock, so that SQLite's page cache
 * and the V8 heap fill once, on the first full read.
 */
export async function loadExportRows(kind: EngineKind, size: number, dateOrder: boolean): Promise<ExportRows> {
  const reference = loadReferenceConfig();
  const db = await freshDatabase(kind);
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-export-bench-'));
  const close = async () => {
    duck.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  };
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, dateOrder ? synth.inDateOrder(size) : synth);
    await duck.run(`create table incidents (${DUCK_COLUMNS.map((c) => `${c} ${DOUBLES.has(c) ? 'double' : INTS.has(c) ? 'integer' : 'varchar'}`).join(', ')})`);
    const appender = await duck.createAppender('incidents');
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents${dateOrder ? ' in date order' : ''} (and the same rows into DuckDB)`);
    await bareLoad(bareDriver(db.engine), (i, at) => rows.values(i, at), size, { chunk: 100_000, searchIndex: false, onRow: (v) => appendRow(appender, v) });
    appender.closeSync();
    if (kind === 'postgres') await sql`vacuum analyze`.execute(db.engine.db);
    const ctx = createContext(db.engine, reference, testKeys());
    const reader = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: CLEARANCE, login: 'bench.export' });
    const expected = Number((await duck.runAndReadAll(`select count(*) as n from incidents where ${VISIBLE}`)).getRowObjectsJS()[0]?.n);
    log(`${kind}: ${expected.toLocaleString('en-US')} incidents visible to the reader`);

    const warm = await exportIncidents(ctx, reader, { format: 'csv' });
    await pipeline(Readable.from(warm.body), fs.createWriteStream(path.join(dir, 'warm.csv')));
    await duck.run(`copy (${EXPORTED_SELECT}) to '${path.join(dir, 'warm-duck.csv')}' (format csv, header true)`);
    return { db, ctx, reader, duck, dir, expected, suffix: dateOrder ? '_date_order' : '', close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Vigie's export of everything the reader sees, in `format`, streamed to `file`; the records it wrote. */
export async function vigieExport(rows: ExportRows, format: 'csv' | 'geojson', file: string): Promise<number> {
  const out = await exportIncidents(rows.ctx, rows.reader, { format });
  await pipeline(Readable.from(out.body), fs.createWriteStream(file));
  return out.written();
}
