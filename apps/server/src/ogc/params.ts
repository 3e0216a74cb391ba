/**
 * The query parameters of OGC API – Features (Part 1 and Part 3) as Zod schemas, parsed once at the edge into the
 * route's `req.input.query`: an unknown parameter, a repeated one or a bad value is a 400 naming it (problem+json), as
 * §7.15 asks, never silently ignored.
 */
import { z } from 'zod';
import { CqlError, type Cql } from './cql2/ast.js';
import { parseCql2Json } from './cql2/parse-json.js';
import { parseCql2Text } from './cql2/parse-text.js';

export type Format = 'json' | 'html';
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** A value refused, with the reason a GIS user reads (the field is the parameter it was given in). */
class Refused extends Error {}
const refuse = (message: string): never => {
  throw new Refused(message);
};

/**
 * One query parameter, read by `read` from its one value: given twice, or refused by `read`, it is a custom issue on
 * that parameter (problem+json 400 naming it, with `read`'s reason).
 */
function param<T>(name: string, read: (raw: string) => T) {
  return z.union([z.string(), z.array(z.string())]).optional().transform((v, ctx): T | undefined => {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      ctx.issues.push({ code: 'custom', message: `${name} is given more than once`, input: v });
      return z.NEVER;
    }
    try {
      return read(v);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      ctx.issues.push({ code: 'custom', message: e.message, input: v });
      return z.NEVER;
    }
  });
}

/** Refuses parameters outside `allowed` (case-sensitive, as the standard's names are), naming the first one. */
export function unknownParameter(given: Iterable<string>, allowed: readonly string[]): { name: string; message: string } | undefined {
  for (const k of given) if (!allowed.includes(k)) return { name: k, message: `unknown parameter ${k}; this resource accepts ${allowed.join(', ')}` };
  return undefined;
}

/** A query with `shape`'s parameters and no other (§7.15: an unknown parameter is a 400, never silently ignored). */
function strictQuery<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape).superRefine((q, ctx) => {
    const unknown = unknownParameter(Object.keys(q), Object.keys(shape));
    if (unknown) ctx.addIssue({ code: 'custom', path: [unknown.name], message: unknown.message, input: q[unknown.name] });
  });
}

/** `f`: json (or its media types) or html. */
const readFormat = (f: string): Format => {
  if (f === 'html') return 'html';
  if (['json', 'geojson', 'application/json', 'application/geo+json'].includes(f)) return 'json';
  return refuse('f must be json or html');
};

/** The format asked for: `f` wins, then Accept (a browser's text/html), JSON by default. */
export function formatOf(f: Format | undefined, accept: string | undefined): Format {
  if (f !== undefined) return f;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/html') && !/application\/(geo\+|schema\+)?json|vnd\.oai\.openapi/.test(a.split('text/html')[0] ?? '')) return 'html';
  return 'json';
}

const readLimit = (raw: string): number =>
  (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT ? refuse(`limit must be an integer from 1 to ${MAX_LIMIT}`) : Number(raw));

const readOffset = (raw: string): number =>
  (!/^\d+$/.test(raw) || Number(raw) > 10_000_000 ? refuse('offset must be a non-negative integer') : Number(raw));

const readCrs84 = (crs: string): string => (crs === CRS84 ? crs : refuse(`only ${CRS84} is supported`));

/** bbox=minLon,minLat,maxLon,maxLat (or 6 numbers with heights), in CRS84 only. */
function readBbox(raw: string): [number, number, number, number] {
  const n = raw.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if ((n.length !== 4 && n.length !== 6) || n.some((x) => !Number.isFinite(x))) refuse('bbox must be 4 (or 6) comma-separated numbers: minLon,minLat,maxLon,maxLat');
  const [w = 0, s = 0, e = 0, north = 0] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  if (s > north || s < -90 || north > 90) refuse('bbox latitudes must be within -90..90, south first');
  if (w > e) refuse('bbox crossing the antimeridian is not supported');
  return [w, s, e, north];
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
  return refuse(`"${s}" is not an RFC 3339 date or date-time`);
}

/** datetime: an instant, a date (the whole day), or an interval a/b with open ends `..` (or empty). */
function readDatetime(raw: string): TimeFilter {
  const parts = raw.split('/');
  if (parts.length > 2) refuse('datetime is an instant or one interval start/end');
  if (parts.length === 1) {
    const a = instant(raw, false);
    const b = instant(raw, true);
    return { from: a.at, to: b.at, toInclusive: b.inclusive };
  }
  const [s = '', e = ''] = parts;
  const open = (x: string) => x === '..' || x === '';
  if (open(s) && open(e)) refuse('an interval needs at least one closed end');
  const from = open(s) ? null : instant(s, false).at;
  const end = open(e) ? null : instant(e, true);
  if (from && end && from > end.at) refuse('the interval ends before it starts');
  return { from, to: end?.at ?? null, toInclusive: end?.inclusive ?? true };
}

/** filter-lang: cql2-text by default, or cql2-json; `cql-text` is the draft's name, which GDAL before 3.7 sends (its simple expressions are CQL2 text). */
const readFilterLang = (lang: string): 'cql2-text' | 'cql2-json' =>
  (lang === 'cql2-json' ? lang : lang === 'cql2-text' || lang === 'cql-text' ? 'cql2-text' : refuse('filter-lang must be cql2-text or cql2-json'));

/** The parameters of a resource that takes only `f`. */
export const formatQuerySchema = strictQuery({ f: param('f', readFormat) });

/** The parameters every items request may carry; a collection's queryables may be given besides, by value (handler). */
export const ITEMS_PARAMS = ['f', 'limit', 'offset', 'cursor', 'bbox', 'bbox-crs', 'datetime', 'filter', 'filter-lang', 'filter-crs'] as const;

/** An items request's query: Part 1 paging, bbox and datetime, Part 3 filter (a fault in it is a 400 naming the position). */
export const itemsQuerySchema = z.looseObject({
  f: param('f', readFormat),
  limit: param('limit', readLimit).transform((v) => v ?? DEFAULT_LIMIT),
  offset: param('offset', readOffset).transform((v) => v ?? 0),
  // Where the incidents' next page starts (their next links carry it): checked where it is read (features.ts).
  cursor: param('cursor', (raw) => raw),
  bbox: param('bbox', readBbox),
  'bbox-crs': param('bbox-crs', readCrs84),
  datetime: param('datetime', readDatetime),
  filter: param('filter', (raw) => raw),
  'filter-lang': param('filter-lang', readFilterLang),
  'filter-crs': param('filter-crs', readCrs84),
}).transform((q, ctx) => {
  const { filter: text, 'filter-lang': lang, ...rest } = q;
  let filter: Cql | undefined;
  if (text !== undefined) {
    try {
      filter = lang === 'cql2-json' ? parseCql2Json(text) : parseCql2Text(text);
    } catch (e) {
      if (!(e instanceof CqlError)) throw e;
      ctx.issues.push({ code: 'custom', path: ['filter'], message: e.message, input: text });
      return z.NEVER;
    }
  }
  return { ...rest, filter };
});
export type ItemsParams = z.output<typeof itemsQuerySchema>;

/** The query string of a link: the request's own parameters, with some replaced (`null` removes one). */
export function queryWith(given: URLSearchParams, changes: Record<string, string | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of given) if (!(k in changes)) p.append(k, v);
  for (const [k, v] of Object.entries(changes)) if (v !== null) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
