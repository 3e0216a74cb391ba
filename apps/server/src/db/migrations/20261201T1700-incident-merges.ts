import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Merges that can be undone: which record went into which, with the analyst's choices, the kept record's versions
 * before and after (an undo restores the version before, if nobody changed it since) and the merged record's status
 * before. A version of a record may name the other record of its merge or undo (`related_id`), so history links them.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('incident_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merged_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('into_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('choices', 'text', (c) => c.notNull())
    .addColumn('merged_status', 'text', (c) => c.notNull())
    .addColumn('into_version_before', 'integer', (c) => c.notNull())
    .addColumn('into_version_after', 'integer', (c) => c.notNull())
    .addColumn('merged_by', 'text', (c) => c.references('users.id'))
    .addColumn('merged_at', 'text', (c) => c.notNull())
    .addColumn('undone_by', 'text', (c) => c.references('users.id'))
    .addColumn('undone_at', 'text')
    .execute();
  await db.schema.createIndex('incident_merges_merged').on('incident_merges').columns(['merged_id', 'merged_at']).execute();
  await db.schema.alterTable('incident_versions').addColumn('related_id', 'text').execute();
}
