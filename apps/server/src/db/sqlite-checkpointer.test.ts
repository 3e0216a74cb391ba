import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqliteEngine } from './sqlite-engine.js';

/** The rows of `t` in the database file alone, as a copy of it without its WAL reads them (what a checkpoint moved). */
function rowsInFileAlone(file: string, dir: string): number {
  const copy = path.join(dir, `copy-${Math.random().toString(36).slice(2)}.sqlite`);
  fs.copyFileSync(file, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from sqlite_master where name = 't'").get() as { n: number }).n
      ? (db.prepare('select count(*) as n from t').get() as { n: number }).n
      : 0;
  } finally {
    db.close();
    fs.rmSync(copy, { force: true });
  }
}

describe('SQLite checkpoints on their own thread', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-checkpoint-'));
  const file = path.join(dir, 'db.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('moves committed writes into the database file soon after they commit, the writer never doing it itself, and closes its connection with the engine', async () => {
    const engine = openSqliteEngine(file);
    // Far below the writer's own automatic checkpoint (its backstop): only the thread can have moved them.
    expect(engine.raw.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThanOrEqual(10_000);
    await engine.writeTransaction(async (trx) => {
      await sql`create table t (id integer primary key, body text)`.execute(trx);
    });
    for (let b = 0; b < 5; b++) {
      await engine.writeTransaction(async (trx) => {
        for (let i = 0; i < 100; i++) await sql`insert into t (body) values (${`ligne ${b}-${i} ${'x'.repeat(200)}`})`.execute(trx);
      });
    }
    await vi.waitFor(() => expect(rowsInFileAlone(file, dir)).toBe(500), { timeout: 5_000, interval: 50 });
    // Nothing was lost on the way: the engine reads them all.
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(engine.db)).rows[0]?.n).toBe(500);
    await engine.close();
    // The last connection closed cleanly (the thread's too): SQLite removed the WAL.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
