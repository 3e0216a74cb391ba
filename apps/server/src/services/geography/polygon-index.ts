/** Polygons behind a spatial index: exact point-in-polygon and distance to an outline. Pure; used by the Gazetteer. */
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon } from 'geojson';

type Shape = Polygon | MultiPolygon;

/** A point this far (km, measured to the outline) outside every boundary still goes to the nearest one. */
export const PLACEMENT_TOLERANCE_KM = 5;
/** geo_precision 3 records whose point is within this distance (km) of an admin-2 centroid keep that admin-2. */
export const CENTROID_MATCH_KM = 1;

export const KM_PER_DEG_LAT = 110.57;
export const kmPerDegLon = (lat: number) => 111.32 * Math.cos((lat * Math.PI) / 180);

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

