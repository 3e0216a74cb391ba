/**
 * Incident exports at scale (default 50,000 synthetic incidents here, `--size` up to 1,000,000), through the service
 * (`exportIncidents`: the list's SQL with visibility and coarsening, keyset pages, the format writer, the audit entry)
 * streamed to a file, next to DuckDB writing the same rows (same visibility rule, coarsened points, same order) from an
 * in-memory table loaded in the same run with COPY … TO a CSV and a JSON file.
 *
 *   node --conditions=vigie-source --import tsx --expose-gc bench/export.bench.ts --size N --engine sqlite|postgres [--order date]
 *
 * `--order date`: the same rows written in the order of their dates (SyntheticIncidents.inDateOrder), as records
 * reach a node (a feed brings the newest; a file sorted by date, as ACLED's are, brings them in order), so that the
 * table's pages hold records of the same days; figures `export_csv_date_order`, `export_geojson_date_order`. Without it
 * the dates are spread at random over the rows, and every record of a window of the export is on a page of its own.
 *
 * Figures per engine and format (csv, geojson), each the median of three runs of each side, alternating: elapsed ms
 * (ratio vigie / duckdb), rows per second, and the most resident memory any run added above its start (MiB; sampled
 * every 20 ms), which must not grow with N for Vigie. Then a box (the map's view) exported as GeoJSON against DuckDB
 * writing the same box: the first run of each (`first_ms`), then the median of three (`elapsed_ms`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';
import { sql } from 'kysely';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { exportIncidents } from '../apps/server/src/services/exchange/export.service.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { benchArgs } from './lib/args.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows, INCIDENT_COLUMNS, type BareValue } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile, settle } from './lib/stats.js';
import { SyntheticIncidents } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
/** The reader: the joint staff's analyst cleared to confidential (sees validated records shared with the confederation). */
const CLEARANCE = 2;
const VISIBLE = `classification_level <= ${CLEARANCE} and status in ('validated', 'merged') and sharing_scope in ('confederation', 'public')`;
const coarse = (axis: string) => `case when exact_location_level is not null and exact_location_level > ${CLEARANCE} then coarse_${axis} else ${axis} end`;

/** The box of the `export_geojson_box` figure: west, south, east, north. */
const BOX = [-4.4, 14.2, -3.8, 14.8] as const;
/** Runs of the box on each side after the first (their median is `elapsed_ms`; the first is `first_ms`). */
const BOX_RUNS = 3;
/** Runs of each whole export on each side, alternating (their median is the figure). */
const WHOLE_RUNS = 3;

const DOUBLES = new Set(['latitude', 'longitude', 'coarse_latitude', 'coarse_longitude']);
const INTS = new Set(['version', 'time_precision', 'exact_location_level', 'geo_precision', 'interaction', 'fatalities_best', 'fatalities_low',
  'fatalities_high', 'civilian_fatalities', 'injured', 'abducted', 'classification_level']);
const DUCK_COLUMNS = INCIDENT_COLUMNS.filter((c) => c !== 'search_text' && c !== 'create_hash' && c !== 'source_names');

/** The exported columns in DuckDB SQL, as Vigie writes them (coarsened point, no place name when coarsened). */
const DUCK_SELECT = `select id, occurred_start, occurred_end, time_precision, reporting_state, admin1_code, admin2_code,
  case when exact_location_level > ${CLEARANCE} then null else place_name end as place_name,
  ${coarse('latitude')} as latitude, ${coarse('longitude')} as longitude, coalesce(exact_location_level > ${CLEARANCE}, false) as location_coarsened,
  geo_precision, event_type, sub_event_type, interaction, actor1, actor2, associated_actors, fatalities_best, fatalities_low, fatalities_high,
  civilian_fatalities, injured, abducted, tags, narrative, sources, classification_level, sharing_scope, status, created_at, updated_at
  from incidents where ${VISIBLE} order by occurred_start desc, id desc`;

/** Peak resident memory above the start of a phase, sampled on a timer (the phase runs inside one await). */
async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; mib: number; value: T }> {
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

async function runEngine(kind: EngineKind, size: number, dateOrder: boolean): Promise<Figure[]> {
  const reference = loadReferenceConfig();
  const db = await freshDatabase(kind);
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-export-bench-'));
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, dateOrder ? synth.inDateOrder(size) : synth);
    const suffix = dateOrder ? '_date_order' : '';
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

    // One export and one COPY before the clock: SQLite's page cache (64 MiB) and the V8 heap fill once, on the first
    // full read; what is measured after is what an export adds, which must not grow with N.
    const warm = await exportIncidents(ctx, reader, { format: 'csv' });
    await pipeline(Readable.from(warm.body), fs.createWriteStream(path.join(dir, 'warm.csv')));
    await duck.run(`copy (${DUCK_SELECT}) to '${path.join(dir, 'warm-duck.csv')}' (format csv, header true)`);

    const figures: Figure[] = [];
    for (const format of ['csv', 'geojson'] as const) {
      const vigieFile = path.join(dir, `vigie.${format}`);
      const duckFile = path.join(dir, `duck.${format}`);
      const vigieRun = () => measured(async () => {
        const out = await exportIncidents(ctx, reader, { format });
        await pipeline(Readable.from(out.body), fs.createWriteStream(vigieFile));
        return out.written();
      });
      const duckRun = () => measured(() => duck.run(`copy (${DUCK_SELECT}) to '${duckFile}' (format ${format === 'csv' ? 'csv, header true' : 'json'})`));
      // Each side three times, alternating, the median's figure: the machine's pace moves between two runs (DuckDB's own
      // rate moved by a third from one run to the next here), and a ratio of two single runs moved with it.
      const vigie: Awaited<ReturnType<typeof vigieRun>>[] = [];
      const ducks: Awaited<ReturnType<typeof duckRun>>[] = [];
      for (let run = 0; run < WHOLE_RUNS; run++) {
        const v = await vigieRun();
        if (v.value !== expected) throw new Error(`${format} on ${kind}: Vigie wrote ${v.value} records, DuckDB counts ${expected}`);
        vigie.push(v);
        ducks.push(await duckRun());
      }
      const vMs = percentile(vigie.map((x) => x.ms), 50);
      const dMs = percentile(ducks.map((x) => x.ms), 50);
      // Memory: the most any run added.
      const vMib = Math.max(...vigie.map((x) => x.mib));
      const dMib = Math.max(...ducks.map((x) => x.mib));
      const mb = (f: string) => fs.statSync(f).size / 1e6;
      log(`${format}: vigie ${vigie.map((x) => x.ms.toFixed(0)).join(' / ')} ms ${mb(vigieFile).toFixed(1)} MB, +${vMib.toFixed(0)} MiB; duckdb ${ducks.map((x) => x.ms.toFixed(0)).join(' / ')} ms ${mb(duckFile).toFixed(1)} MB, +${dMib.toFixed(0)} MiB`);
      figures.push(
        figure({ workload: `export_${format}${suffix}`, engine: kind, metric: 'elapsed_ms', vigie: vMs, baseline: dMs, unit: 'ms', size }),
        figure({ workload: `export_${format}${suffix}`, engine: kind, metric: 'rows_per_s', vigie: expected / (vMs / 1000), baseline: expected / (dMs / 1000), unit: 'rows/s', size }),
        figure({ workload: `export_${format}${suffix}`, engine: kind, metric: 'peak_rss_delta', vigie: vMib, baseline: dMib, unit: 'MiB', size }),
      );
      fs.rmSync(vigieFile, { force: true });
      fs.rmSync(duckFile, { force: true });
    }
    // A box exported (the map's view): a bit over half a degree around Mopti, where the synthetic records gather.
    const [w, south, e, n] = BOX;
    const duckBox = DUCK_SELECT.replace(`where ${VISIBLE}`, `where ${VISIBLE} and ${coarse('latitude')} between ${south} and ${n} and ${coarse('longitude')} between ${w} and ${e}`);
    const inBox = Number((await duck.runAndReadAll(`select count(*) as n from (${duckBox})`)).getRowObjectsJS()[0]?.n);
    const boxFile = path.join(dir, 'vigie-box.geojson');
    const duckBoxFile = path.join(dir, 'duck-box.json');
    const vigieBox = async () => {
      const out = await exportIncidents(ctx, reader, { format: 'geojson', bbox: BOX.join(',') });
      await pipeline(Readable.from(out.body), fs.createWriteStream(boxFile));
      if (out.written() !== inBox) throw new Error(`box on ${kind}: Vigie wrote ${out.written()} records, DuckDB counts ${inBox}`);
    };
    const duckBoxRun = () => duck.run(`copy (${duckBox}) to '${duckBoxFile}' (format json)`);
    // A box is a fraction of a second: one run is noise. The first run of each side reads the points' indexes and the
    // box's pages for the first time (figure `first_ms`); then the median of three, alternating (`elapsed_ms`).
    const first = await measured(vigieBox);
    const duckFirst = await measured(duckBoxRun);
    const boxVigie: number[] = [];
    const boxDuck: number[] = [];
    for (let run = 0; run < BOX_RUNS; run++) {
      boxVigie.push((await measured(vigieBox)).ms);
      boxDuck.push((await measured(duckBoxRun)).ms);
    }
    const vbMs = percentile(boxVigie, 50);
    const dbMs = percentile(boxDuck, 50);
    log(`box (${inBox.toLocaleString('en-US')} records): vigie first ${first.ms.toFixed(0)} ms, then ${boxVigie.map((x) => x.toFixed(0)).join(' / ')} ms; duckdb first ${duckFirst.ms.toFixed(0)} ms, then ${boxDuck.map((x) => x.toFixed(0)).join(' / ')} ms`);
    figures.push(
      figure({ workload: `export_geojson_box${suffix}`, engine: kind, metric: 'first_ms', vigie: first.ms, baseline: duckFirst.ms, unit: 'ms', size }),
      figure({ workload: `export_geojson_box${suffix}`, engine: kind, metric: 'elapsed_ms', vigie: vbMs, baseline: dbMs, unit: 'ms', size }),
    );
    return figures;
  } finally {
    duck.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

const args = benchArgs();
// A modest default here (minutes, not hours); --size up to 1,000,000 as for the other benchmarks.
const size = process.argv.some((a) => a === '--size' || a.startsWith('--size=')) ? args.size : 50_000;
/** The issue's goals: throughput at least half of DuckDB's; memory (what an export adds, not the ratio) at most 300 MiB. */
const goals: Record<string, Goal> = Object.fromEntries(['export_csv', 'export_geojson', 'export_csv_date_order', 'export_geojson_date_order'].map((w) => [`${w}/rows_per_s`, { kind: 'min', ratio: 0.5 }]));
const { dateOrder } = args;
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, size, dateOrder);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Exports through the service vs DuckDB COPY on the same rows (${size.toLocaleString('en-US')} incidents${dateOrder ? ', written in date order' : ''}; baseline = DuckDB)`, all, goals);
