import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

const LEVELS = ['public', 'restricted', 'confidential', 'secret'];

function parseCopy(text: string): { classification?: unknown; sharing_scope?: unknown } | null {
  try {
    return JSON.parse(text) as { classification?: unknown; sharing_scope?: unknown } | null;
  } catch {
    return null;
  }
}

/**
 * Federation, fourth step (docs/federation.md). Held objects carry their classification level and sharing scope as
 * columns, so that who sees a held alert, meeting, decision or action is decided in SQL like a local record (they
 * were only in the JSON copy); the columns of rows held before are filled from that copy. A dead letter carries a
 * stable error code, classified where it failed (letters parked before: `unclassified`).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.alterTable('federation_objects').addColumn('classification_level', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('federation_objects').addColumn('sharing_scope', 'text').execute();
  const rows = await sql<{ entity_type: string; entity_id: string; record: string }>`select entity_type, entity_id, record from federation_objects where record is not null`.execute(db);
  for (const r of rows.rows) {
    const parsed = parseCopy(r.record);
    const raw = typeof parsed?.classification === 'string' ? LEVELS.indexOf(parsed.classification) : 0;
    // An unknown classification is held as the highest level: nobody is shown more than before.
    const level = raw < 0 ? 3 : raw;
    const scope = typeof parsed?.sharing_scope === 'string' ? parsed.sharing_scope : null;
    await sql`update federation_objects set classification_level = ${level}, sharing_scope = ${scope} where entity_type = ${r.entity_type} and entity_id = ${r.entity_id}`.execute(db);
  }
  await db.schema.createIndex('federation_objects_type_level').on('federation_objects').columns(['entity_type', 'classification_level']).execute();
  await db.schema.alterTable('federation_dead_letters').addColumn('code', 'text', (c) => c.notNull().defaultTo('unclassified')).execute();
}
