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
