import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Federation, third step (docs/federation.md): a received message that cannot be applied (a bad payload, a constraint
 * failure) is parked as a dead letter after bounded retries, instead of stalling the messages after it, until an
 * administrator retries or discards it; and what a node has sent of its own objects over its link (`federation_sent`),
 * so that one no longer allowed over the link (re-classified above its ceiling, deleted) is withdrawn from the receivers.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('federation_dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('origin_node', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('parked_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema.createIndex('federation_dead_letters_status').on('federation_dead_letters').columns(['status', 'parked_at']).execute();
  await db.schema
    .createTable('federation_sent')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_sent_pk', ['entity_type', 'entity_id'])
    .execute();
}
