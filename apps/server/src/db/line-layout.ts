import type { LineLayout, LinePage } from './engine.js';

/** A row of export lines as read: classification level, the id when the level is audited (else null), the text before the point, latitude, longitude, the text after. */
export type LineRow = [level: number, auditedId: string | null, head: string, latitude: number | null, longitude: number | null, tail: string];

/**
 * A page of rows laid out as `layout` says, as one UTF-8 buffer of the exact size: head, point and tail written into it
 * in turn (never one string per line). SQLite's reader threads do the same where they read the rows (sqlite-readers.ts);
 * the byte-for-byte test of the export holds both to the record writers.
 */
export function layLines(rows: readonly LineRow[], layout: LineLayout): LinePage {
  const { between, after, point } = layout;
  const num = (n: number | null) => (typeof n === 'number' && Number.isFinite(n) ? String(n) : point.missing);
  const points = new Array<string>(rows.length);
  const audited: string[] = [];
  let top = -1;
  let size = Buffer.byteLength(after) + Buffer.byteLength(between) * Math.max(0, rows.length - 1);
  for (let k = 0; k < rows.length; k++) {
    const [level, id, head, latitude, longitude, tail] = rows[k] as LineRow;
    if (level > top) top = level;
    if (id !== null) audited.push(id);
    const p = point.first === 'latitude' ? `${num(latitude)}${point.sep}${num(longitude)}` : `${num(longitude)}${point.sep}${num(latitude)}`;
    points[k] = p;
    size += Buffer.byteLength(head) + p.length + Buffer.byteLength(tail);
  }
  const chunk = Buffer.allocUnsafe(size);
  let at = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as LineRow;
    if (k) at += chunk.write(between, at);
    at += chunk.write(r[2], at);
    at += chunk.write(points[k] as string, at);
    at += chunk.write(r[5], at);
  }
  chunk.write(after, at);
  return { count: rows.length, top, audited, chunk };
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * A page of CSV lines as PostgreSQL's `COPY … TO STDOUT (FORMAT csv)` wrote them, each line's first two fields the row's
 * classification level and its audited id (empty when not audited): laid out as the export's CSV, those two fields cut
 * off and every line ended by CRLF (COPY ends them with LF). COPY quotes a field holding the separator, a quote or a
 * line break, as csv.ts does, so a line feed inside quotes is a value's own and stays as it is.
 */
export function csvCopyPage(data: Buffer, sep: string): LinePage {
  const sepByte = sep.charCodeAt(0);
  // Each line's text (start, end exclusive of its LF) after its two leading fields.
  const starts: number[] = [];
  const ends: number[] = [];
  const audited: string[] = [];
  let top = -1;
  let size = 0;
  let pos = 0;
  // The next quote at or after pos (data.length when none): found once per quote, not once per line.
  let quote = -1;
  while (pos < data.length) {
    const levelEnd = data.indexOf(sepByte, pos);
    const idEnd = data.indexOf(sepByte, levelEnd + 1);
    if (levelEnd < 0 || idEnd < 0) throw new Error('COPY line without its level and audited id');
    const level = Number(data.toString('latin1', pos, levelEnd));
    if (level > top) top = level;
    if (idEnd > levelEnd + 1) audited.push(data.toString('latin1', levelEnd + 1, idEnd));
    const start = idEnd + 1;
    let end = data.indexOf(LF, start);
    if (end < 0) end = data.length;
    if (quote < start) quote = data.indexOf(QUOTE, start);
    if (quote < 0) quote = data.length;
    if (quote < end) {
      // A quoted field: the line ends at the first LF outside quotes. From quote to quote (a doubled quote closes and
      // opens again), each found by indexOf rather than byte by byte: a narrative is quoted on nearly every line.
      let open = quote;
      for (;;) {
        const close = data.indexOf(QUOTE, open + 1);
        if (close < 0) {
          end = data.length;
          quote = data.length;
          break;
        }
        // The LF found was inside the quotes: the line goes on past them.
        if (end < close) {
          end = data.indexOf(LF, close + 1);
          if (end < 0) end = data.length;
        }
        open = data.indexOf(QUOTE, close + 1);
        if (open < 0 || open > end) {
          quote = open < 0 ? data.length : open;
          break;
        }
      }
    }
    starts.push(start);
    ends.push(end);
    size += end - start + 2;
    pos = end + 1;
  }
  const chunk = Buffer.allocUnsafe(size);
  let at = 0;
  for (let k = 0; k < starts.length; k++) {
    at += data.copy(chunk, at, starts[k], ends[k]);
    chunk[at++] = CR;
    chunk[at++] = LF;
  }
  return { count: starts.length, top, audited, chunk };
}

const TAB = 0x09;
const BACKSLASH = 0x5c;
/** COPY's text format writes these characters as a backslash and a letter (and a backslash as two). */
const COPY_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const unescapeCopy = (s: string) => s.replace(/\\(.)/gs, (_, c: string) => COPY_ESCAPES[c] ?? c);

/**
 * A page of export lines as PostgreSQL's `COPY … TO STDOUT` (text format) wrote them: per row its classification
 * level, its audited id (`\N` when not audited) and the line, separated by tabs; laid out with `layout`'s separators.
 * A raw line feed or tab only ever ends a row or a field (COPY escapes those in a value); a value with a backslash
 * in it is read back through COPY's escapes.
 */
export function textCopyPage(data: Buffer, layout: LineLayout): LinePage {
  // Each line's text (start, end exclusive), or, for the few with a backslash, the text read back through COPY's
  // escapes: offsets into the page rather than a buffer per line (hundreds of thousands of objects for the collector).
  const starts: number[] = [];
  const ends: number[] = [];
  const unescaped = new Map<number, Buffer>();
  const audited: string[] = [];
  let top = -1;
  let size = 0;
  let pos = 0;
  // The next backslash at or after pos (data.length when none): found once per backslash, not once per line.
  let backslash = -1;
  while (pos < data.length) {
    const levelEnd = data.indexOf(TAB, pos);
    const idEnd = data.indexOf(TAB, levelEnd + 1);
    if (levelEnd < 0 || idEnd < 0) throw new Error('COPY row without its level and audited id');
    let end = data.indexOf(LF, idEnd + 1);
    if (end < 0) end = data.length;
    const level = Number(data.toString('latin1', pos, levelEnd));
    if (level > top) top = level;
    // `\N`: not audited.
    if (!(idEnd - levelEnd === 3 && data[levelEnd + 1] === BACKSLASH && data[levelEnd + 2] === 0x4e)) audited.push(unescapeCopy(data.toString('utf8', levelEnd + 1, idEnd)));
    const start = idEnd + 1;
    if (backslash < start) backslash = data.indexOf(BACKSLASH, start);
    if (backslash < 0) backslash = data.length;
    if (backslash < end) {
      const line = Buffer.from(unescapeCopy(data.toString('utf8', start, end)));
      unescaped.set(starts.length, line);
      size += line.length;
    } else {
      size += end - start;
    }
    starts.push(start);
    ends.push(end);
    pos = end + 1;
  }
  const between = Buffer.from(layout.between);
  const after = Buffer.from(layout.after);
  const chunk = Buffer.allocUnsafe(size + between.length * Math.max(0, starts.length - 1) + after.length);
  let at = 0;
  for (let k = 0; k < starts.length; k++) {
    if (k) at += between.copy(chunk, at);
    const line = unescaped.get(k);
    at += line ? line.copy(chunk, at) : data.copy(chunk, at, starts[k], ends[k]);
  }
  after.copy(chunk, at);
  return { count: starts.length, top, audited, chunk };
}
