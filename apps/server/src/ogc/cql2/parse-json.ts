/**
 * The CQL2 JSON encoding (OGC 21-065 Annex B schema) into the same AST as the text encoding. Faults name the path
 * inside the document (`args[1].args[0]`).
 */
import { CqlError, SPATIAL_OPS, TEMPORAL_OPS, type CompareOp, type Cql, type GeometryLiteral, type Scalar, type SpatialOp, type TemporalOp } from './ast.js';

type Json = unknown;
const COMPARE: Record<string, CompareOp> = { '=': '=', '<>': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);
const MAX_DEPTH = 64;

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: string, msg: string): never => { throw new CqlError(`${msg} at ${path || 'the top'}`); };

function argsOf(node: Record<string, Json>, path: string, n?: number): Json[] {
  const a = node.args;
  if (!Array.isArray(a)) return fail(path, `"${String(node.op)}" needs an "args" array`);
  if (n !== undefined && a.length !== n) return fail(path, `"${String(node.op)}" takes ${n} arguments, not ${a.length}`);
  return a;
}

function predicate(v: Json, path: string, depth: number): Cql {
  if (depth > MAX_DEPTH) fail(path, 'the filter is nested too deeply');
  if (typeof v === 'boolean') return { k: 'literal', v };
  if (!isObj(v) || typeof v.op !== 'string') return fail(path, 'expected an object with "op" and "args"');
  const op = v.op.toLowerCase();
  const at = (i: number) => `${path ? `${path}.` : ''}args[${i}]`;
  if (op === 'and' || op === 'or') {
    const args = argsOf(v, path);
    if (args.length < 2) fail(path, `"${op}" takes at least two arguments`);
    return { k: op, args: args.map((a, i) => predicate(a, at(i), depth + 1)) };
  }
  if (op === 'not') return { k: 'not', arg: predicate(argsOf(v, path, 1)[0], at(0), depth + 1) };
  if (COMPARE[op]) {
    const [l, r] = argsOf(v, path, 2);
    return { k: 'cmp', op: COMPARE[op] as CompareOp, left: scalar(l, at(0), depth), right: scalar(r, at(1), depth), pos: 0 };
  }
  if (op === 'like') {
    const [l, r] = argsOf(v, path, 2);
    return { k: 'like', value: scalar(l, at(0), depth), pattern: scalar(r, at(1), depth), pos: 0 };
  }
  if (op === 'between') {
    const [x, lo, hi] = argsOf(v, path, 3);
    return { k: 'between', value: scalar(x, at(0), depth), low: scalar(lo, at(1), depth), high: scalar(hi, at(2), depth), pos: 0 };
  }
  if (op === 'in') {
    const [x, list] = argsOf(v, path, 2);
    if (!Array.isArray(list) || !list.length) return fail(at(1), '"in" needs a non-empty array of values');
    return { k: 'in', value: scalar(x, at(0), depth), list: list.map((e, i) => scalar(e, `${at(1)}[${i}]`, depth)), pos: 0 };
  }
  if (op === 'isnull') return { k: 'isnull', value: scalar(argsOf(v, path, 1)[0], at(0), depth), pos: 0 };
  if ((SPATIAL_OPS as readonly string[]).includes(op)) {
    const [a, b] = argsOf(v, path, 2);
    return { k: 'spatial', op: op as SpatialOp, a: scalar(a, at(0), depth), b: scalar(b, at(1), depth), pos: 0 };
  }
  if ((TEMPORAL_OPS as readonly string[]).includes(op)) {
    const [a, b] = argsOf(v, path, 2);
    return { k: 'temporal', op: op as TemporalOp, a: scalar(a, at(0), depth), b: scalar(b, at(1), depth), pos: 0 };
  }
  return fail(path, `unknown or unsupported operator "${v.op}"`);
}

function instant(v: Json, path: string): Scalar {
  if (v === '..') return { k: 'open' };
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return { k: 'date', v };
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return { k: 'timestamp', v };
  if (isObj(v)) return scalar(v, path, 0);
  return fail(path, 'expected a date, a timestamp or ".."');
}

const isNumbers = (v: Json, depth: number): boolean =>
  Array.isArray(v) && v.length > 0 && (depth === 0 ? v.every((n) => typeof n === 'number' && Number.isFinite(n)) : v.every((e) => isNumbers(e, depth - 1)));

function scalar(v: Json, path: string, depth: number): Scalar {
  if (depth > MAX_DEPTH) fail(path, 'the filter is nested too deeply');
  if (typeof v === 'string') return { k: 'str', v };
  if (typeof v === 'number') return Number.isFinite(v) ? { k: 'num', v } : fail(path, 'the number is out of range');
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (!isObj(v)) return fail(path, 'expected a property, a literal or a function');
  if (typeof v.property === 'string') return { k: 'prop', name: v.property, pos: 0 };
  if (typeof v.date === 'string') {
    const s = instant(v.date, `${path}.date`);
    if (s.k !== 'date') fail(`${path}.date`, 'expected a date (YYYY-MM-DD)');
    return s;
  }
  if (typeof v.timestamp === 'string') {
    const s = instant(v.timestamp, `${path}.timestamp`);
    if (s.k !== 'timestamp') fail(`${path}.timestamp`, 'expected an RFC 3339 timestamp');
    return s;
  }
  if (Array.isArray(v.interval)) {
    if (v.interval.length !== 2) fail(`${path}.interval`, 'an interval has two ends');
    return { k: 'interval', from: instant(v.interval[0], `${path}.interval[0]`), to: instant(v.interval[1], `${path}.interval[1]`) };
  }
  if (v.bbox !== undefined) {
    if (!isNumbers(v.bbox, 0) || ![4, 6].includes((v.bbox as number[]).length)) fail(`${path}.bbox`, 'a bbox is 4 or 6 numbers');
    return { k: 'geom', g: { type: 'BBox', coordinates: v.bbox as number[] } };
  }
  if (typeof v.type === 'string' && GEOMETRY_TYPES.has(v.type)) {
    const nesting = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[v.type] ?? 0;
    if (!isNumbers(v.coordinates, nesting)) fail(`${path}.coordinates`, `invalid ${v.type} coordinates`);
    return { k: 'geom', g: { type: v.type, coordinates: v.coordinates } as GeometryLiteral };
  }
  if (typeof v.op === 'string' && ['casei', 'accenti'].includes(v.op.toLowerCase())) {
    const arg = scalar(argsOf(v, path, 1)[0], `${path}.args[0]`, depth + 1);
    return v.op.toLowerCase() === 'casei' ? { k: 'casei', arg } : { k: 'accenti', arg };
  }
  return fail(path, 'expected a property, a literal or a function');
}

/** Parses a CQL2 JSON filter (already a string of JSON) into the AST, or throws CqlError naming where. */
export function parseCql2Json(src: string): Cql {
  let doc: Json;
  try {
    doc = JSON.parse(src);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new CqlError('the filter is not valid JSON', m ? Number(m[1]) + 1 : null);
  }
  return predicate(doc, '', 0);
}
