/**
 * How far the export's goal (issue 12: ≥ 0.5× DuckDB writing the same rows to CSV / JSON) can be reached at all on each
 * engine: the engine's own tool, with none of Vigie's code, writing the rows the reader sees as export.bench.ts's
 * DuckDB side does (the same SQL: the visibility rule as a plain WHERE, the coarsened points, newest first; codes not
 * resolved to names, lists as stored, no apostrophe before a would-be formula, no audit), in the same run as DuckDB and
 * as Vigie's export:
 *
 * - PostgreSQL: `COPY (select …) TO STDOUT` through the bare driver (pg-copy-streams) into a file, the server's
 *   defaults; CSV as `FORMAT csv, HEADER`, JSON as one `row_to_json` object a line (COPY's CSV form with a quote and a
 *   delimiter no row holds, so that the JSON is written as it is), as DuckDB's `FORMAT json` writes a line a row;
 * - SQLite: the `sqlite3` shell (`.mode csv` with headers, `.mode json`) on the database file, read-only. Skipped, with
 *   a message, where the shell is not installed.
 *
 * Figures, each the median of three runs of each side, the three sides alternating: `export_floor_csv` / `_json`
 * (`vigie` = the engine's tool, `baseline` = DuckDB: the ratio is the most any implementation on that engine could
 * show against DuckDB), and `export_vs_floor_csv` / `_geojson` (`vigie` = Vigie's export, `baseline` = the engine's
 * tool). Vigie meets ≥ 0.5× DuckDB only if its ratio to the floor is at least 0.5 / (the floor's ratio to DuckDB).
 *
 *   node --conditions=vigie-source --import tsx --expose-gc bench/export-floor.bench.ts --size N --engine sqlite|postgres [--order date]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { benchArgs } from './lib/args.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { EXPORTED_SELECT, loadExportRows, log, measured, vigieExport, type ExportRows } from './lib/export-rows.js';
import { figure, printTable, recordFigures, type Figure } from './lib/results.js';
import { percentile } from './lib/stats.js';

/** Runs of each side, the three sides alternating (their median is the figure). */
const RUNS = 3;
const hasSqliteShell = spawnSync('sqlite3', ['-version']).status === 0;

/** The engine's own tool writing EXPORTED_SELECT's rows as CSV (with headers) or a JSON object a row, into `file`. */
async function engineWrites(rows: ExportRows, format: 'csv' | 'json', file: string): Promise<void> {
  const bare = bareDriver(rows.db.engine);
  if (bare.kind === 'postgres') {
    const statement = format === 'csv'
      ? `copy (${EXPORTED_SELECT}) to stdout (format csv, header true)`
      : `copy (select row_to_json(t) from (${EXPORTED_SELECT}) t) to stdout (format csv, quote e'\\x01', delimiter e'\\x02')`;
    const client = await bare.pool.connect();
    try {
      await pipeline(client.query(copyTo(statement)), fs.createWriteStream(file));
    } finally {
      client.release();
    }
    return;
  }
  const commands = [format === 'csv' ? '.headers on' : '', `.mode ${format}`, `.once '${file}'`, `${EXPORTED_SELECT};`, ''].join('\n');
  const shell = spawn('sqlite3', ['-readonly', '-batch', rows.db.url.replace(/^sqlite:/, '')], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  shell.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  shell.stdin.end(commands);
  const code = await new Promise<number | null>((resolve, reject) => shell.on('error', reject).on('close', resolve));
  if (code !== 0 || stderr) throw new Error(`sqlite3 exited with ${code}: ${stderr.trim()}`);
}

async function runEngine(kind: EngineKind, size: number, dateOrder: boolean): Promise<Figure[]> {
  const rows = await loadExportRows(kind, size, dateOrder);
  const { duck, dir, expected, suffix } = rows;
  try {
    const figures: Figure[] = [];
    for (const [format, vigieFormat] of [['csv', 'csv'], ['json', 'geojson']] as const) {
      const files = { vigie: path.join(dir, `vigie.${vigieFormat}`), floor: path.join(dir, `floor.${format}`), duck: path.join(dir, `duck.${format}`) };
      const ms = { vigie: [] as number[], floor: [] as number[], duck: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        const v = await measured(() => vigieExport(rows, vigieFormat, files.vigie));
        if (v.value !== expected) throw new Error(`${vigieFormat} on ${kind}: Vigie wrote ${v.value} records, DuckDB counts ${expected}`);
        ms.vigie.push(v.ms);
        ms.floor.push((await measured(() => engineWrites(rows, format, files.floor))).ms);
        ms.duck.push((await measured(() => duck.run(`copy (${EXPORTED_SELECT}) to '${files.duck}' (format ${format === 'csv' ? 'csv, header true' : 'json'})`))).ms);
      }
      const mb = (f: string) => (fs.statSync(f).size / 1e6).toFixed(1);
      log(`${format}: vigie ${ms.vigie.map((x) => x.toFixed(0)).join(' / ')} ms (${mb(files.vigie)} MB), ${kind} ${ms.floor.map((x) => x.toFixed(0)).join(' / ')} ms (${mb(files.floor)} MB), duckdb ${ms.duck.map((x) => x.toFixed(0)).join(' / ')} ms (${mb(files.duck)} MB)`);
      const rate = (xs: number[]) => expected / (percentile(xs, 50) / 1000);
      figures.push(
        figure({ workload: `export_floor_${format}${suffix}`, engine: kind, metric: 'rows_per_s', vigie: rate(ms.floor), baseline: rate(ms.duck), unit: 'rows/s', size }),
        figure({ workload: `export_vs_floor_${vigieFormat}${suffix}`, engine: kind, metric: 'rows_per_s', vigie: rate(ms.vigie), baseline: rate(ms.floor), unit: 'rows/s', size }),
      );
      for (const f of Object.values(files)) fs.rmSync(f, { force: true });
    }
    return figures;
  } finally {
    await rows.close();
  }
}

const args = benchArgs();
const size = process.argv.some((a) => a === '--size' || a.startsWith('--size=')) ? args.size : 50_000;
const { dateOrder } = args;
const engines = benchEngines(args.engines).filter((k) => {
  if (k === 'sqlite' && !hasSqliteShell) console.warn('sqlite: not measured (the sqlite3 shell is not installed: apt-get install sqlite3)');
  return k !== 'sqlite' || hasSqliteShell;
});
const all: Figure[] = [];
for (const kind of engines) {
  const figures = await runEngine(kind, size, dateOrder);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Export floor: each engine's own tool writing the reader's rows, vs DuckDB, and Vigie vs that floor (${size.toLocaleString('en-US')} incidents${dateOrder ? ', written in date order' : ''})`, all);
for (const kind of engines) {
  for (const [format, vigieFormat] of [['csv', 'csv'], ['json', 'geojson']] as const) {
    const floor = all.find((f) => f.engine === kind && f.workload.startsWith(`export_floor_${format}`));
    const vs = all.find((f) => f.engine === kind && f.workload.startsWith(`export_vs_floor_${vigieFormat}`));
    if (floor && vs) console.log(`${kind} ${vigieFormat}: ≥ 0.5× DuckDB needs Vigie at ≥ ${(0.5 / floor.ratio).toFixed(2)}× ${kind}'s own tool; it is at ${vs.ratio.toFixed(2)}× (${(vs.ratio * floor.ratio).toFixed(2)}× DuckDB)`);
  }
}
