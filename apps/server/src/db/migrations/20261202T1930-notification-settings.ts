import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Per-user notification settings and the e-mail outbox. `notification_settings.topics` holds the user's choice per
 * topic as JSON ({"alert": {"in_app": true, "email": true}, …}); `email_since` is when the address was last set, so
 * that turning e-mail on never mails older notifications. `notification_emails` records each notification's e-mail
 * once (sent, failed after retries, or skipped when the recipient may no longer see its object), which makes the
 * sending job idempotent across restarts.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('email_since', 'text')
    .addColumn('topics', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('notification_emails')
    .addColumn('notification_id', 'text', (c) => c.primaryKey().references('notifications.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('full'))
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('notification_emails_status', sql`status in ('sent', 'failed', 'skipped')`)
    .addCheckConstraint('notification_emails_detail', sql`detail in ('full', 'link')`)
    .execute();
}
