import { z } from 'zod';
/**
 * The in-app inbox. Changes call the `notify…` functions inside their own write transaction, so a notification exists
 * exactly when its change committed; reads filter by who-sees-what at read time (a notification never outlives the
 * recipient's right to see its object, and carries no text beyond a reason the recipient's own record holds).
 */
import {
  notificationListQuerySchema, notificationReadSchema, OPEN_ACTION_STATUSES, roleCan, type Notification, type NotificationKind, type NotificationPage, parseInput,
} from '@vigie/domain';
import { newId, nowIso } from '../../lib/ids.js';
import { cursorId, cursorInstant, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { Problem } from '../../lib/problem.js';
import { countUnread, listNotificationRows, markRead, openActionsDueBy, type ReaderScope } from '../../repositories/notification.repository.js';
import { hiddenKinds } from './notification-settings.service.js';
import { writeNotification } from './notify.js';
import { readerAudience } from '../alerts/alert.service.js';
import { heldAlertTitles } from '../alerts/held-alerts.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';

type ObjectType = Notification['object_type'];

const DUE_SOON_DAYS = 7;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Due and overdue actions are not a change anyone makes: the reader's own reminders are written when they look (once
 * per action and due date, whatever the number of looks), for the open actions of their state due within a week.
 */
async function remindActions(ctx: Ctx, principal: Principal, now: Date): Promise<void> {
  if (principal.kind !== 'user' || !principal.userId || !roleCan(principal.role, 'action.update') || !roleCan(principal.role, 'coordination.read')) return;
  const today = day(now);
  const horizon = day(new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000));
  const due = await openActionsDueBy(ctx.engine.db, principal.organisation, horizon, OPEN_ACTION_STATUSES, principal.clearance);
  if (!due.length) return;
  const userId = principal.userId;
  await ctx.engine.writeTransaction(async (trx) => {
    for (const a of due) {
      const kind = a.due_date < today ? 'action_overdue' : 'action_due';
      await writeNotification(trx, [userId], { kind, objectType: 'action', objectId: a.id, classificationLevel: a.classification_level, occurrence: a.due_date });
    }
  });
}

/** What the reader may see of their inbox: asked again at every read (and for every e-mail, see notification-mailer.ts). */
export async function scopeOf(ctx: Ctx, principal: Principal): Promise<ReaderScope> {
  return {
    hiddenKinds: principal.userId ? await hiddenKinds(ctx.engine.db, principal.userId) : [],
    principal,
    audience: roleCan(principal.role, 'alert.read') ? await readerAudience(ctx, principal) : null,
    actions: roleCan(principal.role, 'coordination.read'),
    values: roleCan(principal.role, 'indicator_value.enter'),
    sitreps: roleCan(principal.role, 'sitrep.read'),
  };
}

const afterOf = ([at, id]: [string, string]) => ({ at, id });
const NOTIFICATION_CURSOR = z.tuple([cursorInstant, cursorId]);

/** The reader's inbox, newest first, with the number of unread notifications (any signed-in user, their own only). */
export async function listNotifications(ctx: Ctx, principal: Principal, input: z.input<typeof notificationListQuerySchema> | z.output<typeof notificationListQuerySchema>, now = new Date()): Promise<NotificationPage> {
  const q = parseInput(notificationListQuerySchema, input ?? {});
  if (principal.kind !== 'user' || !principal.userId) return { items: [], unread: 0, next_cursor: null };
  await remindActions(ctx, principal, now);
  const scope = await scopeOf(ctx, principal);
  const rows = await listNotificationRows(ctx.engine.db, scope, { unread: q.unread === 'true', limit: q.limit, after: q.cursor ? afterOf(decodeCursor(q.cursor, NOTIFICATION_CURSOR)) : undefined });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  // An alert held from the confederation is named by its title as its owner wrote it.
  const held = await heldAlertTitles(ctx.engine.db, principal, page.filter((r) => r.object_type === 'alert' && r.alert_title === null).map((r) => r.object_id));
  const items: Notification[] = page.map((r) => ({
    id: r.id, kind: r.kind as NotificationKind, object_type: r.object_type as ObjectType, object_id: r.object_id,
    subject: r.alert_title ?? (r.object_type === 'alert' ? held.get(r.object_id) : undefined) ?? r.action_title ?? (r.indicator_code ? `${r.indicator_code} — ${r.value_period ?? ''}` : null) ?? r.sitrep_period ?? null,
    date: r.object_type === 'incident' ? (r.occurred_start ?? null) : r.object_type === 'action' ? (r.due_date ?? null) : null,
    area: r.object_type === 'incident' ? (r.admin1_code ?? null) : null,
    reason: r.reason, created_at: r.created_at, read_at: r.read_at,
  }));
  return { items, unread: await countUnread(ctx.engine.db, scope), next_cursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

/** Marks the reader's own notifications read: some by id, or all. Another user's ids change nothing. */
export async function readNotifications(ctx: Ctx, principal: Principal, input: z.input<typeof notificationReadSchema> | z.output<typeof notificationReadSchema>): Promise<{ updated: number; unread: number }> {
  const body = parseInput(notificationReadSchema, input ?? {});
  if (principal.kind !== 'user' || !principal.userId) throw new Problem('forbidden', 'only a signed-in user has an inbox');
  const userId = principal.userId;
  const updated = await ctx.engine.writeTransaction((trx) => markRead(trx, userId, body.all ? 'all' : body.ids ?? [], nowIso()));
  return { updated, unread: await countUnread(ctx.engine.db, await scopeOf(ctx, principal)) };
}
