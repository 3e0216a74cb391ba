import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/** The four rollups whose SQLite insert triggers learn to skip (db/rollups.ts, db/rollups-place.ts). */
const ROLLUPS = ['incident_rollup', 'incident_rollup_month', 'incident_rollup_area', 'incident_rollup_cell'];
const HEAD = /after insert on incidents begin/i;

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
  for (const rollup of ROLLUPS) {
    const name = `${rollup}_insert`;
    const row = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = ${name}`.execute(db);
    const text = row.rows[0]?.sql;
    if (!text || !HEAD.test(text)) throw new Error(`trigger ${name}: unexpected definition`);
    await sql.raw(`drop trigger ${name}`).execute(db);
    await sql.raw(text.replace(HEAD, 'after insert on incidents when not exists (select 1 from rollup_deferral) begin')).execute(db);
  }
}
