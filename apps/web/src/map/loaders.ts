/**
 * Pure data loaders of the map layers: they turn API answers into GeoJSON the map engine draws.
 * No map engine here, so they are tested without a browser.
 */
import type { AggregateRow, AreaCollection, Grid } from '../api/types';

export type Measure = 'incidents' | 'fatalities' | 'civilian_fatalities';
export const MEASURES: Measure[] = ['incidents', 'fatalities', 'civilian_fatalities'];

export interface PointFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, number | string>;
}
export interface FeatureCollection<F = PointFeature> {
  type: 'FeatureCollection';
  features: F[];
}

/** The server-side cluster size for a zoom level: coarse cells when zoomed out, finer ones closer in. */
export function cellForZoom(zoom: number): number {
  if (zoom < 4.5) return 1;
  if (zoom < 5.5) return 0.5;
  if (zoom < 6.5) return 0.25;
  return 0.1;
}

/** Grid cells as points, with a radius that grows with the square root of the count (area ∝ count). */
export function gridToGeoJSON(grid: Grid, measure: Measure = 'incidents'): FeatureCollection {
  const max = Math.max(1, ...grid.items.map((c) => c[measure]));
  return {
    type: 'FeatureCollection',
    features: grid.items
      .filter((c) => c[measure] > 0)
      .map((c) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
        properties: {
          incidents: c.incidents, fatalities: c.fatalities, civilian_fatalities: c.civilian_fatalities, cell: grid.cell,
          radius: Math.round((4 + 22 * Math.sqrt(c[measure] / max)) * 10) / 10,
        },
      })),
  };
}

/** The bbox of a grid cell (min_lon,min_lat,max_lon,max_lat) to open the list behind it. */
export function cellBbox(lon: number, lat: number, cell: number): string {
  const h = cell / 2;
  return [lon - h, lat - h, lon + h, lat + h].map((v) => Number(v.toFixed(4))).join(',');
}

/** Class breaks (quantiles, distinct, ascending) for a choropleth of `classes` colours. */
export function quantileBreaks(values: number[], classes: number): number[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const out: number[] = [];
  for (let i = 1; i < classes; i++) out.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))]);
  return [...new Set(out)];
}

/** Which class a value falls in: 0 for none, then 1…n by the breaks. */
export function classOf(value: number, breaks: number[]): number {
  if (value <= 0) return 0;
  let k = 1;
  for (const b of breaks) if (value > b) k++;
  return k;
}

/** Sequential colours, light to dark (ColorBrewer OrRd), readable on the light background. */
export const CHOROPLETH_COLOURS = ['#f2f2f2', '#fdd49e', '#fdbb84', '#fc8d59', '#e34a33', '#b30000'];

/** The legend's classes for the breaks of a count: 0, then 1…b1, b1+1…b2, …, and ≥ the last break + 1 (open-ended). */
export function legendClasses(breaks: number[]): { colour: string; from: number; to: number | null }[] {
  const out: { colour: string; from: number; to: number | null }[] = [{ colour: CHOROPLETH_COLOURS[0], from: 0, to: 0 }];
  if (!breaks.length) return out;
  let from = 1;
  breaks.forEach((b, i) => {
    out.push({ colour: CHOROPLETH_COLOURS[i + 1], from, to: Math.floor(b) });
    from = Math.floor(b) + 1;
  });
  out.push({ colour: CHOROPLETH_COLOURS[breaks.length + 1], from, to: null });
  return out;
}

/** Admin areas joined with their aggregate, coloured by class of the chosen measure. */
export function choroplethData(areas: AreaCollection, rows: AggregateRow[], measure: Measure, level: 1 | 2 = 1): { data: AreaCollection; breaks: number[] } {
  const key = level === 1 ? 'admin1' : 'admin2';
  const byCode = new Map(rows.map((r) => [r[key] ?? '', r]));
  const values = areas.features.map((f) => byCode.get(f.properties.code)?.[measure] ?? 0);
  const breaks = quantileBreaks(values, CHOROPLETH_COLOURS.length - 1);
  return {
    breaks,
    data: {
      type: 'FeatureCollection',
      features: areas.features.map((f, i) => {
        const r = byCode.get(f.properties.code);
        const value = values[i] ?? 0;
        return {
          ...f,
          properties: {
            ...f.properties, value, incidents: r?.incidents ?? 0, fatalities: r?.fatalities ?? 0, civilian_fatalities: r?.civilian_fatalities ?? 0,
            colour: CHOROPLETH_COLOURS[classOf(value, breaks)] ?? CHOROPLETH_COLOURS[0],
          },
        };
      }),
    },
  };
}

/** Every month 'YYYY-MM' from `from` to `to` inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}

/** The last `n` months up to the month of `now`. */
export function lastMonths(n: number, now = new Date()): string[] {
  const end = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const startDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (n - 1), 1));
  return monthsBetween(`${startDate.getUTCFullYear()}-${String(startDate.getUTCMonth() + 1).padStart(2, '0')}`, end);
}

/** The from/to dates of a span of months ('YYYY-MM' to 'YYYY-MM'), as the API's filters. */
export function monthRangeOf(fromMonth: string, toMonth: string): { from: string; to: string } {
  const [y, m] = toMonth.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${fromMonth}-01`, to: `${toMonth}-${String(last).padStart(2, '0')}` };
}

/** A view's bbox rounded outwards to whole degrees, as the API's `bbox` filter (min_lon,min_lat,max_lon,max_lat). */
export function roundBbox([w, s, e, n]: [number, number, number, number]): string {
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  return [clamp(Math.floor(w), 180), clamp(Math.floor(s), 90), clamp(Math.ceil(e), 180), clamp(Math.ceil(n), 90)].join(',');
}
