import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * PostgreSQL: the lock that writers of `incidents` take before their row locks and the rollups' upserts
 * (20261203T0400-aggregate-place-rollups) becomes the one Engine.lockChangeLog and Engine.lockAuditChain take — the
 * schema's own audit-chain and change-log lock (7346101, hashtext(current_schema())) — as that migration meant. It
 * was the database-wide key 7346101 alone: a second lock that writers took before the chain's, and one shared by every
 * Vigie schema of the database (deployments, tests and benchmarks side by side waited for each other's writes).
 * SQLite: nothing (one writer at a time).
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql.raw(`create or replace function incident_rollup_lock() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(7346101, hashtext(current_schema()));
      return null;
    end $$`).execute(db);
}
