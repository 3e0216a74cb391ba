import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Indexes for reviewing the audit trail by user and by action, newest first (`GET /api/v1/audit?user=…&action=…`):
 * each ends with seq so a page is read in key order from the index. Filtering by record uses `audit_object`.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createIndex('audit_login').on('audit_events').columns(['login', 'seq']).execute();
  await db.schema.createIndex('audit_user').on('audit_events').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('audit_action').on('audit_events').columns(['action', 'seq']).execute();
}
