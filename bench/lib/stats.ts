import fs from 'node:fs';

/** The p-th percentile (0–100) of some samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Peak resident memory over a phase, sampled where the phase calls `sample()` (between batches). */
export class RssPeak {
  private peak = 0;
  constructor() {
    this.sample();
  }
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
  /** Peak in MiB. */
  get mib(): number {
    this.sample();
    return this.peak / (1024 * 1024);
  }
}

/** A live process's peak resident memory so far in MiB (Linux `VmHWM`), or NaN where /proc does not say. */
export function processPeakRssMiB(pid: number | undefined): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Milliseconds since an origin taken with `now()`. */
export const now = (): number => performance.now();

/** Lets the collector return what the previous phase left, so one phase's garbage does not count in the next one's peak. */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
