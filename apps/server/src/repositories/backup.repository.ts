import { sql } from 'kysely';
import { toNumber, type Trx } from '../db/engine.js';
import type { TableSpec } from '../db/tables.js';

/** A table row as stored, column by column. */
export type Row = Record<string, unknown>;

/** Rows per page when a table is read whole (backup) inside one snapshot. */
const PAGE = 2000;

/** Pages through a table in key order inside the snapshot, leaving out derived columns. */
export async function* tableRows(trx: Trx, spec: TableSpec): AsyncGenerator<Row> {
  let offset = 0;
  const size = spec.page ?? PAGE;
  for (;;) {
    // Offsets are fine inside one snapshot; keys keep the order stable across engines.
    const page = (await sql<Row>`select * from ${sql.table(spec.name)} order by ${sql.join(spec.key.map((k) => sql.ref(k)))} limit ${size} offset ${offset}`.execute(trx)).rows;
    for (const r of page) {
      for (const c of spec.derived ?? []) delete r[c];
      for (const c of spec.binary ?? []) if (Buffer.isBuffer(r[c])) r[c] = (r[c] as Buffer).toString('base64');
      yield r;
    }
    if (page.length < size) return;
    offset += size;
  }
}

export async function countRows(trx: Trx, table: string): Promise<number> {
  return toNumber((await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}`.execute(trx)).rows[0]?.n);
}

/** The names of the migrations applied, in order. */
export async function appliedMigrations(trx: Trx): Promise<string[]> {
  return (await sql<{ name: string }>`select name from vigie_migrations order by name`.execute(trx)).rows.map((r) => r.name);
}

/** Empties the sessions and the data tables (children first), clearing deferred self-references before each delete. */
export async function clearTables(trx: Trx, tables: readonly TableSpec[]): Promise<void> {
  await sql`delete from sessions`.execute(trx);
  for (const t of [...tables].reverse()) {
    if (t.deferred) await sql`update ${sql.table(t.name)} set ${sql.join(t.deferred.map((c) => sql`${sql.ref(c)} = null`))}`.execute(trx);
    await sql`delete from ${sql.table(t.name)}`.execute(trx);
  }
}

export async function insertRows(trx: Trx, table: string, rows: Row[]): Promise<void> {
  if (rows.length) await trx.insertInto(table as 'users').values(rows as never).execute();
}

/** Sets a row's deferred columns (references to rows restored after it), by the table's first key column. */
export async function setDeferredColumns(trx: Trx, spec: TableSpec, row: Row): Promise<void> {
  const key = spec.key[0] as string;
  await sql`update ${sql.table(spec.name)} set ${sql.join((spec.deferred ?? []).map((c) => sql`${sql.ref(c)} = ${row[c] as string}`))} where ${sql.ref(key)} = ${row[key] as string}`.execute(trx);
}
