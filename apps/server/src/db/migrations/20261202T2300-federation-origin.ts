import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Federation, second step (docs/federation.md): a record received from another node is held in the shared tables with
 * its origin node (`incidents.origin_node`, null for this node's own records), so lists, map and aggregates show it
 * under the same who-sees-what rule as the local ones; foreign objects are looked up by id alone (the read-only guard).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('origin_node', 'text').execute();
  await db.schema.createIndex('federation_objects_id').on('federation_objects').columns(['entity_id']).execute();
}
