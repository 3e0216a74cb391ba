import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { deferInsertTrigger } from '../rollups.js';

/** The four rollups whose SQLite insert triggers learn to skip (db/rollups.ts, db/rollups-place.ts). */
const ROLLUPS = ['incident_rollup', 'incident_rollup_month', 'incident_rollup_area', 'incident_rollup_cell'];

/**
 * SQLite: the rollups' insert triggers skip while `rollup_deferral` holds a row, so that a bulk import adds its whole
 * batch to each rollup in one grouped upsert (db/rollups.ts withRollupsPerBatch) instead of eight upserts per record.
 * The row lives only inside the import's transaction: inserted before its rows, deleted before the batch's
 * contributions are added, and SQLite's one writer means no other transaction ever sees it. Each trigger keeps its
 * body as written; only the condition is added.
 * PostgreSQL: nothing; its rollup triggers are per statement already.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'sqlite') return;
  await sql`create table rollup_deferral (deferred integer primary key check (deferred = 1))`.execute(db);
  for (const rollup of ROLLUPS) await deferInsertTrigger(db, rollup);
}
