/**
 * Geography: placing points and serving vector tiles from the shipped boundaries (apps/server/geo).
 *
 *   node --conditions=vigie-source --import tsx bench/geography.bench.ts [--size N]      (default 1,000,000 points)
 *   npm run bench -- --only geography
 *
 * - place: N seeded random points over the member states' bounding box through `Gazetteer.placeLoaded` (flatbush,
 *   exact point-in-polygon, nearest polygon within 5 km for misses), against a bare loop over the same polygons in
 *   the same run: one flatbush of their bounding boxes and @turf/boolean-point-in-polygon on the candidates.
 * - tiles: every tile over the region from z0 to z10, built cold through `vectorTile` (geojson-vt + vt-pbf, six
 *   layers), then served again from the cache; p95 against the 50 ms goal.
 * - re-place: after a second Mali set is imported with a validity date (the Mopti region split in three), the
 *   re-placement job over GEO_REPLACE_SIZE (default 20,000) stored incidents — each placed in the set valid at its date,
 *   mapped to the current set by the crosswalk, a version, audit and change-log entry per moved record, batches
 *   through mutate() with the job's cursor — against a bare loop doing the same user-visible job: read the points and
 *   dates, flatbush + @turf/boolean-point-in-polygon over the set valid at each date, write the areas into a plain table.
 * - peak resident memory over the run.
 *
 * The gazetteer loads from a SQLite database (the engine does not matter once the index is in memory).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon } from 'geojson';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { TILE_MAX_ZOOM, vectorTile } from '../apps/server/src/services/geography/geography.service.js';
import { loadReferenceConfig, readShippedAreas, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { maliWithMoptiSplit } from '../apps/server/src/test-support/boundary-sets.js';
import type { Ctx } from '../apps/server/src/services/context.js';
import { importBoundaries } from '../apps/server/src/services/geography/gazetteer.service.js';
import { runReplacementJob, startReplacementJob } from '../apps/server/src/services/geography/replacement-job.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import type { ReferenceConfig } from '@vigie/domain';
import { bareLoad } from './lib/bare-load.js';
import { BareRows } from './lib/bare-rows.js';
import { bareDriver } from './lib/engines.js';
import { SyntheticIncidents } from './lib/synthetic.js';
import { benchArgs } from './lib/args.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile, RssPeak } from './lib/stats.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
/** The member states' bounding box (lon, lat). */
const REGION = [-12.3, 9.4, 16.0, 25.0] as const;
const TILE_GOAL_MS = 50;
const GOALS: Record<string, Goal> = {
  'geo_place/points_per_s': { kind: 'min', ratio: 0.5 },
  'geo_tiles/cold_p95_ms': { kind: 'max', ratio: 1 },
  'geo_tiles/warm_p95_ms': { kind: 'max', ratio: 1 },
};
const REPLACE_SIZE = Number(process.env.GEO_REPLACE_SIZE ?? 20_000);

/** mulberry32: the same points on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

async function main(): Promise<void> {
  const { size } = benchArgs();
  const peak = new RssPeak();
  const db = await freshDatabase('sqlite');
  const figures: Figure[] = [];
  try {
    await migrateToLatest(db.engine);
    const reference = loadReferenceConfig();
    await syncReferenceData(db.engine, reference);
    const ctx = createContext(db.engine, reference, testKeys());
    await ctx.gazetteer.ready();

    const rnd = random(42);
    const lons = new Float64Array(size);
    const lats = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      lons[i] = REGION[0] + rnd() * (REGION[2] - REGION[0]);
      lats[i] = REGION[1] + rnd() * (REGION[3] - REGION[1]);
    }

    // Bare: the same polygons (admin-2, and admin-1 where a state has no admin-2), one flatbush, turf's test.
    const polys = readShippedAreas().filter((f) => f.geometry.type !== 'Point') as unknown as { geometry: Polygon | MultiPolygon; properties: { code: string; level: number } }[];
    const index = bareIndex(polys);

    log(`placing ${size.toLocaleString('en-US')} points: bare flatbush + turf`);
    let bareHits = 0;
    let t0 = now();
    for (let i = 0; i < size; i++) {
      const lon = lons[i]!, lat = lats[i]!;
      let a2 = false;
      for (const k of index.search(lon, lat, lon, lat)) {
        const f = polys[k]!;
        if ((!a2 || f.properties.level === 2) && booleanPointInPolygon([lon, lat], f.geometry)) {
          bareHits++;
          if (f.properties.level === 2) a2 = true;
        }
      }
      if ((i & 0xffff) === 0) peak.sample();
    }
    const bareS = (now() - t0) / 1000;
    log(`bare: ${bareS.toFixed(2)} s (${bareHits.toLocaleString('en-US')} polygon hits)`);

    log('placing the same points through the Gazetteer');
    let placed = 0;
    let nearest = 0;
    t0 = now();
    for (let i = 0; i < size; i++) {
      const p = ctx.gazetteer.placeLoaded(lats[i]!, lons[i]!);
      if (p.state) placed++;
      if (p.method === 'nearest_polygon') nearest++;
      if ((i & 0xffff) === 0) peak.sample();
    }
    const vigieS = (now() - t0) / 1000;
    log(`gazetteer: ${vigieS.toFixed(2)} s (${placed.toLocaleString('en-US')} in a member state, ${nearest.toLocaleString('en-US')} by the nearest polygon)`);
    figures.push(figure({ workload: 'geo_place', engine: 'memory', metric: 'points_per_s', vigie: size / vigieS, baseline: size / bareS, unit: 'points/s', size }));

    const coords: [number, number, number][] = [];
    for (let z = 0; z <= Math.min(10, TILE_MAX_ZOOM); z++)
      for (let x = tileX(REGION[0], z); x <= tileX(REGION[2], z); x++)
        for (let y = tileY(REGION[3], z); y <= tileY(REGION[1], z); y++) coords.push([z, x, y]);
    log(`tiles: ${coords.length.toLocaleString('en-US')} tiles z0–z10, cold`);
    const cold: number[] = [];
    let bytes = 0;
    let empty = 0;
    for (const [z, x, y] of coords) {
      const t = now();
      const tile = await vectorTile(ctx, z, x, y);
      cold.push(now() - t);
      if (tile) bytes += tile.raw.length;
      else empty++;
      peak.sample();
    }
    const warm: number[] = [];
    for (const [z, x, y] of coords) {
      const t = now();
      await vectorTile(ctx, z, x, y);
      warm.push(now() - t);
    }
    log(`tiles: ${empty} empty, ${(bytes / 1024 / 1024).toFixed(1)} MiB uncompressed in all, max cold ${Math.max(...cold).toFixed(1)} ms`);
    figures.push(figure({ workload: 'geo_tiles', engine: 'memory', metric: 'cold_p95_ms', vigie: percentile(cold, 95), baseline: TILE_GOAL_MS, unit: 'ms', size: coords.length }));
    figures.push(figure({ workload: 'geo_tiles', engine: 'memory', metric: 'warm_p95_ms', vigie: percentile(warm, 95), baseline: TILE_GOAL_MS, unit: 'ms', size: coords.length }));
    figures.push(await replacement(ctx, reference, peak));
    figures.push(figure({ workload: 'geo_memory', engine: 'memory', metric: 'peak_rss_mib', vigie: peak.mib, baseline: 512, unit: 'MiB', size }));
  } finally {
    await db.drop();
  }
  printTable(`Geography: placement of ${size.toLocaleString('en-US')} points (baseline: bare flatbush + turf), tiles z0–z10 (baseline: ${TILE_GOAL_MS} ms goal)`, figures, GOALS);
  recordFigures(figures);
}

/** Bounding boxes of polygons in one flatbush, for the bare loops. */
function bareIndex(polys: { geometry: Polygon | MultiPolygon }[]): Flatbush {
  const index = new Flatbush(Math.max(1, polys.length));
  for (const f of polys) {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat())
      for (const [x, y] of ring as [number, number][]) {
        b[0] = Math.min(b[0]!, x); b[1] = Math.min(b[1]!, y); b[2] = Math.max(b[2]!, x); b[3] = Math.max(b[3]!, y);
      }
    index.add(b[0]!, b[1]!, b[2]!, b[3]!);
  }
  index.finish();
  return index;
}

/** Re-placement after a boundary import: the job against a bare point-in-polygon loop writing a plain table. */
async function replacement(ctx: Ctx, reference: ReferenceConfig, peak: RssPeak): Promise<Figure> {
  const n = REPLACE_SIZE;
  log(`re-placement: loading ${n.toLocaleString('en-US')} incidents`);
  const synth = await SyntheticIncidents.create(reference);
  const rows = await BareRows.prepare(ctx.engine, reference, synth);
  await bareLoad(bareDriver(ctx.engine), (i, at) => rows.values(i, at), n, { chunk: 10_000, searchIndex: false });
  const dates = (await ctx.engine.db.selectFrom('incidents').select('occurred_start').orderBy('occurred_start').execute()).map((r) => r.occurred_start);
  const validFrom = dates[Math.floor(dates.length / 2)]!.slice(0, 10);
  log(`re-placement: importing the Mopti split valid from ${validFrom} (crosswalk by area overlap)`);
  let t0 = now();
  await importBoundaries(ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom });
  log(`re-placement: import and crosswalk ${((now() - t0) / 1000).toFixed(1)} s`);

  // Bare: the old set's polygons before the date, the new set's after; areas written to a plain table.
  const raw = bareDriver(ctx.engine);
  if (raw.kind !== 'sqlite') throw new Error('sqlite only');
  const shape = (g: string | null) => JSON.parse(g ?? 'null') as Polygon | MultiPolygon;
  const oldPolys = (await ctx.engine.db.selectFrom('boundary_set_areas').select(['code', 'level', 'geometry']).where('geometry', 'is not', null).execute())
    .map((a) => ({ code: a.code, level: a.level, geometry: shape(a.geometry) }));
  const newPolys = (await ctx.engine.db.selectFrom('admin_areas').select(['code', 'level', 'geometry']).where('geometry', 'is not', null).execute())
    .map((a) => ({ code: a.code, level: a.level, geometry: shape(a.geometry) }));
  const frames = [{ polys: oldPolys, index: bareIndex(oldPolys) }, { polys: newPolys, index: bareIndex(newPolys) }];
  raw.raw.exec('create table bare_placement (id text primary key, admin1 text, admin2 text)');
  const read = raw.raw.prepare('select id, latitude, longitude, occurred_start from incidents order by id');
  const write = raw.raw.prepare('insert into bare_placement (id, admin1, admin2) values (?, ?, ?)');
  log('re-placement: bare loop');
  t0 = now();
  // Read first: better-sqlite3 cannot write while a statement is still iterating.
  const points = read.all() as { id: string; latitude: number; longitude: number; occurred_start: string }[];
  raw.raw.transaction(() => {
    for (const r of points) {
      const f = frames[r.occurred_start.slice(0, 10) < validFrom ? 0 : 1]!;
      let a1: string | null = null;
      let a2: string | null = null;
      for (const k of f.index.search(r.longitude, r.latitude, r.longitude, r.latitude)) {
        const p = f.polys[k]!;
        if (booleanPointInPolygon([r.longitude, r.latitude], p.geometry)) {
          if (p.level === 2) a2 = p.code;
          else a1 = p.code;
        }
      }
      write.run(r.id, a1, a2);
    }
  })();
  const bareS = (now() - t0) / 1000;
  peak.sample();
  log(`re-placement: bare ${bareS.toFixed(2)} s`);

  t0 = now();
  const job = await startReplacementJob(ctx, SYSTEM, 'bench');
  const done = await runReplacementJob(ctx, SYSTEM, job.id, { onProgress: () => peak.sample() });
  const vigieS = (now() - t0) / 1000;
  log(`re-placement: job ${vigieS.toFixed(2)} s, ${done.done} incidents, ${done.moved} moved (a version, an audit and a change-log entry each)`);
  return figure({ workload: 'geo_replace', engine: 'sqlite', metric: 'incidents_per_s', vigie: n / vigieS, baseline: n / bareS, unit: 'incidents/s', size: n });
}

await main();
