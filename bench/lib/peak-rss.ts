/**
 * Loaded into every benchmark's process by bench/run.ts (`--import`): prints the process's peak resident memory when it
 * exits, so that each workload's run shows what it held at most (figures of each side, where a bench measures them
 * apart, are in its table as `peak_rss`).
 */
import path from 'node:path';

process.on('exit', () => {
  console.log(`peak RSS of ${path.basename(process.argv[1] ?? '?')}: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
});
