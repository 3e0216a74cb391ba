/**
 * A database that refuses a table's updates, as a full disk or a lost connection would, for tests of what a job does
 * when a write fails: a trigger that raises `message` before any update of `table`. Returns the function removing it.
 */
import { sql } from 'kysely';
import type { Engine } from '../db/engine.js';

export async function refuseUpdates(engine: Engine, table: string, message: string): Promise<() => Promise<void>> {
  const db = engine.db;
  const quoted = message.replace(/'/g, "''");
  if (engine.kind === 'sqlite') {
    await sql.raw(`create trigger vigie_test_refuse_${table} before update on ${table} begin select raise(abort, '${quoted}'); end`).execute(db);
    return async () => { await sql.raw(`drop trigger vigie_test_refuse_${table}`).execute(db); };
  }
  await sql.raw(`create function vigie_test_refuse_${table}() returns trigger language plpgsql as $$ begin raise exception '${quoted}'; end $$`).execute(db);
  await sql.raw(`create trigger vigie_test_refuse_${table} before update on ${table} for each row execute function vigie_test_refuse_${table}()`).execute(db);
  return async () => {
    await sql.raw(`drop trigger vigie_test_refuse_${table} on ${table}`).execute(db);
    await sql.raw(`drop function vigie_test_refuse_${table}()`).execute(db);
  };
}
