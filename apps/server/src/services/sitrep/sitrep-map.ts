/**
 * The report's map, drawn by the server from the shipped boundaries: admin-1 outlines projected once (equirectangular,
 * longitudes shrunk by the cosine of the middle latitude) into SVG paths kept with the frozen figures, and a circle
 * per area whose surface is proportional to its incidents, labelled with the area's name. No tiles, nothing fetched.
 */
import type { SitrepFigures, SitrepLang } from '@vigie/domain';
import { sha256 } from '../../lib/ids.js';

type Ring = number[][];
interface Feature { geometry: { type: string; coordinates: unknown }; properties: { code: string; state: string; centroid: number[] } }

export const MAP_WIDTH = 560;

function rings(g: Feature['geometry']): Ring[] {
  if (g.type === 'Polygon') return g.coordinates as Ring[];
  if (g.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
}

/** Projects the outlines of the audience's admin-1 areas; areas without a polygon show as their circle only. */
export function projectOutlines(features: Feature[], states: readonly string[]): SitrepFigures['map'] {
  const mine = features.filter((f) => states.includes(f.properties.state));
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const f of mine) {
    const pts = rings(f.geometry).flat();
    if (!pts.length) pts.push(f.properties.centroid);
    for (const [x, y] of pts) {
      w = Math.min(w, x as number); e = Math.max(e, x as number); s = Math.min(s, y as number); n = Math.max(n, y as number);
    }
  }
  if (!Number.isFinite(w)) { w = -12; e = 16; s = 9; n = 24; }
  const pad = Math.max(0.5, (e - w) * 0.04);
  const bbox = [w - pad, s - pad, e + pad, n + pad] as [number, number, number, number];
  const k = Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
  const height = Math.round((MAP_WIDTH * (bbox[3] - bbox[1])) / ((bbox[2] - bbox[0]) * k));
  const project = projector({ bbox, width: MAP_WIDTH, height });
  const outlines = mine.filter((f) => rings(f.geometry).length).map((f) => ({
    code: f.properties.code,
    state: f.properties.state,
    d: rings(f.geometry).map((r) => {
      const out: string[] = [];
      let last = '';
      for (const [x, y] of r) {
        const [px, py] = project(x as number, y as number);
        const p = `${px.toFixed(1)},${py.toFixed(1)}`;
        if (p !== last) out.push(p);
        last = p;
      }
      return out.length > 2 ? `M${out.join('L')}Z` : '';
    }).join(''),
  })).filter((o) => o.d);
  return { outlines, width: MAP_WIDTH, height, bbox };
}

type Outlines = SitrepFigures['map']['outlines'];
const digests = new WeakMap<Outlines, { hash: string; json: string }>();

/**
 * The outlines as stored (JSON) and their SHA-256, worked out once per projected set (the figures reuse the cached
 * projection, so a schedule or a benchmark generating report after report serialises the boundaries once).
 */
export function outlinesDigest(outlines: Outlines): { hash: string; json: string } {
  let d = digests.get(outlines);
  if (!d) {
    const json = JSON.stringify(outlines);
    digests.set(outlines, (d = { hash: sha256(json), json }));
  }
  return d;
}

/** Longitude/latitude to map coordinates. */
export function projector(m: Pick<SitrepFigures['map'], 'bbox' | 'width' | 'height'>): (lon: number, lat: number) => [number, number] {
  const [w, s, e, n] = m.bbox as [number, number, number, number];
  return (lon, lat) => [((lon - w) / (e - w)) * m.width, ((n - lat) / (n - s)) * m.height];
}

const STATE_FILLS = ['#e8eef5', '#eef5e8', '#f5efe8', '#f0e8f5', '#e8f5f3'];

/** Circle radius of an area: surface proportional to its incidents, the largest 26 px. */
export function radius(incidents: number, max: number): number {
  return max > 0 && incidents > 0 ? Math.max(3, 26 * Math.sqrt(incidents / max)) : 0;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The map as inline SVG (HTML report and web page). */
export function mapSvg(f: SitrepFigures, lang: SitrepLang, title: string): string {
  const project = projector(f.map);
  const states = f.states.map((s) => s.code);
  const max = Math.max(0, ...f.areas.map((a) => a.current.incidents));
  const shapes = f.map.outlines.map((o) => `<path d="${o.d}" fill="${STATE_FILLS[Math.max(0, states.indexOf(o.state)) % STATE_FILLS.length]}" stroke="#8a97a8" stroke-width="0.6"/>`).join('');
  const active = f.areas.filter((a) => a.current.incidents > 0).sort((a, b) => b.current.incidents - a.current.incidents);
  const circles = active.map((a) => {
    const [x, y] = project(a.lon, a.lat);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius(a.current.incidents, max).toFixed(1)}" fill="#c2410c" fill-opacity="0.55" stroke="#7c2d12" stroke-width="0.8"><title>${esc(`${a[`name_${lang}`]} : ${a.current.incidents}`)}</title></circle>`;
  }).join('');
  const labels = active.slice(0, 12).map((a) => {
    const [x, y] = project(a.lon, a.lat);
    const r = radius(a.current.incidents, max);
    return `<text x="${x.toFixed(1)}" y="${(y - r - 3).toFixed(1)}" font-size="10" text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(`${a[`name_${lang}`]} (${a.current.incidents})`)}</text>`;
  }).join('');
  return `<svg class="map" viewBox="0 0 ${f.map.width} ${f.map.height}" width="${f.map.width}" height="${f.map.height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title><rect width="100%" height="100%" fill="#f7fbff"/>${shapes}${circles}${labels}</svg>`;
}
