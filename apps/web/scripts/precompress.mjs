// Writes .br and .gz beside every built asset so the server sends them precompressed
// (@fastify/static `preCompressed`): on a 256 kbit/s link every kilobyte counts.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.join(import.meta.dirname, '..', 'dist');
const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
let files = 0;
for (const file of walk(root)) {
  if (!/\.(js|mjs|css|html|json|svg)$/.test(file)) continue;
  const buf = readFileSync(file);
  if (buf.length < 512) continue;
  writeFileSync(`${file}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }));
  writeFileSync(`${file}.gz`, gzipSync(buf, { level: 9 }));
  files++;
}
console.log(`precompressed ${files} files (br, gz)`);
