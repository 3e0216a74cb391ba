import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Reads on worker threads, each with a read-only connection of its own to the database file: a bulk read (an export's
 * pages) runs beside the event loop, and two pages at once on two cores, where better-sqlite3 on the main thread would
 * hold the process for each. WAL lets them read while the writer writes; each statement sees the last commit.
 */
export interface SqliteReaders {
  /** Runs a SELECT on the next reader, its rows as arrays of values. */
  selectArrays(sql: string, parameters: readonly unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/**
 * The reader's code: plain CommonJS, run from this string (no loader, no build step), better-sqlite3 by its resolved path.
 * A small page cache (4 MiB): an export reads each table page once, from the system's file cache.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -4096');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let st = statements.get(sql);
    if (!st) {
      if (statements.size >= 20) statements.clear();
      st = db.prepare(sql).raw(true);
      statements.set(sql, st);
    }
    parentPort.postMessage({ id, rows: st.all(parameters) });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

type Pending = { resolve: (rows: unknown[][]) => void; reject: (e: Error) => void };

/** `count` readers of `file`, started on first use; idle, they never keep the process alive. */
export function sqliteReaders(file: string, count = 2): SqliteReaders {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let workers: Worker[] | null = null;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let turn = 0;
  const start = () => Array.from({ length: count }, () => {
    // A small heap: a reader holds a page or two at a time (a few MiB), and an export's memory must not grow with it.
    const w = new Worker(READER, { eval: true, workerData: { driver, file }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 } });
    w.on('message', (m: { id: number; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) for (const x of workers ?? []) x.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.rows ?? []);
    });
    // A reader that fails (out of memory, a driver crash) takes the others with it: the reads under way fail, the
    // next read starts new ones.
    w.on('error', (e) => void stop(e as Error));
    w.unref();
    return w;
  });
  async function stop(reason: Error): Promise<void> {
    const all = workers ?? [];
    workers = null;
    for (const p of pending.values()) p.reject(reason);
    pending.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }
  return {
    selectArrays(sql, parameters) {
      workers ??= start();
      const w = workers[turn++ % workers.length] as Worker;
      const id = nextId++;
      return new Promise<unknown[][]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Held by the process while a read is under way (its answer is awaited), let go when none is.
        w.ref();
        w.postMessage({ id, sql, parameters });
      });
    },
    close: () => stop(new Error('the database is closed')),
  };
}
