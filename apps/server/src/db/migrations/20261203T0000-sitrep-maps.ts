import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Situation reports store their map's projected outlines once: the SVG paths of the boundaries (most of a report's
 * bytes, and the same for every report of an audience until the boundaries change) go to `situation_report_maps`,
 * keyed by the SHA-256 of their JSON, and a report names them by `map_hash`. A report stored before (map_hash null)
 * keeps its outlines inside its figures; both read back the same.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createTable('situation_report_maps')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('outlines', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('situation_reports').addColumn('map_hash', 'text').execute();
}
