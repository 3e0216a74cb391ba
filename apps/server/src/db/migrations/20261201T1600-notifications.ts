import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * The in-app notification inbox: one row per recipient, written in the same transaction as the change that causes it
 * (a report rejected, an alert issued for the recipient's state, an indicator value returned, an action given to the
 * recipient's state) or, for due and overdue actions, when the recipient next looks. `dedupe_key` makes every write
 * idempotent (a retried change or a second look writes nothing new). Only the object's reference and, where the
 * change carries one, its reason are stored: what the recipient reads is filtered by who-sees-what when it is read.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('classification_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addCheckConstraint('notifications_kind', sql`kind in ('incident_rejected', 'incident_returned', 'alert_issued', 'value_returned', 'action_assigned', 'action_due', 'action_overdue')`)
    .addCheckConstraint('notifications_level', sql`classification_level between 0 and 3`)
    .execute();
  await db.schema.createIndex('notifications_inbox').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
}
