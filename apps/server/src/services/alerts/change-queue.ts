/**
 * A small debounce queue for the alert rules' incremental runs: changes that arrive close together are folded into
 * one batch, and changes that arrive while a batch runs wait for the next one, so that fifty writers validating
 * records of the same area and week cause one or two runs instead of fifty. Pure of any database.
 */

/** What accumulates between two runs: the cells touched, or `null` for "anywhere" (a bulk change). */
export type Pending<C> = C[] | null;

export class ChangeQueue<C> {
  private pending: C[] = [];
  private anywhere = false;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the oldest change waiting for a run arrived (ms). */
  private since = 0;
  /** How long the last run took (ms): the next waits at least as long, so runs never take more than half the time. */
  private lastRun = 0;

  private get wait(): number {
    return Math.max(this.waitMs, this.lastRun);
  }
  private running: Promise<void> | null = null;
  private stopped = false;

  /**
   * `run` receives each batch (null: anywhere); it is never called twice at once. `waitMs`: how long a change waits
   * for others before its batch starts.
   */
  constructor(private readonly run: (batch: Pending<C>) => Promise<void>, private readonly waitMs: number) {}

  /** Adds a change's cells (undefined: anywhere) and schedules a run. */
  push(cells: readonly C[] | undefined): void {
    if (this.stopped) return;
    if (cells === undefined) this.anywhere = true;
    else this.pending.push(...cells);
    if (!this.dirty) this.since = Date.now();
    this.dirty = true;
    // The wait is bounded by the changes themselves, not only by the timer: when fifty writers' requests keep the
    // event loop in promise callbacks (SQLite answers synchronously), a 100 ms timer fired seconds late.
    if (this.timer && Date.now() - this.since >= this.wait) {
      clearTimeout(this.timer);
      this.flush();
      return;
    }
    this.schedule();
  }

  /** Resolves once every change pushed so far has been run (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.timer || this.running || this.dirty) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, Math.max(1, this.waitMs)));
    }
  }

  /** Drops what waits; a run under way finishes. */
  stop(): void {
    this.stopped = true;
    this.dirty = false;
    this.pending = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.running || this.stopped) return;
    this.timer = setTimeout(() => this.flush(), this.wait);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    if (!this.dirty || this.stopped) return;
    const batch: Pending<C> = this.anywhere ? null : this.pending;
    this.pending = [];
    this.anywhere = false;
    this.dirty = false;
    const started = Date.now();
    this.running = this.run(batch).catch(() => undefined).finally(() => {
      this.lastRun = Date.now() - started;
      this.running = null;
      if (this.dirty) this.schedule();
    });
  }
}
