import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * `incidents.source_names`: the names of a record's sources joined by ' | ' (the exports' `sources` column), written
 * with `sources` by the one place that writes a record's content (incident-codec.ts, contentColumns).
 *
 * Before, each export read them out of the sources' JSON, a subquery per record: at 1,000,000 incidents that was two
 * fifths of PostgreSQL's time for a CSV window and a quarter for a GeoJSON one (docs/exports.md).
 *
 * The records already stored get theirs here, from their JSON (a missing name as '', as the exports wrote it); a
 * restored backup written before this migration too (services/audit/backup.service.ts). The rollups' triggers do not
 * look at the column: SQLite's fire on their own columns only; PostgreSQL's count the same records out and back in.
 */
export const SOURCE_NAMES_MIGRATION = '20261212T0900-incidents-source-names';

/** Sets every record's sources' names from its sources (this migration, and a restore of a backup older than it). */
export async function fillSourceNames(db: QueryExecutorProvider, kind: EngineKind): Promise<void> {
  const names = kind === 'postgres'
    ? sql`coalesce((select string_agg(coalesce(j.v ->> 'name', ''), ' | ' order by j.n) from json_array_elements(sources::json) with ordinality as j(v, n)), '')`
    : sql`coalesce((select group_concat(coalesce(json_extract(j.value, '$.name'), ''), ' | ' order by j.key) from json_each(sources) j), '')`;
  await sql`update incidents set source_names = ${names} where sources <> '[]'`.execute(db);
}

export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('source_names', 'text', (c) => c.notNull().defaultTo('')).execute();
  await fillSourceNames(db, kind);
}
