/**
 * The query parameters of OGC API – Features (Part 1 and Part 3), read strictly: an unknown parameter or a bad value is
 * a 400 naming it (problem+json), as §7.15 asks, never silently ignored.
 */
import { fieldProblem } from '../lib/problem.js';
import { CqlError, type Cql } from './cql2/ast.js';
import { parseCql2Json } from './cql2/parse-json.js';
import { parseCql2Text } from './cql2/parse-text.js';

export type Format = 'json' | 'html';
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

type RawQuery = Record<string, string | string[] | undefined>;

/** One value per parameter: a repeated parameter is refused. */
function single(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw fieldProblem(name, `${name} is given more than once`);
  return v;
}

/** Refuses parameters outside `allowed` (case-sensitive, as the standard's names are). */
export function rejectUnknown(q: RawQuery, allowed: readonly string[]): void {
  for (const k of Object.keys(q)) if (!allowed.includes(k)) throw fieldProblem(k, `unknown parameter ${k}; this resource accepts ${allowed.join(', ')}`);
}

/** The format asked for: `f` wins, then Accept (a browser's text/html), JSON by default. */
export function formatOf(q: RawQuery, accept: string | undefined): Format {
  const f = single(q, 'f');
  if (f !== undefined) {
    if (f === 'html') return 'html';
    if (['json', 'geojson', 'application/json', 'application/geo+json'].includes(f)) return 'json';
    throw fieldProblem('f', 'f must be json or html');
  }
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/html') && !/application\/(geo\+|schema\+)?json|vnd\.oai\.openapi/.test(a.split('text/html')[0] ?? '')) return 'html';
  return 'json';
}

export function parseLimit(q: RawQuery): number {
  const raw = single(q, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) throw fieldProblem('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return Number(raw);
}

export function parseOffset(q: RawQuery): number {
  const raw = single(q, 'offset');
  if (raw === undefined) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > 10_000_000) throw fieldProblem('offset', 'offset must be a non-negative integer');
  return Number(raw);
}

/** bbox=minLon,minLat,maxLon,maxLat (or 6 numbers with heights), in CRS84 only. */
export function parseBbox(q: RawQuery): [number, number, number, number] | undefined {
  const raw = single(q, 'bbox');
  const crs = single(q, 'bbox-crs');
  if (crs !== undefined && crs !== CRS84) throw fieldProblem('bbox-crs', `only ${CRS84} is supported`);
  if (raw === undefined) return undefined;
  const n = raw.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if ((n.length !== 4 && n.length !== 6) || n.some((x) => !Number.isFinite(x))) throw fieldProblem('bbox', 'bbox must be 4 (or 6) comma-separated numbers: minLon,minLat,maxLon,maxLat');
  const [w, s, e, north] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  const box = [w, s, e, north] as [number, number, number, number];
  if (box[1] > box[3] || box[1] < -90 || box[3] > 90) throw fieldProblem('bbox', 'bbox latitudes must be within -90..90, south first');
  if (box[0] > box[2]) throw fieldProblem('bbox', 'bbox crossing the antimeridian is not supported');
  return box;
}

export interface TimeFilter { from: string | null; to: string | null; toInclusive: boolean }

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function instant(s: string, end: boolean): { at: string; inclusive: boolean } {
  if (DATE.test(s) && !Number.isNaN(Date.parse(s))) {
    const start = Date.parse(`${s}T00:00:00.000Z`);
    return end ? { at: new Date(start + 86_400_000).toISOString(), inclusive: false } : { at: new Date(start).toISOString(), inclusive: true };
  }
  if (DATETIME.test(s) && !Number.isNaN(Date.parse(s))) return { at: new Date(s).toISOString(), inclusive: true };
  throw fieldProblem('datetime', `"${s}" is not an RFC 3339 date or date-time`);
}

/** datetime: an instant, a date (the whole day), or an interval a/b with open ends `..` (or empty). */
export function parseDatetime(q: RawQuery): TimeFilter | undefined {
  const raw = single(q, 'datetime');
  if (raw === undefined) return undefined;
  const parts = raw.split('/');
  if (parts.length > 2) throw fieldProblem('datetime', 'datetime is an instant or one interval start/end');
  if (parts.length === 1) {
    const a = instant(raw, false);
    const b = instant(raw, true);
    return { from: a.at, to: b.at, toInclusive: b.inclusive };
  }
  const [s = '', e = ''] = parts;
  const open = (x: string) => x === '..' || x === '';
  if (open(s) && open(e)) throw fieldProblem('datetime', 'an interval needs at least one closed end');
  const from = open(s) ? null : instant(s, false).at;
  const end = open(e) ? null : instant(e, true);
  if (from && end && from > end.at) throw fieldProblem('datetime', 'the interval ends before it starts');
  return { from, to: end?.at ?? null, toInclusive: end?.inclusive ?? true };
}

/** filter + filter-lang (cql2-text by default, or cql2-json); a fault is a 400 naming the position. */
export function parseFilter(q: RawQuery): Cql | undefined {
  const raw = single(q, 'filter');
  const lang = single(q, 'filter-lang') ?? 'cql2-text';
  const crs = single(q, 'filter-crs');
  if (crs !== undefined && crs !== CRS84) throw fieldProblem('filter-crs', `only ${CRS84} is supported`);
  // `cql-text`: the draft's name, which GDAL before 3.7 sends (its simple expressions are CQL2 text).
  if (lang !== 'cql2-text' && lang !== 'cql2-json' && lang !== 'cql-text') throw fieldProblem('filter-lang', 'filter-lang must be cql2-text or cql2-json');
  if (raw === undefined) return undefined;
  try {
    return lang === 'cql2-json' ? parseCql2Json(raw) : parseCql2Text(raw);
  } catch (e) {
    if (e instanceof CqlError) throw fieldProblem('filter', e.message);
    throw e;
  }
}

/** The query string of a link: every parameter of the request, with some replaced (`null` removes one). */
export function queryWith(q: RawQuery, changes: Record<string, string | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k in changes || v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  for (const [k, v] of Object.entries(changes)) if (v !== null) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
