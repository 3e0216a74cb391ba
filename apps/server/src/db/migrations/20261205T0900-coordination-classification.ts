import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

const TABLES = ['meetings', 'meeting_decisions', 'coordination_actions'] as const;

/**
 * Coordination objects get a classification level (0 public … 3 secret, as incidents and alerts), read in SQL against
 * the reader's clearance. Rows written before are `restricted` (1): the joint meetings' minutes, decisions and actions
 * are the confederation staff's working papers, never public, and their audit entries were already written at level 1
 * (coordination.service.ts), so nobody who could read them before loses them — a public-clearance reader never had
 * reason to. Copies held from the confederation that named no level (sent before this) are held as restricted too.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table)
      .addColumn('classification_level', 'integer', (c) => c.notNull().defaultTo(1).check(sql`classification_level between 0 and 3`))
      .execute();
  }
  await db.schema.createIndex('meetings_level').on('meetings').columns(['classification_level', 'date']).execute();
  await sql`update federation_objects set classification_level = 1
    where entity_type in ('meeting', 'decision', 'action') and classification_level = 0 and record is not null and record not like '%"classification":%'`.execute(db);
}
