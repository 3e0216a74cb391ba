import { sql, type ColumnDefinitionBuilder, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * The who-sees-what rule applies to each past version on its own values (a version that was secret stays secret after
 * the record is lowered), so a version carries the rule's columns as they were when it was written. Filled here from
 * the stored snapshots. The defaults are the closed ones (secret, a draft nobody owns): a row written without its
 * values is hidden, never shown.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const columns: [string, 'integer' | 'text', (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder][] = [
    ['classification_level', 'integer', (c) => c.notNull().defaultTo(3)],
    ['sharing_scope', 'text', (c) => c.notNull().defaultTo('national')],
    ['status', 'text', (c) => c.notNull().defaultTo('draft')],
    ['reporting_state', 'text', (c) => c.notNull().defaultTo('')],
    ['reporter_id', 'text', (c) => c],
    ['exact_location_level', 'integer', (c) => c],
  ];
  for (const [name, type, build] of columns) {
    await db.schema.alterTable('incident_versions').addColumn(name, type, build).execute();
  }
  await fillVersionVisibility(db, kind);
}

/** This migration's name: a backup written before it carries versions without the rule's columns. */
export const VERSION_VISIBILITY_MIGRATION = '20261201T1400-version-visibility';

/** Sets every version's rule columns from its snapshot (this migration, and a restore of a backup older than it). */
export async function fillVersionVisibility(db: QueryExecutorProvider, kind: EngineKind): Promise<void> {
  const field = (key: string) =>
    kind === 'postgres' ? `(snapshot::json ->> '${key}')` : `json_extract(snapshot, '$.${key}')`;
  const level = (key: string, otherwise: string) =>
    `case ${field(key)} when 'public' then 0 when 'restricted' then 1 when 'confidential' then 2 when 'secret' then 3 else ${otherwise} end`;
  await sql
    .raw(
      `update incident_versions set
        classification_level = ${level('classification', '3')},
        sharing_scope = coalesce(${field('sharing_scope')}, 'national'),
        status = coalesce(${field('status')}, 'draft'),
        reporting_state = coalesce(${field('reporting_state')}, ''),
        reporter_id = ${field('reporter')},
        exact_location_level = ${level('exact_location_classification', 'null')}`,
    )
    .execute(db);
}
