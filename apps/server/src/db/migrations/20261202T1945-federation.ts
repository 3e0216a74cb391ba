import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Federation (docs/federation.md): the registry of node signing keys, the replication cursors (last change-log seq
 * published, last origin seq received per peer, with the link's last error), and the foreign objects a node holds
 * read-only, each with its origin node, version and origin seq (the key of idempotent application).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('federation_keys')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['active', 'revoked'])))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addPrimaryKeyConstraint('federation_keys_pk', ['node_id', 'key_id'])
    .execute();
  await db.schema
    .createTable('federation_cursors')
    .addColumn('link', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .execute();
  await db.schema
    .createTable('federation_objects')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('origin_node', 'text', (c) => c.notNull())
    .addColumn('version', 'integer')
    .addColumn('origin_seq', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('record', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_objects_pk', ['entity_type', 'entity_id'])
    .execute();
  await db.schema.createIndex('federation_objects_origin').on('federation_objects').columns(['origin_node', 'origin_seq']).execute();
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
