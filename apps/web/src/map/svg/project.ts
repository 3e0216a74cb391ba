/** A plain equirectangular projection for small static maps (the dashboard's), with SVG path building. */
export type Bbox = [number, number, number, number]; // west, south, east, north

export interface Projection {
  width: number;
  height: number;
  point(lon: number, lat: number): [number, number];
  /** Picture coordinates back to [lon, lat]. */
  invert(x: number, y: number): [number, number];
}

/** Fits a bbox into `width` pixels, scaling longitudes by the cosine of the middle latitude so shapes keep their look. */
export function fitProjection([w, s, e, n]: Bbox, width: number): Projection {
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = width / ((e - w) * k);
  const height = Math.round((n - s) * scale);
  return {
    width,
    height,
    point: (lon, lat) => [Math.round((lon - w) * k * scale * 10) / 10, Math.round((n - lat) * scale * 10) / 10],
    invert: (x, y) => [w + x / (k * scale), n - y / scale],
  };
}

type Ring = number[][];
interface Geometry {
  type: string;
  coordinates: unknown;
}

function rings(g: Geometry): Ring[] {
  if (g.type === 'Polygon') return g.coordinates as Ring[];
  if (g.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
}

/** The bbox of a polygon or multipolygon. */
export function geometryBbox(g: Geometry): Bbox {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings(g)) for (const [x, y] of r) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

export const intersects = (a: Bbox, b: Bbox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

/** An SVG path for a polygon or multipolygon. */
export function svgPath(g: Geometry, p: Projection): string {
  return rings(g)
    .map((r) => r.map(([x, y], i) => `${i ? 'L' : 'M'}${p.point(x, y).join(',')}`).join('') + 'Z')
    .join('');
}

/** Where to put a polygon's label: the middle of its largest part's extent (good enough for the Sahel's regions). */
export function labelPoint(g: Geometry): [number, number] | null {
  if (g.type === 'Point') return g.coordinates as [number, number];
  const parts = g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : [];
  let best: Bbox | null = null;
  let bestArea = -1;
  for (const part of parts) {
    const b = geometryBbox({ type: 'Polygon', coordinates: part });
    const area = (b[2] - b[0]) * (b[3] - b[1]);
    if (area > bestArea) { best = b; bestArea = area; }
  }
  return best ? [(best[0] + best[2]) / 2, (best[1] + best[3]) / 2] : null;
}
