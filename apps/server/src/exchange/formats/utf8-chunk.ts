import type { ExportLineRow } from '../../repositories/incident-export.repository.js';

/**
 * `before`, then the pieces separated by `between`, encoded as UTF-8 into one buffer of the exact size: one encoding
 * pass per chunk, where joining the pieces into one string first would copy every byte once more. Writers batch a
 * thousand records a chunk.
 */
export function utf8Chunk(pieces: readonly string[], between = '', before = ''): Buffer {
  let size = Buffer.byteLength(before, 'utf8') + Buffer.byteLength(between, 'utf8') * Math.max(0, pieces.length - 1);
  for (const p of pieces) size += Buffer.byteLength(p, 'utf8');
  const buf = Buffer.allocUnsafe(size);
  let at = buf.write(before, 0, 'utf8');
  for (let k = 0; k < pieces.length; k++) {
    if (k && between) at += buf.write(between, at, 'utf8');
    at += buf.write(pieces[k] as string, at, 'utf8');
  }
  return buf;
}

/**
 * Rows of lines the database wrote (head, point, tail: incident-export.repository.ts) as one UTF-8 buffer of the exact
 * size, as utf8Chunk would write `before`, the lines separated by `between`, then `after`: each line's head and tail
 * are copied into the buffer as they are, the point written between them by `point` (never one string per line).
 */
export function lineChunk(rows: readonly ExportLineRow[], point: (latitude: number | null, longitude: number | null) => string, between: string, before = '', after = ''): Buffer {
  const points = new Array<string>(rows.length);
  let size = Buffer.byteLength(before, 'utf8') + Buffer.byteLength(after, 'utf8') + Buffer.byteLength(between, 'utf8') * Math.max(0, rows.length - 1);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as ExportLineRow;
    const p = point(r[3], r[4]);
    points[k] = p;
    size += Buffer.byteLength(r[2], 'utf8') + Buffer.byteLength(p, 'utf8') + Buffer.byteLength(r[5], 'utf8');
  }
  const buf = Buffer.allocUnsafe(size);
  let at = buf.write(before, 0, 'utf8');
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as ExportLineRow;
    if (k) at += buf.write(between, at, 'utf8');
    at += buf.write(r[2], at, 'utf8');
    at += buf.write(points[k] as string, at, 'utf8');
    at += buf.write(r[5], at, 'utf8');
  }
  buf.write(after, at, 'utf8');
  return buf;
}
