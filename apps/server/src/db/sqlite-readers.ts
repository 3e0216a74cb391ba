import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { LineLayout, LinePage } from './engine.js';

/**
 * Reads on worker threads, each with a read-only connection of its own to the database file: a bulk read (an export's
 * pages) runs beside the event loop, and two pages at once on two cores, where better-sqlite3 on the main thread would
 * hold the process for each. WAL lets them read while the writer writes; each statement sees the last commit.
 */
export interface SqliteReaders {
  /** Runs a SELECT on the next reader, its rows as arrays of values. */
  selectArrays(sql: string, parameters: readonly unknown[]): Promise<unknown[][]>;
  /** Runs a SELECT of export lines on the next reader, the page laid out there as bytes (Engine.readLines). */
  selectLines(sql: string, parameters: readonly unknown[], layout: LineLayout): Promise<LinePage>;
  close(): Promise<void>;
}

/**
 * The reader's code: plain CommonJS, run from this string (no loader, no build step), better-sqlite3 by its resolved path.
 * A small page cache (4 MiB): an export reads each table page once, from the system's file cache.
 *
 * `lay` writes a page of export lines as the export's writers would (db/line-layout.ts's layLines, which
 * PostgreSQL's pages go through; the byte-for-byte test of the export holds both to the record writers): head, point,
 * tail per row, the rows separated by `between`, `after` after the last, encoded as UTF-8 here rather than on the event
 * loop. The page's bytes are handed over, not copied.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -4096');
const statements = new Map();
function lay(rows, layout) {
  const { between, after, point } = layout;
  const latitudeFirst = point.first === 'latitude';
  const num = (n) => (typeof n === 'number' && Number.isFinite(n) ? String(n) : point.missing);
  const points = new Array(rows.length);
  const audited = [];
  let top = -1;
  let size = Buffer.byteLength(after) + Buffer.byteLength(between) * Math.max(0, rows.length - 1);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (r[0] > top) top = r[0];
    if (r[1] !== null) audited.push(r[1]);
    const p = latitudeFirst ? num(r[3]) + point.sep + num(r[4]) : num(r[4]) + point.sep + num(r[3]);
    points[k] = p;
    size += Buffer.byteLength(r[2]) + Buffer.byteLength(p) + Buffer.byteLength(r[5]);
  }
  const chunk = Buffer.from(new ArrayBuffer(size));
  let at = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (k) at += chunk.write(between, at);
    at += chunk.write(r[2], at);
    at += chunk.write(points[k], at);
    at += chunk.write(r[5], at);
  }
  chunk.write(after, at);
  return { count: rows.length, top, audited, chunk };
}
parentPort.on('message', ({ id, sql, parameters, layout }) => {
  try {
    let st = statements.get(sql);
    if (!st) {
      if (statements.size >= 20) statements.clear();
      st = db.prepare(sql).raw(true);
      statements.set(sql, st);
    }
    if (!layout) return parentPort.postMessage({ id, rows: st.all(parameters) });
    const page = lay(st.all(parameters), layout);
    parentPort.postMessage({ id, page }, [page.chunk.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

type Pending = { resolve: (answer: unknown) => void; reject: (e: Error) => void };

/** A reader's answer: rows, a page of lines (its bytes a plain Uint8Array once they have crossed), or an error. */
type Answer = { id: number; rows?: unknown[][]; page?: Omit<LinePage, 'chunk'> & { chunk: Uint8Array }; error?: { message: string; code?: string } };

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
    w.on('message', (m: Answer) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) for (const x of workers ?? []) x.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else if (m.page) p.resolve({ ...m.page, chunk: Buffer.from(m.page.chunk.buffer, m.page.chunk.byteOffset, m.page.chunk.byteLength) });
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
  function ask<T>(message: { sql: string; parameters: readonly unknown[]; layout?: LineLayout }): Promise<T> {
    workers ??= start();
    const w = workers[turn++ % workers.length] as Worker;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (answer: unknown) => void, reject });
      // Held by the process while a read is under way (its answer is awaited), let go when none is.
      w.ref();
      w.postMessage({ id, ...message });
    });
  }
  return {
    selectArrays: (sql, parameters) => ask<unknown[][]>({ sql, parameters }),
    selectLines: (sql, parameters, layout) => ask<LinePage>({ sql, parameters, layout }),
    close: () => stop(new Error('the database is closed')),
  };
}
