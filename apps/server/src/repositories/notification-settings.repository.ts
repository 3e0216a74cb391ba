import type { Trx } from '../db/engine.js';
import type { NotificationEmailsTable, NotificationSettingsTable } from '../db/schema.js';

/** A user's notification settings row, if they ever saved one. */
export function findSettings(trx: Trx, userId: string) {
  return trx.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Writes a user's settings (one row per user). */
export async function saveSettings(trx: Trx, row: NotificationSettingsTable): Promise<void> {
  await trx.insertInto('notification_settings').values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email: row.email, email_since: row.email_since, topics: row.topics, updated_at: row.updated_at }))
    .execute();
}

const MAX_ATTEMPTS = 3;

/**
 * Notifications whose e-mail is still to send: the recipient has an address since before the notification was
 * written, and none was sent yet (or it failed fewer than three times). The topic choice is applied by the caller.
 */
export function emailsToSend(trx: Trx, since: string, limit: number) {
  return trx.selectFrom('notifications')
    .innerJoin('notification_settings as s', 's.user_id', 'notifications.user_id')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .leftJoin('notification_emails as e', 'e.notification_id', 'notifications.id')
    .select([
      'notifications.id', 'notifications.kind', 'notifications.created_at', 's.email', 's.topics', 'e.attempts',
      'users.id as user_id', 'users.login', 'users.organisation', 'users.role', 'users.clearance', 'users.locale',
    ])
    .where('s.email', 'is not', null)
    .whereRef('notifications.created_at', '>=', 's.email_since')
    .where('notifications.created_at', '>=', since)
    .where('users.disabled', '=', 0)
    .where((eb) => eb.or([eb('e.notification_id', 'is', null), eb.and([eb('e.status', '=', 'failed'), eb('e.attempts', '<', MAX_ATTEMPTS)])]))
    .orderBy('notifications.created_at').orderBy('notifications.id')
    .limit(limit)
    .execute();
}

/** Records what became of a notification's e-mail. */
export async function recordEmail(trx: Trx, row: NotificationEmailsTable): Promise<void> {
  await trx.insertInto('notification_emails').values(row)
    .onConflict((oc) => oc.column('notification_id').doUpdateSet({ status: row.status, attempts: row.attempts, detail: row.detail, last_error: row.last_error, updated_at: row.updated_at }))
    .execute();
}

/** Open actions due on or before a day, with an owner state (the reminders' subjects, for every owner state). */
export function openOwnedActionsDueBy(trx: Trx, day: string, openStatuses: readonly string[]) {
  return trx.selectFrom('coordination_actions').select(['id', 'due_date', 'owner_state', 'classification_level'])
    .where('owner_state', 'is not', null).where('status', 'in', [...openStatuses]).where('due_date', '<=', day).execute();
}
