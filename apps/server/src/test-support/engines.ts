import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Engine, EngineKind } from '../db/engine.js';
import { openPostgresEngine } from '../db/postgres-engine.js';
import { openSqliteEngine } from '../db/sqlite-engine.js';

/** The PostgreSQL server the suite uses: VIGIE_TEST_DATABASE_URL, or the local one of the quick start. */
export const PG_URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  // Generous: on a busy machine (CI running many test files at once) a healthy server can take seconds to accept, and a
  // required PostgreSQL (VIGIE_TEST_DATABASE_URL) that misses the probe fails the whole file.
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUp = await postgresReachable();
if (!pgUp && process.env.VIGIE_TEST_DATABASE_URL) {
  throw new Error(`VIGIE_TEST_DATABASE_URL is set but PostgreSQL at ${PG_URL} does not answer`);
}
if (!pgUp) console.warn(`PostgreSQL at ${PG_URL} does not answer: database tests run on SQLite only (set VIGIE_TEST_DATABASE_URL to require it)`);

/** Every engine the database tests run on. */
export const ENGINES: EngineKind[] = pgUp ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  engine: Engine;
  /** A URL another process can use to open the same database (for CLI and crash tests). */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temporary SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(kind: EngineKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-test-'));
    const file = path.join(dir, 'vigie.sqlite');
    const engine = openSqliteEngine(file);
    return { engine, url: `sqlite:${file}`, drop: async () => { await engine.close().catch(() => undefined); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const engine = openPostgresEngine(PG_URL, { schema, max: 4 });
  const sep = PG_URL.includes('?') ? '&' : '?';
  const url = `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    engine,
    url,
    drop: async () => {
      await engine.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
