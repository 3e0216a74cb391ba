import { createRequire } from 'node:module';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Engine, Trx } from '../../db/engine.js';
import { listAdminAreas, listAreaPolygons, listMemberStates } from '../../repositories/reference.repository.js';
import { BoundaryFrames } from './boundary-frames.js';
import { CENTROID_MATCH_KM, KM_PER_DEG_LAT, kmPerDegLon, PLACEMENT_TOLERANCE_KM, PolygonIndex, prepareShape, type PreparedShape } from './polygon-index.js';

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

/** A point placed in the boundary set valid at a date, and in the current set (docs/geography.md, "Boundary versions"). */
export interface DatedPlacement {
  /** In the current set: what admin1_code/admin2_code hold, what aggregates, alerts and the map use. */
  current: Placement;
  /** In the set valid at the date (the current one unless a later set replaced it). */
  placed: { set: string | null; admin1: string | null; admin2: string | null };
}

export { PLACEMENT_TOLERANCE_KM, prepareShape, shapeContains, distanceToShapeKm, PolygonIndex, type PreparedShape } from './polygon-index.js';

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
  private frames: BoundaryFrames | null = null;
  private withLevel2 = new Set<string>();

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
    this.withLevel2 = new Set(this.level2.shapes.map((a) => a.state));
    this.frames = await BoundaryFrames.load(trx);
    this.loaded = true;
  }

  /**
   * Places a point in the boundary set valid at `date` (an ISO instant or YYYY-MM-DD) and maps it to the current set.
   * When a later set replaced the one valid at the date, the current areas come from the crosswalk of the older area
   * (largest overlap; the point decides between the parts of a split area); otherwise both are the current placement.
   */
  async placeAt(lat: number, lon: number, date: string, trx?: Trx, geoPrecision?: number): Promise<DatedPlacement> {
    const current = await this.place(lat, lon, trx, geoPrecision);
    const frames = this.frames!;
    const closed = current.state && frames.hasHistory ? frames.closedAt(current.state, date.slice(0, 10)) : undefined;
    if (!current.state || !closed) {
      return { current, placed: { set: current.state ? (frames.current(current.state)?.code ?? null) : null, admin1: current.admin1, admin2: current.admin2 } };
    }
    await frames.prepare(closed.code, trx ?? this.engine.db);
    const old = frames.placeIn(closed.code, lon, lat);
    if (old.method === 'none') return { current, placed: { set: closed.code, admin1: null, admin2: null } };
    const target = frames.mapToCurrent(closed.code, old, this.withLevel2.has(current.state), current);
    const placed = { set: closed.code, admin1: old.admin1, admin2: old.admin2 };
    if (!target) return { current, placed };
    const t = this.byCode.get(target.code);
    const mapped: Placement = target.level === 2
      ? { state: t?.state ?? current.state, admin1: t?.parent ?? null, admin2: target.code, method: old.method }
      : { state: t?.state ?? current.state, admin1: target.code, admin2: null, method: old.method };
    return { current: mapped, placed };
  }

  /** True once some state has a closed boundary set: only then can an incident's date change its placement. */
  async hasBoundaryHistory(trx?: Trx): Promise<boolean> {
    await this.load(trx);
    return this.frames!.hasHistory;
  }

  /** The current boundary set of a state (after load). */
  async currentSet(state: string, trx?: Trx): Promise<string | null> {
    await this.load(trx);
    return this.frames!.current(state)?.code ?? null;
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
