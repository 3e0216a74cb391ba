import { describe, expect, it, vi } from 'vitest';
import { ChangeQueue, type Pending } from './change-queue.js';

describe('the incremental runs’ debounce queue', () => {
  it('folds a burst of fifty changes into one run with all their cells', async () => {
    const runs: Pending<number>[] = [];
    const q = new ChangeQueue<number>(async (batch) => void runs.push(batch), 5);
    for (let k = 0; k < 50; k++) q.push([k]);
    await q.idle();
    expect(runs).toHaveLength(1);
    expect([...(runs[0] ?? [])].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, k) => k));
  });

  it('never runs twice at once: changes during a run wait for one more run after it', async () => {
    const runs: Pending<string>[] = [];
    let active = 0;
    let overlap = false;
    let release: () => void = () => undefined;
    const q = new ChangeQueue<string>(async (batch) => {
      active++;
      overlap ||= active > 1;
      runs.push(batch);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
      active--;
    }, 1);
    q.push(['a']);
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 1));
    q.push(['b']);
    q.push(['c']);
    release();
    await q.idle();
    expect(overlap).toBe(false);
    expect(runs).toEqual([['a'], ['b', 'c']]);
  });

  it('is never held back by a steady stream of changes: each run starts its wait after the first change, not the last', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const runs: Pending<number>[] = [];
      const q = new ChangeQueue<number>(async (batch) => void runs.push(batch), 100);
      // A change every 10 ms for two seconds, as fifty writers keep validating.
      for (let k = 0; k < 200; k++) {
        q.push([k]);
        await vi.advanceTimersByTimeAsync(10);
      }
      // Two seconds of changes, each run starting 100 ms after the first change it holds: about twenty runs.
      const seen = runs.flatMap((r) => r ?? []);
      expect(runs.length).toBeGreaterThanOrEqual(15);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => k)); // in order, each once
      expect(seen.length).toBeGreaterThanOrEqual(190); // only the last 100 ms still wait
      q.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a change with unknown cells (a bulk import) into a run over everything', async () => {
    const runs: Pending<string>[] = [];
    const q = new ChangeQueue<string>(async (batch) => void runs.push(batch), 1);
    q.push(['a']);
    q.push(undefined);
    await q.idle();
    expect(runs).toEqual([null]);
    q.stop();
    q.push(['b']);
    await q.idle();
    expect(runs).toEqual([null]);
  });
});
