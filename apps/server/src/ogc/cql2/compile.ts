/**
 * CQL2 AST → one Kysely SQL condition, over a whitelist of queryables: every property resolves to an expression the
 * collection declares (never to text taken from the filter), every literal is a bound parameter. The same condition
 * runs on SQLite and PostgreSQL. Faults are CqlError, naming the position when the filter came as text.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { CqlError, type Cql, type GeometryLiteral, type Scalar } from './ast.js';

export type QueryableType = 'string' | 'number' | 'datetime' | 'geometry';

/** One property a filter may name, and how the database computes it for the reader. */
export type Queryable =
  | { type: 'string' | 'number' | 'datetime'; title: string; sql: Expression<unknown> }
  /** A point geometry: the coordinates the reader sees. */
  | { type: 'geometry'; title: string; point: { lon: Expression<number>; lat: Expression<number> } }
  /** An areal geometry known by its bounding box only: spatial tests are on the box. */
  | { type: 'geometry'; title: string; box: { minLon: Expression<number>; minLat: Expression<number>; maxLon: Expression<number>; maxLat: Expression<number> } };

export type Queryables = Record<string, Queryable>;

/** Polygons larger than this are refused rather than turned into an over-long condition. */
const MAX_VERTICES = 2000;

const num = (n: number) => sql<number>`cast(${n} as double precision)`;
const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

// ---- case and accent folding, the same in SQL on both engines and in JavaScript for literals
const ACCENTED = 'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőùúûüūůűýÿžźżšśřŕľĺťţÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖŌŐÙÚÛÜŪŮŰÝŸŽŹŻŠŚŘŔĽĹŤŢ';
const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
const ACCENT_PAIRS = [...ACCENTED].map((c) => [c, stripAccents(c)] as const).filter(([a, b]) => a !== b);
const UPPER_ACCENTED = [...ACCENTED].filter((c) => c !== c.toLowerCase()).map((c) => [c, c.toLowerCase()] as const);

function sqlFold(e: Expression<unknown>, how: 'case' | 'accent'): RawBuilder<string> {
  // SQLite's lower() only knows ASCII: the accented capitals are lowered one by one, on both engines alike.
  let out: RawBuilder<string> = how === 'case' ? sql<string>`lower(${e})` : sql<string>`${e}`;
  for (const [from, to] of how === 'case' ? UPPER_ACCENTED : ACCENT_PAIRS) out = sql<string>`replace(${out}, ${from}, ${to})`;
  return out;
}

// ---- values
interface Value {
  e: Expression<unknown>;
  type: QueryableType | 'boolean' | 'any';
  /** The literal itself, when the value is a constant (dates compare by range). */
  literal?: { k: 'str' | 'num' | 'bool' | 'date' | 'timestamp'; v: string | number | boolean };
  folded?: boolean;
}

/** An instant or a range in time as [from, to) or [from, to]: `null` is an open end. */
interface TimeRange { from: string | null; to: string | null; toInclusive: boolean }

const iso = (s: string) => new Date(s).toISOString();
const dayStart = (d: string) => `${d}T00:00:00.000Z`;
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString();

export class Cql2Compiler {
  constructor(private readonly queryables: Queryables) {}

  compile(node: Cql): RawBuilder<SqlBool> {
    switch (node.k) {
      case 'literal': return node.v ? TRUE : FALSE;
      case 'and': return sql<SqlBool>`(${sql.join(node.args.map((a) => this.compile(a)), sql` and `)})`;
      case 'or': return sql<SqlBool>`(${sql.join(node.args.map((a) => this.compile(a)), sql` or `)})`;
      case 'not': return sql<SqlBool>`not (${this.compile(node.arg)})`;
      case 'isnull': {
        const v = this.value(node.value, node.pos);
        return sql<SqlBool>`(${v.e} is null)`;
      }
      case 'cmp': return this.compare(node.op, node.left, node.right, node.pos);
      case 'like': {
        const v = this.value(node.value, node.pos);
        const p = this.value(node.pattern, node.pos);
        if (v.type !== 'string' && v.type !== 'any') throw new CqlError('LIKE applies to text properties', node.pos);
        if (p.literal?.k !== 'str' && p.type !== 'string') throw new CqlError('LIKE needs a text pattern', node.pos);
        return sql<SqlBool>`(${v.e} like ${p.e} escape ${'\\'})`;
      }
      case 'between': {
        const v = this.value(node.value, node.pos);
        const lo = this.value(node.low, node.pos);
        const hi = this.value(node.high, node.pos);
        for (const b of [lo, hi]) this.sameType(v, b, node.pos);
        if (v.type === 'datetime') return sql<SqlBool>`(${this.compare('>=', node.value, node.low, node.pos)} and ${this.compare('<=', node.value, node.high, node.pos)})`;
        return sql<SqlBool>`(${v.e} between ${lo.e} and ${hi.e})`;
      }
      case 'in': {
        const v = this.value(node.value, node.pos);
        const list = node.list.map((s) => this.value(s, node.pos));
        for (const l of list) this.sameType(v, l, node.pos);
        if (v.type === 'datetime') return sql<SqlBool>`(${sql.join(node.list.map((s) => this.compare('=', node.value, s, node.pos)), sql` or `)})`;
        return sql<SqlBool>`(${v.e} in (${sql.join(list.map((l) => l.e))}))`;
      }
      case 'spatial': return this.spatial(node);
      case 'temporal': return this.temporal(node);
    }
  }

  private prop(name: string, pos: number): Queryable {
    const q = Object.hasOwn(this.queryables, name) ? this.queryables[name] : undefined;
    if (!q) throw new CqlError(`unknown queryable "${name}" (see the collection's queryables)`, pos || null);
    return q;
  }

  private value(s: Scalar, pos: number): Value {
    switch (s.k) {
      case 'prop': {
        const q = this.prop(s.name, s.pos);
        if (q.type === 'geometry') return { e: FALSE, type: 'geometry' };
        return { e: q.sql, type: q.type };
      }
      case 'str': return { e: sql`${s.v}`, type: 'string', literal: { k: 'str', v: s.v } };
      case 'num': return { e: num(s.v), type: 'number', literal: { k: 'num', v: s.v } };
      case 'bool': return { e: s.v ? TRUE : FALSE, type: 'boolean', literal: { k: 'bool', v: s.v } };
      case 'date': return { e: sql`${dayStart(s.v)}`, type: 'datetime', literal: { k: 'date', v: s.v } };
      case 'timestamp': return { e: sql`${iso(s.v)}`, type: 'datetime', literal: { k: 'timestamp', v: iso(s.v) } };
      case 'casei':
      case 'accenti': {
        const how = s.k === 'casei' ? 'case' : 'accent';
        const inner = this.value(s.arg, pos);
        if (inner.type !== 'string' && inner.type !== 'any') throw new CqlError(`${s.k.toUpperCase()} applies to text`, pos || null);
        if (inner.literal?.k === 'str') {
          const v = how === 'case' ? String(inner.literal.v).toLowerCase() : stripAccents(String(inner.literal.v));
          return { e: sql`${v}`, type: 'string', literal: { k: 'str', v }, folded: true };
        }
        return { e: sqlFold(inner.e, how), type: 'string', folded: true };
      }
      case 'geom': return { e: FALSE, type: 'geometry' };
      case 'interval':
      case 'open': throw new CqlError('an interval is only allowed in a temporal function', pos || null);
    }
  }

  private sameType(a: Value, b: Value, pos: number): void {
    const t = (v: Value) => v.type;
    if (t(a) === 'geometry' || t(b) === 'geometry') throw new CqlError('geometries are compared with the spatial functions (S_INTERSECTS…)', pos || null);
    if (t(a) !== 'any' && t(b) !== 'any' && t(a) !== t(b)) {
      // Text properties holding codes may be compared with numbers written as text, not the other way round.
      throw new CqlError(`cannot compare a ${t(a)} with a ${t(b)}`, pos || null);
    }
  }

  private compare(op: '=' | '<>' | '<' | '>' | '<=' | '>=', l: Scalar, r: Scalar, pos: number): RawBuilder<SqlBool> {
    const a = this.value(l, pos);
    const b = this.value(r, pos);
    this.sameType(a, b, pos);
    // A property compared with a DATE: the whole day, [start, next day).
    const date = b.literal?.k === 'date' ? String(b.literal.v) : a.literal?.k === 'date' ? String(a.literal.v) : null;
    if (date && a.type === 'datetime' && !(a.literal && b.literal)) {
      const x = b.literal?.k === 'date' ? a.e : b.e;
      const flipped = a.literal?.k === 'date';
      const o = flipped ? ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>' } as const)[op] : op;
      const s = dayStart(date);
      const e = nextDay(date);
      switch (o) {
        case '=': return sql<SqlBool>`(${x} >= ${s} and ${x} < ${e})`;
        case '<>': return sql<SqlBool>`(${x} < ${s} or ${x} >= ${e})`;
        case '<': return sql<SqlBool>`(${x} < ${s})`;
        case '<=': return sql<SqlBool>`(${x} < ${e})`;
        case '>': return sql<SqlBool>`(${x} >= ${e})`;
        case '>=': return sql<SqlBool>`(${x} >= ${s})`;
      }
    }
    return sql<SqlBool>`(${a.e} ${sql.raw(op)} ${b.e})`;
  }

  // ---- space
  private spatial(node: Extract<Cql, { k: 'spatial' }>): RawBuilder<SqlBool> {
    const side = (s: Scalar): Queryable | GeometryLiteral => {
      if (s.k === 'prop') {
        const q = this.prop(s.name, s.pos);
        if (q.type !== 'geometry') throw new CqlError(`"${s.name}" is not a geometry`, node.pos || null);
        return q;
      }
      if (s.k === 'geom') return s.g;
      throw new CqlError(`${node.op.toUpperCase()} compares geometries`, node.pos || null);
    };
    let a = side(node.a);
    let b = side(node.b);
    let op = node.op;
    if (!('title' in a) && 'title' in b) {
      [a, b] = [b, a];
      op = op === 's_within' ? 's_contains' : op === 's_contains' ? 's_within' : op;
    }
    if (!('title' in a) || 'title' in b) throw new CqlError(`${node.op.toUpperCase()} needs one geometry property and one geometry literal`, node.pos || null);
    const unsupported = () => new CqlError(`${node.op.toUpperCase()} is not supported on this collection's geometry`, node.pos || null);
    if (a.type !== 'geometry') throw unsupported();
    const hit = 'point' in a ? this.pointIn(a.point, b, node.pos) : this.boxOverlaps(a.box, b);
    switch (op) {
      case 's_intersects': return hit;
      case 's_disjoint': return sql<SqlBool>`not (${hit})`;
      case 's_within': if ('point' in a) return hit; throw unsupported();
      case 's_equals': if ('point' in a && b.type === 'Point') return hit; throw unsupported();
      case 's_contains': if ('point' in a && b.type === 'Point') return hit; throw unsupported();
      default: throw unsupported();
    }
  }

  private pointIn(p: { lon: Expression<number>; lat: Expression<number> }, g: GeometryLiteral, pos: number): RawBuilder<SqlBool> {
    const between = (v: Expression<number>, lo: number, hi: number) => sql<SqlBool>`${v} between ${num(lo)} and ${num(hi)}`;
    switch (g.type) {
      case 'BBox': {
        const c = g.coordinates;
        const [minx, miny, maxx, maxy] = c.length === 6 ? [c[0], c[1], c[3], c[4]] : c;
        return sql<SqlBool>`(${between(p.lon, Number(minx), Number(maxx))} and ${between(p.lat, Number(miny), Number(maxy))})`;
      }
      case 'Point': return sql<SqlBool>`(${p.lon} = ${num(Number(g.coordinates[0]))} and ${p.lat} = ${num(Number(g.coordinates[1]))})`;
      case 'MultiPoint': return sql<SqlBool>`(${sql.join(g.coordinates.map((c) => this.pointIn(p, { type: 'Point', coordinates: c }, pos)), sql` or `)})`;
      case 'Polygon': return this.pointInPolygon(p, g.coordinates, pos);
      case 'MultiPolygon': return sql<SqlBool>`(${sql.join(g.coordinates.map((poly) => this.pointInPolygon(p, poly, pos)), sql` or `)})`;
      default: throw new CqlError(`a point can be tested against a point, a polygon or a bbox, not a ${g.type}`, pos || null);
    }
  }

  /** Even-odd ray casting in SQL, one bound term per edge, after a bounding-box test. */
  private pointInPolygon(p: { lon: Expression<number>; lat: Expression<number> }, rings: number[][][], pos: number): RawBuilder<SqlBool> {
    const vertices = rings.reduce((n, r) => n + r.length, 0);
    if (vertices > MAX_VERTICES) throw new CqlError(`the polygon has more than ${MAX_VERTICES} vertices`, pos || null);
    const outer = rings[0] ?? [];
    if (outer.length < 4) throw new CqlError('a polygon ring needs at least four positions', pos || null);
    const xs = outer.map((c) => Number(c[0]));
    const ys = outer.map((c) => Number(c[1]));
    const terms: RawBuilder<number>[] = [];
    for (const ring of rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        const [xi, yi] = ring[i] as number[] as [number, number];
        const [xj, yj] = ring[i + 1] as number[] as [number, number];
        if (yi === yj) continue;
        const [ylo, yhi] = yi < yj ? [yi, yj] : [yj, yi];
        const slope = (xj - xi) / (yj - yi);
        terms.push(sql<number>`case when ${p.lat} >= ${num(ylo)} and ${p.lat} < ${num(yhi)} and ${p.lon} < ${num(slope)} * (${p.lat} - ${num(yi)}) + ${num(xi)} then 1 else 0 end`);
      }
    }
    if (!terms.length) return FALSE;
    const box = sql<SqlBool>`${p.lon} between ${num(Math.min(...xs))} and ${num(Math.max(...xs))} and ${p.lat} between ${num(Math.min(...ys))} and ${num(Math.max(...ys))}`;
    return sql<SqlBool>`(${box} and (${sql.join(terms, sql` + `)}) % 2 = 1)`;
  }

  private boxOverlaps(b: { minLon: Expression<number>; minLat: Expression<number>; maxLon: Expression<number>; maxLat: Expression<number> }, g: GeometryLiteral): RawBuilder<SqlBool> {
    const flat: number[][] = [];
    const walk = (c: unknown): void => { if (typeof (c as number[])[0] === 'number') flat.push(c as number[]); else (c as unknown[]).forEach(walk); };
    if (g.type === 'BBox') {
      const c = g.coordinates;
      flat.push(c.length === 6 ? [Number(c[0]), Number(c[1])] : [Number(c[0]), Number(c[1])], c.length === 6 ? [Number(c[3]), Number(c[4])] : [Number(c[2]), Number(c[3])]);
    } else walk(g.coordinates);
    const xs = flat.map((c) => Number(c[0]));
    const ys = flat.map((c) => Number(c[1]));
    return sql<SqlBool>`(${b.maxLon} >= ${num(Math.min(...xs))} and ${b.minLon} <= ${num(Math.max(...xs))} and ${b.maxLat} >= ${num(Math.min(...ys))} and ${b.minLat} <= ${num(Math.max(...ys))})`;
  }

  // ---- time
  private range(s: Scalar, pos: number): TimeRange {
    switch (s.k) {
      case 'timestamp': return { from: iso(s.v), to: iso(s.v), toInclusive: true };
      case 'date': return { from: dayStart(s.v), to: nextDay(s.v), toInclusive: false };
      case 'interval': {
        const from = s.from.k === 'open' ? null : this.range(s.from, pos).from;
        const end = s.to.k === 'open' ? null : this.range(s.to, pos);
        return { from, to: end ? end.to : null, toInclusive: end ? end.toInclusive : true };
      }
      default: throw new CqlError('expected a DATE, a TIMESTAMP or an INTERVAL', pos || null);
    }
  }

  private temporal(node: Extract<Cql, { k: 'temporal' }>): RawBuilder<SqlBool> {
    let [a, b] = [node.a, node.b];
    if (a.k !== 'prop' && b.k === 'prop') [a, b] = [b, a];
    if (a.k !== 'prop') throw new CqlError(`${node.op.toUpperCase()} needs a temporal property`, node.pos || null);
    const q = this.prop(a.name, a.pos);
    if (q.type !== 'datetime') throw new CqlError(`"${a.name}" is not a temporal property`, node.pos || null);
    const swapped = a !== node.a;
    const r = this.range(b, node.pos);
    const x = q.sql;
    const afterStart = r.from === null ? TRUE : sql<SqlBool>`${x} >= ${r.from}`;
    const beforeEnd = r.to === null ? TRUE : r.toInclusive ? sql<SqlBool>`${x} <= ${r.to}` : sql<SqlBool>`${x} < ${r.to}`;
    const within = sql<SqlBool>`(${afterStart} and ${beforeEnd})`;
    const before = r.from === null ? FALSE : sql<SqlBool>`(${x} < ${r.from})`;
    const after = r.to === null ? FALSE : r.toInclusive ? sql<SqlBool>`(${x} > ${r.to})` : sql<SqlBool>`(${x} >= ${r.to})`;
    switch (node.op) {
      case 't_intersects': return within;
      case 't_disjoint': return sql<SqlBool>`not ${within}`;
      case 't_during': return within;
      case 't_contains': if (swapped) return within; break;
      case 't_equals': if (r.from !== null && r.from === r.to) return sql<SqlBool>`(${x} = ${r.from})`; break;
      case 't_before': return swapped ? after : before;
      case 't_after': return swapped ? before : after;
      default: break;
    }
    throw new CqlError(`${node.op.toUpperCase()} is not supported between an instant and this value`, node.pos || null);
  }
}

/** Compiles a parsed filter over a collection's queryables. */
export const compileCql2 = (ast: Cql, queryables: Queryables): RawBuilder<SqlBool> => new Cql2Compiler(queryables).compile(ast);
