/**
 * Which admin areas share a border, from their imported polygons: two areas are neighbours when a vertex of one lies
 * within `tolerance` degrees (~5 km) of a vertex of the other. Boundary files of neighbouring states are digitised
 * separately, so their common border rarely has identical vertices; a tolerance finds it all the same. Pure.
 */
import type { MultiPolygon, Polygon } from 'geojson';

export interface AreaShape {
  readonly code: string;
  readonly state: string;
  readonly geometry: Polygon | MultiPolygon;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function vertices(g: Polygon | MultiPolygon): [number, number][] {
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  const out: [number, number][] = [];
  for (const ring of rings) for (const p of ring) out.push([p[0] ?? 0, p[1] ?? 0]);
  return out;
}

/** Pairs `A|B` (codes sorted) of areas of different states whose boundaries meet, within `tolerance` degrees. */
export function sharedBorderPairs(areas: readonly AreaShape[], tolerance = 0.05): Set<string> {
  const cell = (x: number) => Math.floor(x / tolerance);
  // Grid of cells → the areas that have a vertex in it.
  const grid = new Map<string, Set<number>>();
  const points = areas.map((a) => vertices(a.geometry));
  points.forEach((pts, i) => {
    for (const [x, y] of pts) {
      const k = `${cell(x)}:${cell(y)}`;
      let s = grid.get(k);
      if (!s) grid.set(k, (s = new Set()));
      s.add(i);
    }
  });
  const pairs = new Set<string>();
  for (const s of grid.values()) {
    if (s.size < 2) continue;
    for (const i of s) for (const j of s) {
      const a = areas[i];
      const b = areas[j];
      if (i < j && a && b && a.state !== b.state) pairs.add(pairKey(a.code, b.code));
    }
  }
  // Vertices in adjacent cells also meet (a border running along a cell edge).
  for (const [k, s] of grid) {
    const [cx, cy] = k.split(':').map(Number) as [number, number];
    for (const [dx, dy] of [[1, 0], [0, 1], [1, 1], [1, -1]] as const) {
      const other = grid.get(`${cx + dx}:${cy + dy}`);
      if (!other) continue;
      for (const i of s) for (const j of other) {
        const a = areas[i];
        const b = areas[j];
        if (a && b && a.state !== b.state) pairs.add(pairKey(a.code, b.code));
      }
    }
  }
  return pairs;
}
