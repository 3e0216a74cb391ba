import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * PostgreSQL: the lock every statement writing `incidents` takes first (migration 20261203T0400) becomes the schema's
 * audit-chain and change-log lock, as that migration meant (Engine.lockChangeLog: `pg_advisory_xact_lock(7346101,
 * hashtext(current_schema()))`). It took the one-key `pg_advisory_xact_lock(7346101)` instead — another lock, and one
 * for the whole database: Vigie databases kept side by side in schemas of one PostgreSQL database (deployments, tests,
 * benchmarks) waited for each other's imports, and a writer held two locks where one was meant.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql.raw(`create or replace function incident_rollup_lock() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(7346101, hashtext(current_schema()));
      return null;
    end $$`).execute(db);
}
