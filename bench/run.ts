/**
 * `npm run bench [-- --size N] [--only NAME] [--engine sqlite|postgres] …`: runs every bench/*.bench.ts in turn, each in
 * its own process (so one benchmark's memory and caches never weigh on the next), passing the arguments through; each
 * process prints its peak resident memory as it exits (bench/lib/peak-rss.ts).
 * `--only NAME` (repeatable, or comma-separated) keeps the benchmarks whose name (file name without .bench.ts) contains NAME.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const argv = process.argv.slice(2);
const only: string[] = [];
const passed: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] as string;
  if (a === '--only') only.push(...(argv[++i] ?? '').split(','));
  else if (a.startsWith('--only=')) only.push(...a.slice('--only='.length).split(','));
  else passed.push(a);
}

const all = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const names = all.map((f) => f.slice(0, -'.bench.ts'.length));
const chosen = only.length ? names.filter((n) => only.some((o) => o && n.includes(o))) : names;
if (!chosen.length) {
  console.error(`no benchmark matches --only ${only.join(',')}; available: ${names.join(', ')}`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n=== ${name} ${passed.join(' ')}`);
  const t0 = Date.now();
  const peakRss = pathToFileURL(path.join(dir, 'lib', 'peak-rss.ts')).href;
  const res = spawnSync(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', '--import', peakRss, '--expose-gc', path.join(dir, `${name}.bench.ts`), ...passed], {
    stdio: 'inherit',
    cwd: path.resolve(dir, '..'),
  });
  const status = res.status ?? (res.signal ? `signal ${res.signal}` : 'unknown');
  console.log(`=== ${name}: ${status === 0 ? 'done' : `FAILED (${status})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nfigures appended to bench/results/latest.jsonl`);
