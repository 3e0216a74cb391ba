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
