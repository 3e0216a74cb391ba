/**
 * Writing notifications, called by the changes that cause them inside their own write transaction (so a notification
 * exists exactly when its change committed). Reading them is notification.service.ts.
 */
import type { Notification, NotificationKind } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { newId, newIdPrefix, nowIso } from '../../lib/ids.js';
import { insertNotifications, insertNotificationsForRecipients, recipientsIn } from '../../repositories/notification.repository.js';

type ObjectType = Notification['object_type'];

export interface Note {
  kind: NotificationKind;
  objectType: ObjectType;
  objectId: string;
  reason?: string | null;
  classificationLevel: number;
  /** What makes two notifications the same one (besides recipient, kind and object): e.g. the version or due date. */
  occurrence: string;
}

export async function writeNotification(trx: Trx, userIds: readonly string[], n: Note): Promise<void> {
  const at = nowIso();
  await insertNotifications(trx, [...new Set(userIds)].map((user_id) => ({
    id: newId(), user_id, kind: n.kind, object_type: n.objectType, object_id: n.objectId, reason: n.reason ?? null,
    classification_level: n.classificationLevel, dedupe_key: `${user_id}:${n.kind}:${n.objectId}:${n.occurrence}`, created_at: at, read_at: null,
  })));
}

/**
 * Tells every enabled user of these organisations holding one of these roles and cleared for the object, in one
 * set-based statement; returns how many were told (those told already of this occurrence are not counted).
 */
export async function notifyRecipients(trx: Trx, organisations: readonly string[], roles: readonly string[], n: Note): Promise<number> {
  return insertNotificationsForRecipients(trx, organisations, roles, n.classificationLevel, {
    kind: n.kind, object_type: n.objectType, object_id: n.objectId, reason: n.reason ?? null, classification_level: n.classificationLevel,
    dedupe_suffix: `:${n.kind}:${n.objectId}:${n.occurrence}`, created_at: nowIso(), id_prefix: newIdPrefix(),
  });
}

/** A report was rejected (or returned for changes): its reporter is told, with the reason. */
export async function notifyReportDecision(
  trx: Trx, kind: 'incident_rejected' | 'incident_returned', row: { id: string; reporter_id: string | null; classification_level: number; version: number }, reason: string | null,
): Promise<void> {
  if (!row.reporter_id) return;
  await writeNotification(trx, [row.reporter_id], { kind, objectType: 'incident', objectId: row.id, reason, classificationLevel: row.classification_level, occurrence: String(row.version) });
}

const ALERT_READERS = ['reporter', 'analyst', 'focal_point', 'decision_maker'] as const;

/** An alert was issued: the users of each concerned state cleared for it are told (the read rule still applies). */
export async function notifyAlertIssued(trx: Trx, alert: { id: string; classification_level: number }, states: readonly string[]): Promise<void> {
  const users = await recipientsIn(trx, states, ALERT_READERS, alert.classification_level);
  await writeNotification(trx, users.map((u) => u.id), { kind: 'alert_issued', objectType: 'alert', objectId: alert.id, classificationLevel: alert.classification_level, occurrence: '1' });
}

/**
 * An alert held from the confederation arrived on this node: told as one issued here (same readers, same kind, same
 * occurrence, so that it is told once per alert), in one set-based statement; the copy's level decides who is cleared.
 */
export async function notifyHeldAlertArrived(trx: Trx, alert: { id: string; classification_level: number }, states: readonly string[]): Promise<void> {
  await notifyRecipients(trx, states, ALERT_READERS, { kind: 'alert_issued', objectType: 'alert', objectId: alert.id, classificationLevel: alert.classification_level, occurrence: '1' });
}

/** An indicator value was returned by the focal point: whoever entered it is told, with the reason. */
export async function notifyValueReturned(
  trx: Trx, value: { id: string; entered_by: string | null; version: number }, classificationLevel: number, reason: string | null,
): Promise<void> {
  if (!value.entered_by) return;
  await writeNotification(trx, [value.entered_by], { kind: 'value_returned', objectType: 'indicator_value', objectId: value.id, reason, classificationLevel, occurrence: String(value.version) });
}

const ACTION_OWNERS = ['analyst', 'focal_point'] as const;

/** An action of a joint decision was given to a state: its analysts and focal points are told. */
export async function notifyActionAssigned(trx: Trx, action: { id: string; owner_state: string | null; classification_level: number }): Promise<void> {
  if (!action.owner_state) return;
  // Only the owners cleared for the action are told of it.
  const users = await recipientsIn(trx, [action.owner_state], ACTION_OWNERS, action.classification_level);
  await writeNotification(trx, users.map((u) => u.id), { kind: 'action_assigned', objectType: 'action', objectId: action.id, classificationLevel: action.classification_level, occurrence: action.owner_state });
}

