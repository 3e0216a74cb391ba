import { createRequire } from 'node:module';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Engine, Trx } from '../db/engine.js';
import { listAdminAreas, listAreaPolygons, listMemberStates } from '../repositories/reference.repository.js';

type Shape = Polygon | MultiPolygon;
interface IndexedShape {
  code: string;
  state: string;
  level: number;
  parent: string | null;
  centroid: [number, number];
  bbox: [number, number, number, number];
  geometry: Shape;
}

/** Where a point falls: its member state and admin areas, and how they were found. */
export interface Placement {
  state: string | null;
  admin1: string | null;
  admin2: string | null;
  method: 'polygon' | 'nearest_centroid' | 'none';
}

/** Accept points this close (degrees, ~5.5 km) outside a boundary: coordinates and outlines are both approximate. */
const BORDER_TOLERANCE = 0.05;

const inBbox = (lon: number, lat: number, b: [number, number, number, number], pad = 0) =>
  lon >= b[0] - pad && lon <= b[2] + pad && lat >= b[1] - pad && lat <= b[3] + pad;

function shapeBbox(g: Shape): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const ring of rings)
    for (const [x, y] of ring) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

function contains(s: { bbox: [number, number, number, number]; geometry: Shape }, lon: number, lat: number, pad: number): boolean {
  if (!inBbox(lon, lat, s.bbox, pad)) return false;
  if (booleanPointInPolygon([lon, lat], s.geometry)) return true;
  if (pad === 0) return false;
  // Within the tolerance band: a nearby point inside the shape is enough.
  for (const [dx, dy] of [[pad, 0], [-pad, 0], [0, pad], [0, -pad], [pad, pad], [pad, -pad], [-pad, pad], [-pad, -pad]]) {
    if (booleanPointInPolygon([lon + dx, lat + dy], s.geometry)) return true;
  }
  return false;
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

/** Places points in member states and admin areas: point-in-polygon where boundaries are imported, nearest centroid otherwise. */
export class Gazetteer {
  private states: IndexedShape[] = [];
  private areas: IndexedShape[] = [];
  private centroids: { code: string; state: string; level: number; parent: string | null; lat: number; lon: number }[] = [];
  /** The same areas by code: every placed incident looks up its areas here. */
  private byCode = new Map<string, Gazetteer['centroids'][number]>();
  private loaded = false;

  constructor(private readonly engine: Engine) {}

  /** Drops the cached index, after boundaries were imported. */
  invalidate(): void {
    this.loaded = false;
  }

  /** Loads the index through `trx` when given: inside a transaction, SQLite's single connection is the caller's. */
  private async load(trx: Trx = this.engine.db): Promise<void> {
    if (this.loaded) return;
    const polygons = await listAreaPolygons(trx);
    const all = await listAdminAreas(trx);
    const states = await listMemberStates(trx);
    this.areas = polygons.map((p) => {
      const geometry = JSON.parse(p.geometry ?? 'null') as Shape;
      return { code: p.code, state: p.state, level: p.level, parent: p.parent_code, centroid: [p.centroid_lon, p.centroid_lat], bbox: shapeBbox(geometry), geometry };
    });
    this.centroids = all.map((a) => ({ code: a.code, state: a.state, level: a.level, parent: a.parent_code, lat: a.centroid_lat, lon: a.centroid_lon }));
    this.byCode = new Map(this.centroids.map((c) => [c.code, c]));
    const withAdmin1 = new Set(this.areas.filter((a) => a.level === 1).map((a) => a.state));
    this.states = [];
    for (const s of states) {
      // A state whose admin-1 polygons are imported is outlined by them; otherwise by Natural Earth.
      if (withAdmin1.has(s.code)) continue;
      const outline = s.iso_numeric ? countryOutline(s.iso_numeric) : undefined;
      if (outline) this.states.push({ code: s.code, state: s.code, level: 0, parent: null, centroid: [0, 0], bbox: shapeBbox(outline), geometry: outline });
    }
    this.loaded = true;
  }

  /** The member state, admin-1 and admin-2 areas of a point; state null when it lies outside every member state. */
  async place(lat: number, lon: number, trx?: Trx): Promise<Placement> {
    await this.load(trx);
    const exact = (level: number, pad: number) => this.areas.find((a) => a.level === level && contains(a, lon, lat, pad));
    const admin1 = exact(1, 0) ?? exact(1, BORDER_TOLERANCE);
    let state = admin1?.state ?? null;
    if (!state) state = (this.states.find((s) => contains(s, lon, lat, 0)) ?? this.states.find((s) => contains(s, lon, lat, BORDER_TOLERANCE)))?.code ?? null;
    if (!state) return { state: null, admin1: null, admin2: null, method: 'none' };
    const admin2 = this.areas.find((a) => a.level === 2 && a.state === state && contains(a, lon, lat, 0));
    if (admin1) return { state, admin1: admin1.code, admin2: admin2?.code ?? null, method: 'polygon' };
    const nearest = this.nearest(lat, lon, state, 1);
    return { state, admin1: admin2?.parent ?? nearest ?? null, admin2: admin2?.code ?? null, method: admin2 ? 'polygon' : 'nearest_centroid' };
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
