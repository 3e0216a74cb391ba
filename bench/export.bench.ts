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
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { exportIncidents } from '../apps/server/src/services/exchange/export.service.js';
import { benchArgs } from './lib/args.js';
import { benchEngines } from './lib/engines.js';
import { coarse, EXPORTED_SELECT, loadExportRows, log, measured, vigieExport, VISIBLE } from './lib/export-rows.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { percentile } from './lib/stats.js';

/** The box of the `export_geojson_box` figure: west, south, east, north. */
const BOX = [-4.4, 14.2, -3.8, 14.8] as const;
/** Runs of the box on each side after the first (their median is `elapsed_ms`; the first is `first_ms`). */
const BOX_RUNS = 3;
/** Runs of each whole export on each side, alternating (their median is the figure). */
const WHOLE_RUNS = 3;

async function runEngine(kind: EngineKind, size: number, dateOrder: boolean): Promise<Figure[]> {
  const rows = await loadExportRows(kind, size, dateOrder);
  const { ctx, reader, duck, dir, expected, suffix } = rows;
  try {
    const figures: Figure[] = [];
    for (const format of ['csv', 'geojson'] as const) {
      const vigieFile = path.join(dir, `vigie.${format}`);
      const duckFile = path.join(dir, `duck.${format}`);
      const vigieRun = () => measured(() => vigieExport(rows, format, vigieFile));
      const duckRun = () => measured(() => duck.run(`copy (${EXPORTED_SELECT}) to '${duckFile}' (format ${format === 'csv' ? 'csv, header true' : 'json'})`));
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
    const duckBox = EXPORTED_SELECT.replace(`where ${VISIBLE}`, `where ${VISIBLE} and ${coarse('latitude')} between ${south} and ${n} and ${coarse('longitude')} between ${w} and ${e}`);
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
    await rows.close();
  }
}

const args = benchArgs();
// A modest default here (minutes, not hours); --size up to 1,000,000 as for the other benchmarks.
const size = process.argv.some((a) => a === '--size' || a.startsWith('--size=')) ? args.size : 50_000;
/** The goals: throughput at least half of DuckDB's; memory (what an export adds, not the ratio) at most 300 MiB. */
const goals: Record<string, Goal> = Object.fromEntries(['export_csv', 'export_geojson', 'export_csv_date_order', 'export_geojson_date_order'].map((w) => [`${w}/rows_per_s`, { kind: 'min', ratio: 0.5 }]));
const { dateOrder } = args;
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, size, dateOrder);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Exports through the service vs DuckDB COPY on the same rows (${size.toLocaleString('en-US')} incidents${dateOrder ? ', written in date order' : ''}; baseline = DuckDB)`, all, goals);
