import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { foldText, type Place } from '@vigie/domain';
import GeoJSONVT from 'geojson-vt';
import type { GeoJSON } from 'geojson';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { listAdminAreas } from '../../repositories/reference.repository.js';
import type { Ctx } from '../context.js';
import type { Gazetteer } from './geo.service.js';

const GEO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../geo');

/** A body ready to send: its strong validator and its encodings, computed once. */
export interface CachedBody {
  etag: string;
  type: string;
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

function cachedBody(raw: Buffer, type: string): CachedBody {
  return { etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}"`, type, raw };
}

/** The encoding to send for an Accept-Encoding header (brotli, then gzip), computed on first use and kept. */
export function encodeFor(body: CachedBody, acceptEncoding: string | undefined): { data: Buffer; encoding: 'br' | 'gzip' | null } {
  const accept = String(acceptEncoding ?? '');
  if (body.raw.length < 512) return { data: body.raw, encoding: null };
  if (/\bbr\b/.test(accept)) {
    body.br ??= brotliCompressSync(body.raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.raw.length } });
    return { data: body.br, encoding: 'br' };
  }
  if (/\bgzip\b/.test(accept)) {
    body.gzip ??= gzipSync(body.raw, { level: 9 });
    return { data: body.gzip, encoding: 'gzip' };
  }
  return { data: body.raw, encoding: null };
}

/** Whether an If-None-Match header names this validator (strong or weak form, or *). */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag;
  });
}

const round5 = (v: unknown): unknown => (typeof v === 'number' ? Math.round(v * 1e5) / 1e5 : Array.isArray(v) ? v.map(round5) : v);
const boundarySet = (source: string | null) => (source?.startsWith('shipped:') ? source.slice(8) : source === 'config' ? null : source);

interface AreaInfo {
  code: string;
  level: number;
  state: string;
  parent: string | null;
  name_fr: string;
  name_en: string;
  boundary_set: string | null;
  centroid: [number, number];
  geometry: { type: string; coordinates: unknown } | null;
}

interface PlaceRecord extends PlaceHit {
  /** 1 (biggest) … 5: which zooms show the place. */
  rank: number;
  keys: { folded: string; skeleton: string; alt: boolean }[];
}

/** Everything derived from the current boundaries; rebuilt when the gazetteer's version changes (an import). */
interface GeoState {
  version: number;
  areas: AreaInfo[];
  geojson: Map<string, CachedBody>;
  places: PlaceRecord[];
  tiles?: TileSource;
}

const states = new WeakMap<Gazetteer, GeoState>();

async function geoState(ctx: Ctx): Promise<GeoState> {
  const g = ctx.gazetteer;
  await g.ready();
  const current = states.get(g);
  if (current && current.version === g.version) return current;
  const rows = await listAdminAreas(ctx.engine.db, { withGeometry: true });
  const areas: AreaInfo[] = rows.map((a) => ({
    code: a.code, level: a.level, state: a.state, parent: a.parent_code, name_fr: a.name_fr, name_en: a.name_en,
    boundary_set: boundarySet(a.source), centroid: [a.centroid_lon, a.centroid_lat],
    geometry: a.geometry ? (JSON.parse(a.geometry) as { type: string; coordinates: unknown }) : null,
  }));
  const next: GeoState = { version: g.version, areas, geojson: new Map(), places: buildPlaces(g, areas) };
  states.set(g, next);
  return next;
}

/** Admin areas as GeoJSON: polygons (coordinates rounded to 5 decimals, ~1 m), a Point for areas without one. */
export async function adminAreasBody(ctx: Ctx, filter: { level?: number; state?: string }): Promise<CachedBody> {
  const s = await geoState(ctx);
  const key = `${filter.level ?? ''}|${filter.state ?? ''}`;
  const hit = s.geojson.get(key);
  if (hit) return hit;
  const features = s.areas
    .filter((a) => (!filter.level || a.level === filter.level) && (!filter.state || a.state === filter.state))
    .map((a) => ({
      type: 'Feature' as const,
      id: a.code,
      geometry: a.geometry ? { type: a.geometry.type, coordinates: round5(a.geometry.coordinates) } : { type: 'Point', coordinates: round5(a.centroid) },
      properties: {
        code: a.code, level: a.level, state: a.state, parent: a.parent, name_fr: a.name_fr, name_en: a.name_en, boundary_set: a.boundary_set,
        parent_code: a.parent, centroid: round5(a.centroid),
      },
    }));
  const body = cachedBody(Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })), 'application/geo+json; charset=utf-8');
  s.geojson.set(key, body);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Places

/** Spelling-insensitive key: folded, no spaces, y→i, ou→u, doubled letters once ("Tilabery" ~ "Tillabéri"). */
export function skeleton(s: string): string {
  return foldText(s).replace(/[^a-z0-9]/g, '').replace(/y/g, 'i').replace(/ou/g, 'u').replace(/(.)\1+/g, '$1');
}

let shippedPlaces: { fields: string[]; rows: unknown[][] } | null = null;
function readPlaces() {
  shippedPlaces ??= JSON.parse(fs.readFileSync(path.join(GEO_DIR, 'places.json'), 'utf8')) as { fields: string[]; rows: unknown[][] };
  return shippedPlaces;
}

const rankOf = (population: number, feature: string) =>
  feature === 'PPLC' || population >= 500_000 ? 1 : feature === 'PPLA' || population >= 100_000 ? 2 : population >= 20_000 || feature === 'PPLA2' ? 3 : population >= 5_000 ? 4 : 5;

function buildPlaces(g: Gazetteer, areas: AreaInfo[]): PlaceRecord[] {
  const names = new Map(areas.map((a) => [a.code, a.name_fr]));
  const members = new Set(areas.map((a) => a.state));
  return readPlaces().rows.map((r) => {
    const [id, name, alt, latitude, longitude, state, , , population, feature] = r as [string, string, string[], number, number, string, string | null, string | null, number, string];
    // Tied to the areas by the boundaries in force (an import may have changed them since the file was built).
    const p = members.has(state) ? g.placeLoaded(latitude, longitude) : null;
    const inMember = p?.state ? p : null;
    return {
      id, name, alternate_names: alt, latitude, longitude, state: inMember?.state ?? state,
      admin1_code: inMember?.admin1 ?? null, admin1_name: inMember?.admin1 ? (names.get(inMember.admin1) ?? null) : null,
      admin2_code: inMember?.admin2 ?? null, admin2_name: inMember?.admin2 ? (names.get(inMember.admin2) ?? null) : null,
      population, rank: rankOf(population, feature),
      keys: [{ folded: foldText(name), skeleton: skeleton(name), alt: false }, ...alt.map((a) => ({ folded: foldText(a), skeleton: skeleton(a), alt: true }))],
    };
  });
}

/** Optimal string alignment distance, stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

/** How well a query matches a place: lower is better, null for no match. */
function matchQuality(p: PlaceRecord, folded: string, skel: string): number | null {
  let best: number | null = null;
  const take = (q: number) => {
    if (best === null || q < best) best = q;
  };
  const fuzzyMax = skel.length >= 7 ? 2 : skel.length >= 4 ? 1 : 0;
  for (const k of p.keys) {
    const alt = k.alt ? 1 : 0;
    if (k.folded === folded) take(0 + alt);
    else if (k.folded.startsWith(folded)) take(2 + alt);
    else if (k.folded.split(' ').some((w) => w.startsWith(folded))) take(4 + alt);
    else if (k.skeleton === skel) take(6);
    else if (skel.length >= 3 && k.skeleton.startsWith(skel)) take(7);
    else if (fuzzyMax > 0) {
      // The whole name, or its beginning as long as the query: a misspelt name or a misspelt prefix.
      const whole = editDistance(skel, k.skeleton, fuzzyMax);
      const prefix = k.skeleton.length > skel.length ? editDistance(skel, k.skeleton.slice(0, skel.length), fuzzyMax) : whole;
      const dist = Math.min(whole, prefix);
      if (dist <= fuzzyMax) take(8 + dist);
    }
  }
  return best;
}

/** One place as the API answers it (the domain's place schema). */
export type PlaceHit = Place;

/** Places whose name or alternate name matches `q` (accents, case, prefixes, close spellings), best match first, then the biggest. */
export async function searchPlaces(ctx: Ctx, q: string, options: { state?: string; limit?: number } = {}): Promise<PlaceHit[]> {
  const s = await geoState(ctx);
  const folded = foldText(q);
  const skel = skeleton(q);
  const hits: { p: PlaceRecord; quality: number }[] = [];
  for (const p of s.places) {
    if (options.state && p.state !== options.state) continue;
    const quality = matchQuality(p, folded, skel);
    if (quality !== null) hits.push({ p, quality });
  }
  hits.sort((a, b) => a.quality - b.quality || b.p.population - a.p.population || a.p.name.localeCompare(b.p.name, 'fr'));
  return hits.slice(0, options.limit ?? 10).map(({ p }) => ({
    id: p.id, name: p.name, alternate_names: p.alternate_names, latitude: p.latitude, longitude: p.longitude, state: p.state,
    admin1_code: p.admin1_code, admin1_name: p.admin1_name, admin2_code: p.admin2_code, admin2_name: p.admin2_name, population: p.population,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Vector tiles

export const TILE_MAX_ZOOM = 12;
/** Places shown from this zoom on, by rank (1 = capitals and big cities). */
const PLACE_MIN_ZOOM = [0, 0, 3, 5, 7, 8] as const;
const TILE_CACHE_MAX = 20_000;

type VtIndex = GeoJSONVT;
interface TileSource {
  layers: Record<string, VtIndex>;
  cache: Map<string, CachedBody | null>;
}

function tileSource(s: GeoState): TileSource {
  if (s.tiles) return s.tiles;
  const polygon = (a: AreaInfo) => a.geometry !== null && a.geometry.type !== 'Point';
  const props = (a: AreaInfo) => ({ code: a.code, level: a.level, state: a.state, parent: a.parent ?? '', name_fr: a.name_fr, name_en: a.name_en, boundary_set: a.boundary_set ?? '' });
  const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features }) as GeoJSON;
  const areaLayer = (level: number) => fc(s.areas.filter((a) => a.level === level && polygon(a)).map((a) => ({ type: 'Feature', geometry: a.geometry, properties: props(a) })));
  const labelLayer = (level: number) => fc(s.areas.filter((a) => a.level === level).map((a) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: a.centroid }, properties: props(a) })));
  const stateOutlines = JSON.parse(fs.readFileSync(path.join(GEO_DIR, 'states.geojson'), 'utf8')) as { features: { properties: { state: string } }[] };
  const known = new Set(s.areas.map((a) => a.state));
  const options = { maxZoom: TILE_MAX_ZOOM, indexMaxZoom: 4, tolerance: 3, extent: 4096, buffer: 64 };
  const layers: Record<string, VtIndex> = {
    states: new GeoJSONVT(fc(stateOutlines.features.filter((f) => known.has(f.properties.state)).map((f) => ({ ...f, properties: { code: f.properties.state, state: f.properties.state } }))), options),
    admin1: new GeoJSONVT(areaLayer(1), options),
    admin2: new GeoJSONVT(areaLayer(2), options),
    admin1_labels: new GeoJSONVT(labelLayer(1), options),
    admin2_labels: new GeoJSONVT(labelLayer(2), options),
    places: new GeoJSONVT(
      fc(s.places.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.longitude, p.latitude] }, properties: { id: p.id, name: p.name, population: p.population, rank: p.rank, state: p.state } }))),
      options,
    ),
  };
  s.tiles = { layers, cache: new Map() };
  return s.tiles;
}

/** One vector tile (Mapbox Vector Tile 2.1), or null when nothing lies in it. Built once, then served from memory. */
export async function vectorTile(ctx: Ctx, z: number, x: number, y: number): Promise<CachedBody | null> {
  const src = tileSource(await geoState(ctx));
  const key = `${z}/${x}/${y}`;
  const cached = src.cache.get(key);
  if (cached !== undefined) return cached;
  const tiles: Record<string, { features: { tags?: Record<string, unknown> }[] }> = {};
  for (const [name, index] of Object.entries(src.layers)) {
    const t = index.getTile(z, x, y) as { features: { tags?: Record<string, unknown> }[] } | null;
    if (!t) continue;
    const features = name === 'places' ? t.features.filter((f) => z >= (PLACE_MIN_ZOOM[Number(f.tags?.rank ?? 5)] ?? 8)) : t.features;
    if (features.length) tiles[name] = { ...t, features };
  }
  const body = Object.keys(tiles).length
    ? cachedBody(Buffer.from(fromGeojsonVt(tiles as unknown as Parameters<typeof fromGeojsonVt>[0], { version: 2, extent: 4096 })), 'application/vnd.mapbox-vector-tile')
    : null;
  if (src.cache.size >= TILE_CACHE_MAX) src.cache.delete(src.cache.keys().next().value!);
  src.cache.set(key, body);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Naming points (the map's table of clusters)

const KM_PER_DEG = 111.32;
/** Farther than this, a point is not "near" a named place. */
export const NEAREST_PLACE_MAX_KM = 75;

export interface NamedPoint {
  latitude: number;
  longitude: number;
  state: string | null;
  admin1: { code: string; name_fr: string; name_en: string } | null;
  admin2: { code: string; name_fr: string; name_en: string } | null;
  place: { name: string; distance_km: number } | null;
}

/**
 * Names points for a reader: the member state, admin-1 and admin-2 areas they lie in and the nearest populated place
 * (within NEAREST_PLACE_MAX_KM, the biggest first among those about as near). Reference geography only: no incident.
 */
export async function namePoints(ctx: Ctx, points: readonly { latitude: number; longitude: number }[]): Promise<NamedPoint[]> {
  const s = await geoState(ctx);
  const byCode = new Map(s.areas.map((a) => [a.code, a]));
  const area = (code: string | null) => {
    const a = code ? byCode.get(code) : undefined;
    return a ? { code: a.code, name_fr: a.name_fr, name_en: a.name_en } : null;
  };
  return points.map(({ latitude, longitude }) => {
    const at = ctx.gazetteer.placeLoaded(latitude, longitude);
    const kx = KM_PER_DEG * Math.cos((latitude * Math.PI) / 180);
    let best: { name: string; km: number; score: number } | null = null;
    for (const p of s.places) {
      const dy = (p.latitude - latitude) * KM_PER_DEG;
      if (Math.abs(dy) > NEAREST_PLACE_MAX_KM) continue;
      const km = Math.hypot((p.longitude - longitude) * kx, dy);
      if (km > NEAREST_PLACE_MAX_KM) continue;
      // A town 20 km away names a spot better than a hamlet 5 km away: distance discounted by the place's rank.
      const score = km * (0.6 + 0.1 * p.rank);
      if (!best || score < best.score) best = { name: p.name, km, score };
    }
    return {
      latitude, longitude, state: at.state, admin1: area(at.admin1), admin2: area(at.admin2),
      place: best ? { name: best.name, distance_km: Math.round(best.km) } : null,
    };
  });
}

/** Every shipped place of a state (all places when none is named), biggest first: the OpenRosa form's list of places. */
export async function placesOf(ctx: Ctx, state?: string): Promise<PlaceHit[]> {
  const s = await geoState(ctx);
  return s.places.filter((p) => !state || p.state === state).sort((a, b) => b.population - a.population || a.name.localeCompare(b.name, 'fr')).map((p) => ({
    id: p.id, name: p.name, alternate_names: p.alternate_names, latitude: p.latitude, longitude: p.longitude, state: p.state,
    admin1_code: p.admin1_code, admin1_name: p.admin1_name, admin2_code: p.admin2_code, admin2_name: p.admin2_name, population: p.population,
  }));
}
