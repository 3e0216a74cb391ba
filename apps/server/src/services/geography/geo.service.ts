import { createRequire } from 'node:module';
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Engine, Trx } from '../../db/engine.js';
import { listAdminAreas, listAreaPolygons, listMemberStates } from '../../repositories/reference.repository.js';

type Shape = Polygon | MultiPolygon;

/**
 * How a point's areas were found (docs/geography.md, "Placement"):
 * - `polygon`: inside a boundary polygon;
 * - `nearest_polygon`: outside every polygon but within PLACEMENT_TOLERANCE_KM of one (GPS noise, a border river);
 * - `centroid_precision`: a record at admin-2 precision (geo_precision 3), whose point is the admin-2 centroid;
 * - `nearest_centroid`: a state without imported admin-1 boundaries, inside its country outline;
 * - `none`: outside every member state.
 */
export type PlacementMethod = 'polygon' | 'nearest_polygon' | 'centroid_precision' | 'nearest_centroid' | 'none';

/** Where a point falls: its member state and admin areas, and how they were found. */
export interface Placement {
  state: string | null;
  admin1: string | null;
  admin2: string | null;
  method: PlacementMethod;
  /** Distance to the polygon, for `nearest_polygon` (km). */
  distanceKm?: number;
}

/** A point this far (km, measured to the outline) outside every boundary still goes to the nearest one. */
export const PLACEMENT_TOLERANCE_KM = 5;
/** geo_precision 3 records whose point is within this distance (km) of an admin-2 centroid keep that admin-2. */
const CENTROID_MATCH_KM = 1;

const KM_PER_DEG_LAT = 110.57;
const kmPerDegLon = (lat: number) => 111.32 * Math.cos((lat * Math.PI) / 180);

/** A polygon prepared for fast tests: each ring's coordinates as one flat array. */
export interface PreparedShape {
  code: string;
  state: string;
  level: number;
  parent: string | null;
  bbox: [number, number, number, number];
  /** Rings of every part (outer and holes), [x0, y0, x1, y1, …]: even-odd containment across all rings. */
  rings: Float64Array[];
}

export function prepareShape(meta: { code: string; state: string; level: number; parent: string | null }, g: Shape): PreparedShape {
  const rings = (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()).map((r) => Float64Array.from(r.flatMap((p) => [p[0]!, p[1]!])));
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings)
    for (let i = 0; i < r.length; i += 2) {
      const x = r[i]!, y = r[i + 1]!;
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    }
  return { ...meta, bbox, rings };
}

/** Even-odd ray casting over every ring: holes and multipolygon parts are handled alike. */
export function shapeContains(s: PreparedShape, lon: number, lat: number): boolean {
  let inside = false;
  for (const r of s.rings) {
    const n = r.length;
    for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
      const yi = r[i + 1]!, yj = r[j + 1]!;
      if (yi > lat !== yj > lat) {
        const xi = r[i]!, xj = r[j]!;
        if (lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * Distance (km) from a point to a shape's outline, in a local equirectangular projection (exact enough below 50 km).
 * Segments wholly further than `maxKm` on one axis are skipped: the answer is exact up to `maxKm`, Infinity beyond.
 */
export function distanceToShapeKm(s: PreparedShape, lon: number, lat: number, maxKm = Infinity): number {
  const kx = kmPerDegLon(lat);
  let best = maxKm === Infinity ? Infinity : maxKm * 1.000001;
  for (const r of s.rings) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const ax = (r[i]! - lon) * kx, bx = (r[i + 2]! - lon) * kx;
      if ((ax > best && bx > best) || (ax < -best && bx < -best)) continue;
      const ay = (r[i + 1]! - lat) * KM_PER_DEG_LAT, by = (r[i + 3]! - lat) * KM_PER_DEG_LAT;
      if ((ay > best && by > best) || (ay < -best && by < -best)) continue;
      const dx = bx - ax, dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
      const d = Math.hypot(ax + t * dx, ay + t * dy);
      if (d < best) best = d;
    }
  }
  return best > maxKm ? Infinity : best;
}

/** Polygons behind a flatbush index of their bounding boxes: candidates by box, then the exact test. */
export class PolygonIndex {
  private readonly index: Flatbush | null;
  constructor(readonly shapes: PreparedShape[]) {
    if (!shapes.length) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(shapes.length);
    for (const s of shapes) this.index.add(s.bbox[0], s.bbox[1], s.bbox[2], s.bbox[3]);
    this.index.finish();
  }

  /** The polygon containing the point (the first, should polygons overlap). */
  containing(lon: number, lat: number, filter?: (s: PreparedShape) => boolean): PreparedShape | undefined {
    if (!this.index) return undefined;
    for (const i of this.index.search(lon, lat, lon, lat)) {
      const s = this.shapes[i]!;
      if ((!filter || filter(s)) && shapeContains(s, lon, lat)) return s;
    }
    return undefined;
  }

  /** The polygon whose outline is nearest a point that lies inside none of them, within `maxKm`. */
  nearest(lon: number, lat: number, maxKm: number, filter?: (s: PreparedShape) => boolean): { shape: PreparedShape; km: number } | undefined {
    if (!this.index) return undefined;
    const dLat = maxKm / KM_PER_DEG_LAT;
    const dLon = maxKm / Math.max(kmPerDegLon(Math.min(89, Math.abs(lat) + dLat)), 1e-6);
    let best: { shape: PreparedShape; km: number } | undefined;
    for (const i of this.index.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
      const s = this.shapes[i]!;
      if (filter && !filter(s)) continue;
      const km = distanceToShapeKm(s, lon, lat, maxKm);
      if (km <= maxKm && (!best || km < best.km)) best = { shape: s, km };
    }
    return best;
  }
}

let worldOutlines: Map<string, Shape> | null = null;
/** Natural Earth 1:50m country outlines (world-atlas), used for a state until its official boundaries are imported. */
function countryOutline(isoNumeric: string): Shape | undefined {
  if (!worldOutlines) {
    const require = createRequire(import.meta.url);
    const topo = require('world-atlas/countries-50m.json') as Topology<{ countries: GeometryCollection }>;
    const fc = feature(topo, topo.objects.countries);
    const outlines = new Map<string, Shape>();
    for (const f of fc.features) {
      const g = f.geometry;
      if (g?.type === 'Polygon' || g?.type === 'MultiPolygon') outlines.set(String(f.id), g);
    }
    worldOutlines = outlines;
  }
  return worldOutlines.get(isoNumeric);
}

interface AreaPoint {
  code: string;
  state: string;
  level: number;
  parent: string | null;
  lat: number;
  lon: number;
}

/**
 * Places points in member states and admin areas: point-in-polygon over a flatbush index of the boundaries, the
 * nearest polygon within PLACEMENT_TOLERANCE_KM, and for a state without boundaries its country outline and the
 * nearest admin-1 centroid.
 */
export class Gazetteer {
  private level1 = new PolygonIndex([]);
  private level2 = new PolygonIndex([]);
  private outlines = new PolygonIndex([]);
  private centroids: AreaPoint[] = [];
  /** The same areas by code: every placed incident looks up its areas here. */
  private byCode = new Map<string, AreaPoint>();
  private loaded = false;
  private generation = 0;

  constructor(private readonly engine: Engine) {}

  /** Drops the cached index, after boundaries were imported. */
  invalidate(): void {
    this.loaded = false;
    this.generation++;
  }

  /** Changes whenever the boundaries do: caches derived from them (GeoJSON, tiles, places) key on it. */
  get version(): number {
    return this.generation;
  }

  /** Loads the index through `trx` when given: inside a transaction, SQLite's single connection is the caller's. */
  private async load(trx: Trx = this.engine.db): Promise<void> {
    if (this.loaded) return;
    const polygons = await listAreaPolygons(trx);
    const all = await listAdminAreas(trx);
    const states = await listMemberStates(trx);
    const prepared = polygons.map((p) =>
      prepareShape({ code: p.code, state: p.state, level: p.level, parent: p.parent_code }, JSON.parse(p.geometry ?? 'null') as Shape),
    );
    this.level1 = new PolygonIndex(prepared.filter((p) => p.level === 1));
    this.level2 = new PolygonIndex(prepared.filter((p) => p.level === 2));
    this.centroids = all.map((a) => ({ code: a.code, state: a.state, level: a.level, parent: a.parent_code, lat: a.centroid_lat, lon: a.centroid_lon }));
    this.byCode = new Map(this.centroids.map((c) => [c.code, c]));
    const withAdmin1 = new Set(this.level1.shapes.map((a) => a.state));
    const outlines: PreparedShape[] = [];
    for (const s of states) {
      // A state whose admin-1 polygons are imported is outlined by them; otherwise by Natural Earth.
      if (withAdmin1.has(s.code)) continue;
      const outline = s.iso_numeric ? countryOutline(s.iso_numeric) : undefined;
      if (outline) outlines.push(prepareShape({ code: s.code, state: s.code, level: 0, parent: null }, outline));
    }
    this.outlines = new PolygonIndex(outlines);
    this.loaded = true;
  }

  /**
   * The member state, admin-1 and admin-2 areas of a point; state null when it lies outside every member state
   * (further than the tolerance). `geoPrecision` 3 (admin-2 only) keeps the admin-2 whose centroid the point is.
   */
  async place(lat: number, lon: number, trx?: Trx, geoPrecision?: number): Promise<Placement> {
    await this.load(trx);
    if (geoPrecision === 3) {
      const at = this.admin2Centroid(lat, lon);
      if (at) return { state: at.state, admin1: at.parent, admin2: at.code, method: 'centroid_precision' };
      const p = this.placeLoaded(lat, lon);
      return p.admin2 ? { ...p, method: 'centroid_precision' } : p;
    }
    return this.placeLoaded(lat, lon);
  }

  /** `place` for an index already loaded: synchronous, for bulk work (benchmarks, re-placement). */
  placeLoaded(lat: number, lon: number): Placement {
    const a2 = this.level2.containing(lon, lat);
    if (a2) return { state: a2.state, admin1: a2.parent, admin2: a2.code, method: 'polygon' };
    const a1 = this.level1.containing(lon, lat);
    if (a1) {
      // A gap between an admin-1 polygon and its admin-2 polygons (imported from different sources).
      const child = this.level2.nearest(lon, lat, PLACEMENT_TOLERANCE_KM, (s) => s.parent === a1.code);
      return { state: a1.state, admin1: a1.code, admin2: child?.shape.code ?? null, method: 'polygon' };
    }
    const outline = this.outlines.containing(lon, lat);
    if (outline) return this.byNearestCentroid(outline.state, lat, lon);
    const n2 = this.level2.nearest(lon, lat, PLACEMENT_TOLERANCE_KM);
    const n1 = this.level1.nearest(lon, lat, PLACEMENT_TOLERANCE_KM);
    if (n2 && (!n1 || n2.km <= n1.km)) return { state: n2.shape.state, admin1: n2.shape.parent, admin2: n2.shape.code, method: 'nearest_polygon', distanceKm: n2.km };
    if (n1) return { state: n1.shape.state, admin1: n1.shape.code, admin2: null, method: 'nearest_polygon', distanceKm: n1.km };
    const no = this.outlines.nearest(lon, lat, PLACEMENT_TOLERANCE_KM);
    if (no) return this.byNearestCentroid(no.shape.state, lat, lon);
    return { state: null, admin1: null, admin2: null, method: 'none' };
  }

  /** Loads the index (for callers that then use placeLoaded). */
  async ready(trx?: Trx): Promise<void> {
    await this.load(trx);
  }

  private byNearestCentroid(state: string, lat: number, lon: number): Placement {
    return { state, admin1: this.nearest(lat, lon, state, 1) ?? null, admin2: null, method: 'nearest_centroid' };
  }

  private admin2Centroid(lat: number, lon: number): AreaPoint | undefined {
    const kx = kmPerDegLon(lat);
    let best: AreaPoint | undefined;
    let bestKm = CENTROID_MATCH_KM;
    for (const c of this.centroids) {
      if (c.level !== 2) continue;
      const km = Math.hypot((c.lon - lon) * kx, (c.lat - lat) * KM_PER_DEG_LAT);
      if (km <= bestKm) [best, bestKm] = [c, km];
    }
    return best;
  }

  private nearest(lat: number, lon: number, state: string, level: number): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    const k = Math.cos((lat * Math.PI) / 180);
    for (const c of this.centroids) {
      if (c.state !== state || c.level !== level) continue;
      const d = (c.lat - lat) ** 2 + ((c.lon - lon) * k) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c.code;
      }
    }
    return best;
  }

  /** The centroid of an area, for coarsened locations. */
  async centroid(code: string, trx?: Trx): Promise<{ lat: number; lon: number } | undefined> {
    await this.load(trx);
    const c = this.byCode.get(code);
    return c ? { lat: c.lat, lon: c.lon } : undefined;
  }

  /** The level and state of a known area code. */
  async area(code: string, trx?: Trx): Promise<{ state: string; level: number; parent: string | null } | undefined> {
    await this.load(trx);
    const c = this.byCode.get(code);
    return c ? { state: c.state, level: c.level, parent: c.parent } : undefined;
  }
}

/** Centre of the 0.5° PRIO-GRID cell containing a point. */
export function prioGridCentre(lat: number, lon: number): { lat: number; lon: number } {
  return { lat: Math.floor(lat * 2) / 2 + 0.25, lon: Math.floor(lon * 2) / 2 + 0.25 };
}
