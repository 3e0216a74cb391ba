/** The crosswalk between two boundary sets by area overlap (docs/geography.md, "Boundary versions"). Pure. */
import { area } from '@turf/area';
import { intersect } from '@turf/intersect';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

type Shape = Polygon | MultiPolygon;

export interface CrosswalkArea {
  code: string;
  level: number;
  geometry: Shape;
  /** The older area's parent: when the parent is unchanged in the newer set, the area lies wholly in it. */
  parent?: string | null;
}

export interface CrosswalkLink {
  from_code: string;
  from_level: number;
  to_code: string;
  to_level: number;
  overlap_km2: number;
  /** Share of the older area that lies in the newer one. */
  share_of_from: number;
  /** Share of the newer area that comes from the older one. */
  share_of_to: number;
}

/** Overlaps below this share of both areas are slivers of two drawings of the same line, not a real overlap. */
export const SLIVER_SHARE = 0.005;

function bbox(g: Shape): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()) {
    for (const [x, y] of ring as [number, number][]) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}

const asFeature = (geometry: Shape): Feature<Shape> => ({ type: 'Feature', properties: {}, geometry });

/**
 * For every pair of an older and a newer area whose polygons overlap: the overlap (km², geodesic area by @turf/area)
 * and its share of each. Pairs are found by bounding box, then intersected exactly (@turf/intersect, polyclip-ts).
 */
export function computeCrosswalk(from: CrosswalkArea[], to: CrosswalkArea[]): CrosswalkLink[] {
  const toPrepared = to.map((t) => ({ ...t, box: bbox(t.geometry), km2: area(t.geometry) / 1e6, text: JSON.stringify(t.geometry) }));
  const links: CrosswalkLink[] = [];
  // An area drawn identically in both sets (a reform leaves most areas as they were) is wholly the newer area at its
  // level, and its older children lie wholly in that area: no polygon to intersect for them.
  const same = new Map<string, Map<number, (typeof toPrepared)[number]>>();
  for (const f of from) {
    const text = JSON.stringify(f.geometry);
    for (const t of toPrepared) if (t.text === text) same.set(f.code, new Map([...(same.get(f.code) ?? []), [t.level, t]]));
  }
  const whole = (f: CrosswalkArea, t: (typeof toPrepared)[number], fKm2: number): CrosswalkLink =>
    ({ from_code: f.code, from_level: f.level, to_code: t.code, to_level: t.level, overlap_km2: fKm2, share_of_from: 1, share_of_to: Math.min(1, fKm2 / t.km2) });
  for (const f of from) {
    const fb = bbox(f.geometry);
    const fKm2 = area(f.geometry) / 1e6;
    if (fKm2 <= 0) continue;
    const identical = same.get(f.code);
    const inParent = f.parent ? same.get(f.parent) : undefined;
    const known = new Map([...(inParent ?? []), ...(identical ?? [])]);
    for (const t of known.values()) links.push(whole(f, t, fKm2));
    for (const t of toPrepared) {
      if (known.has(t.level)) continue;
      if (t.box[0] > fb[2] || t.box[2] < fb[0] || t.box[1] > fb[3] || t.box[3] < fb[1] || t.km2 <= 0) continue;
      const overlap = intersect({ type: 'FeatureCollection', features: [asFeature(f.geometry), asFeature(t.geometry)] });
      if (!overlap) continue;
      const km2 = area(overlap) / 1e6;
      const shareFrom = Math.min(1, km2 / fKm2);
      const shareTo = Math.min(1, km2 / t.km2);
      if (shareFrom < SLIVER_SHARE && shareTo < SLIVER_SHARE) continue;
      links.push({ from_code: f.code, from_level: f.level, to_code: t.code, to_level: t.level, overlap_km2: km2, share_of_from: shareFrom, share_of_to: shareTo });
    }
  }
  return links.sort((a, b) => a.from_code.localeCompare(b.from_code) || b.share_of_from - a.share_of_from);
}

/**
 * Where an area of the older set goes in the newer one: the newer area at `toLevel` holding the largest share of it.
 * `hint` (the newer area the record's own point falls in) decides when the older area was split (no target holds 95 %
 * of it) and the hint is one of its targets.
 */
export function crosswalkTarget(links: readonly CrosswalkLink[], fromCode: string, toLevel: number, hint?: string | null): CrosswalkLink | undefined {
  const candidates = links.filter((l) => l.from_code === fromCode && l.to_level === toLevel);
  if (!candidates.length) return undefined;
  const best = candidates.reduce((a, b) => (b.share_of_from > a.share_of_from ? b : a));
  if (best.share_of_from >= 0.95 || !hint) return best;
  return candidates.find((c) => c.to_code === hint) ?? best;
}
