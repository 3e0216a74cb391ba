import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints beside the event loop. Left to itself, SQLite's writer copies the WAL back into the database file on
 * the commit that takes the WAL past `wal_autocheckpoint` pages (1,000 by default): that commit then writes those pages
 * a second time and syncs the database file before it returns — about 40 % of an import batch's commit, and a latency
 * spike for whichever request's commit it falls on.
 *
 * Here a thread with a connection of its own does the copying: the writer nudges it after its write transactions, and
 * it runs a PASSIVE checkpoint (which never waits for, nor blocks, the writer or a reader) at most once every `every`
 * milliseconds while writes go on, never when none do. Durability does not change: a commit is durable once the WAL
 * is synced, which the writer still does on every commit (synchronous=FULL); a checkpoint only moves committed pages.
 * The writer's own automatic checkpoint stays, at BACKSTOP_PAGES, should this thread fall behind or stop.
 */
export interface SqliteCheckpointer {
  /** After a write transaction: a checkpoint will follow within `every` ms (one for all the nudges until then). */
  nudge(): void;
  /** Closes the thread's connection and ends the thread. */
  close(): Promise<void>;
}

/** The writer's own automatic checkpoint, a backstop: about 40 MiB of WAL (4 KiB pages). */
export const BACKSTOP_PAGES = 10_000;

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
let timer = null;
parentPort.on('message', (m) => {
  if (m === 'close') {
    if (timer) clearTimeout(timer);
    db.close();
    parentPort.close();
    return;
  }
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    let error = null;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      // Busy (another checkpoint under way) or a passing I/O error: the next nudge tries again, the backstop remains.
      error = String(e && e.code);
    }
    parentPort.postMessage({ done: true, error });
  }, workerData.every);
});
`;

/** A checkpointer for the database `file` (WAL mode), started on the first nudge; idle, it never keeps the process alive. */
export function sqliteCheckpointer(file: string, every = 250): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let exited: Promise<void> | null = null;
  let armed = false;
  let closed = false;
  const start = (): Worker => {
    const w = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file, every }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 } });
    exited = new Promise((resolve) => w.once('exit', () => {
      // Ended (closed, or stopped by an error): the next nudge starts another.
      if (worker === w) worker = null;
      armed = false;
      resolve();
    }));
    w.on('message', () => {
      armed = false;
      w.unref();
    });
    // A thread that fails leaves the writer's own checkpoints (the backstop) until then; its exit follows.
    w.on('error', () => undefined);
    w.unref();
    return w;
  };
  return {
    nudge() {
      if (armed || closed) return;
      armed = true;
      worker ??= start();
      // Held by the process until the checkpoint is done: the pages it copies are not left for the next start.
      worker.ref();
      worker.postMessage('go');
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      if (!w) return;
      w.postMessage('close');
      // The thread closes its connection and ends; one stuck in a long checkpoint is stopped after a while.
      const stop = setTimeout(() => void w.terminate(), 5_000);
      await exited;
      clearTimeout(stop);
    },
  };
}
