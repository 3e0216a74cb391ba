import { sql } from 'kysely';
import type { Db } from '../db/engine.js';

/** Resolves when the database answers a trivial query (the health check's reachability probe). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Whether a PostgreSQL database holds Vigie's schema (its migrations table); rejects when the database does not answer. */
export async function postgresHasVigieSchema(db: Db): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass('vigie_migrations')::text as t`.execute(db);
  return !!(r.rows[0]?.t ?? null);
}
