import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { AREA_ROLLUP, CELL_ROLLUP, createPlaceRollup } from '../rollups-place.js';

/**
 * Rollups by admin-2 area and by 0.5° cell, per month and per dekad, for "top areas over a period" and "types in a
 * bounding box" (their definition, triggers and rebuild: db/rollups-place.ts).
 *
 * PostgreSQL: every statement that writes `incidents` (or an actor's kind) first takes the transaction-scoped lock of
 * the audit chain and change log (Engine.lockChangeLog), before its row locks and the rollups' upserts. Two
 * transactions that each wrote several records could otherwise lock shared rollup rows in opposite orders and
 * deadlock (db/rollups.concurrency.test.ts). Writers of incidents now queue on one lock from their first write to
 * commit; they already did from their change-log append (mutate() takes it at the end) to commit.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await createPlaceRollup(db, kind, AREA_ROLLUP);
  await createPlaceRollup(db, kind, CELL_ROLLUP);
  if (kind !== 'postgres') return; // SQLite: one writer at a time (BEGIN IMMEDIATE)
  await sql.raw(`create function incident_rollup_lock() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(7346101);
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger incident_0_rollup_lock before insert or update or delete on incidents for each statement execute function incident_rollup_lock()`).execute(db);
  await sql.raw(`create trigger incident_0_rollup_lock before update of kind on actors for each statement execute function incident_rollup_lock()`).execute(db);
}
