/** Boundary sets for tests and benchmarks, built from the shipped boundaries (apps/server/geo). */
import fs from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { SHIPPED_BOUNDARIES } from '../services/geography/reference.service.js';

type Shape = Polygon | MultiPolygon;
export const shipped = (JSON.parse(fs.readFileSync(SHIPPED_BOUNDARIES, 'utf8')) as FeatureCollection<Shape, { code: string; level: number; state: string; label: [number, number] }>).features;
export const byCode = (code: string) => shipped.find((f) => f.properties.code === code)!;
const merged = (codes: string[]): MultiPolygon => ({
  type: 'MultiPolygon', coordinates: codes.flatMap((c) => { const g = byCode(c).geometry; return g.type === 'Polygon' ? [g.coordinates] : g.coordinates; }),
});
const feature = (code: string, name: string, geometry: Shape): Feature => ({ type: 'Feature', properties: { code, name }, geometry });

/** Mali with the Mopti region split in three, the other regions as shipped. */
export function maliWithMoptiSplit(): FeatureCollection {
  const unchanged = ['ML01', 'ML02', 'ML03', 'ML04', 'ML06', 'ML07', 'ML08', 'ML09', 'ML10'].map((c) => feature(c, String(byCode(c).properties.code), byCode(c).geometry));
  return {
    type: 'FeatureCollection',
    features: [
      ...unchanged,
      feature('ML05', 'Mopti', merged(['ML0503', 'ML0506', 'ML0507', 'ML0508'])),
      feature('ML13', 'Bandiagara', merged(['ML0501', 'ML0502', 'ML0505'])),
      feature('ML15', 'Douentza', byCode('ML0504').geometry),
    ],
  };
}

/** The interior point (label) of a shipped area, as a record's coordinates. */
export const at = (code: string) => { const [longitude, latitude] = byCode(code).properties.label; return { latitude, longitude }; };
