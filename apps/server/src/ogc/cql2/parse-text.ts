/**
 * A recursive-descent parser for the CQL2 text encoding (OGC 21-065, Annex A BNF), for the classes Vigie advertises:
 * basic CQL2, advanced comparison operators (LIKE, BETWEEN, IN), case- and accent-insensitive comparison (CASEI,
 * ACCENTI), basic spatial functions with the WKT and BBOX literals, and temporal functions. Arithmetic, arrays and
 * custom functions are not part of them and are refused with the position where they start.
 */
import { CqlError, SPATIAL_OPS, TEMPORAL_OPS, type CompareOp, type Cql, type GeometryLiteral, type Scalar, type SpatialOp, type TemporalOp } from './ast.js';

type TokKind = 'ident' | 'qident' | 'string' | 'number' | 'op' | 'punct' | 'eof';
interface Tok { kind: TokKind; text: string; pos: number }

const MAX_LENGTH = 20_000;
const MAX_DEPTH = 64;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const pos = i + 1;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new CqlError('unterminated character literal', pos);
        if (src[i] === "'") {
          if (src[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += src[i];
        i++;
      }
      out.push({ kind: 'string', text: s, pos });
      continue;
    }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw new CqlError('unterminated quoted property name', pos);
      out.push({ kind: 'qident', text: src.slice(i + 1, end), pos });
      i = end + 1;
      continue;
    }
    const num = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' && c !== '+' || !prevIsValue(out))) {
      out.push({ kind: 'number', text: num[0], pos });
      i += num[0].length;
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{N}_.:]*/u.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'ident', text: id[0], pos });
      i += id[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<>' || two === '<=' || two === '>=') { out.push({ kind: 'op', text: two, pos }); i += 2; continue; }
    if (c === '=' || c === '<' || c === '>') { out.push({ kind: 'op', text: c, pos }); i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: 'punct', text: c, pos }); i++; continue; }
    throw new CqlError(`unexpected character '${c}'`, pos);
  }
  out.push({ kind: 'eof', text: '', pos: src.length + 1 });
  return out;
}

/** A sign after a value is an operator (not supported), before one it belongs to a number. */
const prevIsValue = (toks: Tok[]) => {
  const p = toks.at(-1);
  return !!p && (p.kind === 'number' || p.kind === 'string' || p.kind === 'qident' || (p.kind === 'ident' && !KEYWORDS.has(p.text.toUpperCase())) || p.text === ')');
};

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE']);
const GEOMETRY_WORDS = new Set(['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'BBOX']);
const COMPARE: readonly string[] = ['=', '<>', '<', '>', '<=', '>='];

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(n = 0): Tok { return this.toks[Math.min(this.i + n, this.toks.length - 1)] as Tok; }
  private next(): Tok { const t = this.peek(); if (t.kind !== 'eof') this.i++; return t; }
  private isWord(word: string, n = 0): boolean { const t = this.peek(n); return t.kind === 'ident' && t.text.toUpperCase() === word; }
  private isPunct(p: string, n = 0): boolean { const t = this.peek(n); return t.kind === 'punct' && t.text === p; }
  private fail(what: string, t: Tok = this.peek()): never {
    throw new CqlError(`${what}, found ${t.kind === 'eof' ? 'the end of the filter' : `'${t.text}'`}`, t.pos);
  }
  private expectWord(word: string): void { if (!this.isWord(word)) this.fail(`expected ${word}`); this.next(); }
  private expectPunct(p: string): void { if (!this.isPunct(p)) this.fail(`expected '${p}'`); this.next(); }

  parse(): Cql {
    const e = this.orExpr();
    if (this.peek().kind !== 'eof') this.fail('expected AND, OR or the end of the filter');
    return e;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail('the filter is nested too deeply');
    try { return f(); } finally { this.depth--; }
  }

  private orExpr(): Cql {
    const args = [this.andExpr()];
    while (this.isWord('OR')) { this.next(); args.push(this.andExpr()); }
    return args.length === 1 ? (args[0] as Cql) : { k: 'or', args };
  }

  private andExpr(): Cql {
    const args = [this.notExpr()];
    while (this.isWord('AND')) { this.next(); args.push(this.notExpr()); }
    return args.length === 1 ? (args[0] as Cql) : { k: 'and', args };
  }

  private notExpr(): Cql {
    if (this.isWord('NOT')) { this.next(); return this.nest(() => ({ k: 'not', arg: this.notExpr() })); }
    return this.primary();
  }

  private primary(): Cql {
    if (this.isPunct('(')) {
      this.next();
      const e = this.nest(() => this.orExpr());
      this.expectPunct(')');
      return e;
    }
    const t = this.peek();
    if (t.kind === 'ident' && this.isPunct('(', 1)) {
      const name = t.text.toLowerCase();
      if ((SPATIAL_OPS as readonly string[]).includes(name)) return this.binaryFunction(name as SpatialOp, 'spatial');
      if ((TEMPORAL_OPS as readonly string[]).includes(name)) return this.binaryFunction(name as TemporalOp, 'temporal');
      if (/^a_/.test(name)) this.fail('array functions are not supported');
    }
    if ((this.isWord('TRUE') || this.isWord('FALSE')) && !this.isComparisonAhead(1)) {
      return { k: 'literal', v: this.next().text.toUpperCase() === 'TRUE' };
    }
    const value = this.scalar();
    return this.predicateAfter(value, t.pos);
  }

  private isComparisonAhead(n: number): boolean {
    const t = this.peek(n);
    return (t.kind === 'op') || ['LIKE', 'BETWEEN', 'IN', 'IS', 'NOT'].some((w) => this.isWord(w, n));
  }

  private binaryFunction<K extends 'spatial' | 'temporal'>(op: K extends 'spatial' ? SpatialOp : TemporalOp, k: K): Cql {
    const pos = this.next().pos;
    this.expectPunct('(');
    const a = this.scalar();
    this.expectPunct(',');
    const b = this.scalar();
    this.expectPunct(')');
    return k === 'spatial' ? { k: 'spatial', op: op as SpatialOp, a, b, pos } : { k: 'temporal', op: op as TemporalOp, a, b, pos };
  }

  private predicateAfter(value: Scalar, pos: number): Cql {
    const t = this.peek();
    if (t.kind === 'op' && COMPARE.includes(t.text)) {
      this.next();
      return { k: 'cmp', op: t.text as CompareOp, left: value, right: this.scalar(), pos };
    }
    if (this.isWord('IS')) {
      this.next();
      const negate = this.isWord('NOT') ? (this.next(), true) : false;
      this.expectWord('NULL');
      const e: Cql = { k: 'isnull', value, pos };
      return negate ? { k: 'not', arg: e } : e;
    }
    const negate = this.isWord('NOT') ? (this.next(), true) : false;
    let e: Cql;
    if (this.isWord('LIKE')) {
      this.next();
      e = { k: 'like', value, pattern: this.scalar(), pos };
    } else if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.scalar();
      this.expectWord('AND');
      e = { k: 'between', value, low, high: this.scalar(), pos };
    } else if (this.isWord('IN')) {
      this.next();
      this.expectPunct('(');
      const list = [this.scalar()];
      while (this.isPunct(',')) { this.next(); list.push(this.scalar()); }
      this.expectPunct(')');
      e = { k: 'in', value, list, pos };
    } else {
      return this.fail(negate ? 'expected LIKE, BETWEEN or IN after NOT' : 'expected a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL)');
    }
    return negate ? { k: 'not', arg: e } : e;
  }

  private scalar(): Scalar {
    const t = this.peek();
    if (t.kind === 'string') { this.next(); return { k: 'str', v: t.text }; }
    if (t.kind === 'number') {
      if (!Number.isFinite(Number(t.text))) this.fail('the number is out of range');
      this.next();
      return { k: 'num', v: Number(t.text) };
    }
    if (t.kind === 'qident') { this.next(); return { k: 'prop', name: t.text, pos: t.pos }; }
    if (t.kind !== 'ident') return this.fail('expected a property, a literal or a function');
    const word = t.text.toUpperCase();
    if (word === 'TRUE' || word === 'FALSE') { this.next(); return { k: 'bool', v: word === 'TRUE' }; }
    if (KEYWORDS.has(word)) return this.fail('expected a property, a literal or a function');
    if (!this.isPunct('(', 1)) { this.next(); return { k: 'prop', name: t.text, pos: t.pos }; }
    if (GEOMETRY_WORDS.has(word)) return { k: 'geom', g: this.geometry() };
    this.next();
    this.expectPunct('(');
    const one = (): Scalar => { const s = this.nest(() => this.scalar()); this.expectPunct(')'); return s; };
    switch (word) {
      case 'CASEI': return { k: 'casei', arg: one() };
      case 'ACCENTI': return { k: 'accenti', arg: one() };
      case 'DATE': return { k: 'date', v: this.instantText('DATE', /^\d{4}-\d{2}-\d{2}$/) };
      case 'TIMESTAMP': return { k: 'timestamp', v: this.instantText('TIMESTAMP', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i) };
      case 'INTERVAL': {
        const from = this.intervalEnd();
        this.expectPunct(',');
        const to = this.intervalEnd();
        this.expectPunct(')');
        return { k: 'interval', from, to };
      }
      default: return this.fail(`unknown function ${t.text}`, t);
    }
  }

  private instantText(fn: string, shape: RegExp): string {
    const t = this.peek();
    if (t.kind !== 'string' || !shape.test(t.text) || Number.isNaN(Date.parse(t.text))) this.fail(`expected a valid ${fn === 'DATE' ? 'date (YYYY-MM-DD)' : 'RFC 3339 timestamp'} in ${fn}`);
    this.next();
    this.expectPunct(')');
    return t.text;
  }

  private intervalEnd(): Scalar {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      if (t.text === '..') return { k: 'open' };
      if (/^\d{4}-\d{2}-\d{2}$/.test(t.text) && !Number.isNaN(Date.parse(t.text))) return { k: 'date', v: t.text };
      if (/^\d{4}-\d{2}-\d{2}T/.test(t.text) && !Number.isNaN(Date.parse(t.text))) return { k: 'timestamp', v: t.text };
      this.fail('expected a date, a timestamp or \'..\' in INTERVAL', t);
    }
    return this.scalar();
  }

  // ---- WKT geometry literals (2D or 3D coordinates) and BBOX
  private geometry(): GeometryLiteral {
    const t = this.next();
    const word = t.text.toUpperCase();
    if (word === 'BBOX') {
      this.expectPunct('(');
      const c = [this.number()];
      while (this.isPunct(',')) { this.next(); c.push(this.number()); }
      this.expectPunct(')');
      if (c.length !== 4 && c.length !== 6) this.fail('BBOX takes 4 or 6 numbers', t);
      return { type: 'BBox', coordinates: c };
    }
    this.expectPunct('(');
    let g: GeometryLiteral;
    switch (word) {
      case 'POINT': g = { type: 'Point', coordinates: this.position() }; break;
      case 'LINESTRING': g = { type: 'LineString', coordinates: this.positions() }; break;
      case 'POLYGON': g = { type: 'Polygon', coordinates: this.rings() }; break;
      case 'MULTIPOINT': g = { type: 'MultiPoint', coordinates: this.list(() => (this.isPunct('(') ? this.wrapped(() => this.position()) : this.position())) }; break;
      case 'MULTILINESTRING': g = { type: 'MultiLineString', coordinates: this.list(() => this.wrapped(() => this.positions())) }; break;
      default: g = { type: 'MultiPolygon', coordinates: this.list(() => this.wrapped(() => this.rings())) };
    }
    this.expectPunct(')');
    return g;
  }
  private number(): number {
    const t = this.peek();
    if (t.kind !== 'number' || !Number.isFinite(Number(t.text))) this.fail('expected a number');
    this.next();
    return Number(t.text);
  }
  private position(): number[] {
    const c = [this.number(), this.number()];
    if (this.peek().kind === 'number') c.push(this.number());
    return c;
  }
  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isPunct(',')) { this.next(); out.push(item()); }
    return out;
  }
  private wrapped<T>(inner: () => T): T { this.expectPunct('('); const v = inner(); this.expectPunct(')'); return v; }
  private positions(): number[][] { return this.list(() => this.position()); }
  private rings(): number[][][] { return this.list(() => this.wrapped(() => this.positions())); }
}

/** Parses a CQL2 text filter into the AST, or throws CqlError naming the 1-based position of the fault. */
export function parseCql2Text(src: string): Cql {
  if (src.length > MAX_LENGTH) throw new CqlError(`the filter is longer than ${MAX_LENGTH} characters`);
  if (!src.trim()) throw new CqlError('the filter is empty', 1);
  return new Parser(tokenize(src)).parse();
}
