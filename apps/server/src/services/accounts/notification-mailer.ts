/**
 * The notification job: reminders of due and overdue actions for every owner state (not only when someone looks), and
 * the e-mail of notifications to those who asked for it (multipart: plain text and simple HTML). An e-mail is composed for its recipient at sending time,
 * through the same who-sees-what rule as their inbox; content classified above the mail ceiling never goes out — the
 * mail then only says what kind of notification waits, with a link.
 */
import { OPEN_ACTION_STATUSES, ROLES, roleCan, topicOfKind, type Role } from '@vigie/domain';
import nodemailer, { type Transporter } from 'nodemailer';
import { nowIso } from '../../lib/ids.js';
import { emailsToSend, openOwnedActionsDueBy, recordEmail } from '../../repositories/notification-settings.repository.js';
import { listNotificationRows, recipientsIn } from '../../repositories/notification.repository.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';
import { composeNotificationMail } from './notification-mail-text.js';
import { parseTopics } from './notification-settings.service.js';
import { scopeOf } from './notification.service.js';
import { heldAlertTitles } from '../alerts/held-alerts.js';
import { writeNotification } from './notify.js';

const DAY = 86_400_000;
const DUE_SOON_DAYS = 7;
/** Notifications older than this are not mailed any more (a server that was down does not flood inboxes). */
const MAIL_WINDOW_DAYS = 2;
const BATCH = 200;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Roles that are told of their state's actions: those who may read and update them. */
const ACTION_ROLES = ROLES.filter((r) => roleCan(r, 'action.update') && roleCan(r, 'coordination.read'));

/** Writes the due and overdue reminders of every open action with an owner state (idempotent: one per action, kind and due date). */
export async function remindDueActions(ctx: Ctx, now = new Date()): Promise<number> {
  const today = day(now);
  const due = await openOwnedActionsDueBy(ctx.engine.db, day(new Date(now.getTime() + DUE_SOON_DAYS * DAY)), OPEN_ACTION_STATUSES);
  if (!due.length) return 0;
  await ctx.engine.writeTransaction(async (trx) => {
    for (const a of due) {
      const users = await recipientsIn(trx, [a.owner_state as string], ACTION_ROLES, a.classification_level);
      const kind = a.due_date < today ? 'action_overdue' : 'action_due';
      await writeNotification(trx, users.map((u) => u.id), { kind, objectType: 'action', objectId: a.id, classificationLevel: a.classification_level, occurrence: a.due_date });
    }
  });
  return due.length;
}

const transports = new WeakMap<Ctx, Transporter>();
function transportOf(ctx: Ctx): Transporter | null {
  const url = ctx.settings.mail?.smtpUrl;
  if (!url) return null;
  let t = transports.get(ctx);
  if (!t) transports.set(ctx, (t = nodemailer.createTransport(url)));
  return t;
}

export interface MailRun { sent: number; withheld: number; skipped: number; failed: number }

/** Sends the e-mails waiting (none without SMTP settings). */
export async function sendNotificationEmails(ctx: Ctx, now = new Date()): Promise<MailRun> {
  const run: MailRun = { sent: 0, withheld: 0, skipped: 0, failed: 0 };
  const mail = ctx.settings.mail;
  const transport = transportOf(ctx);
  if (!mail || !transport) return run;
  const rows = await emailsToSend(ctx.engine.db, new Date(now.getTime() - MAIL_WINDOW_DAYS * DAY).toISOString(), BATCH);
  for (const r of rows) {
    const record = (status: 'sent' | 'failed' | 'skipped', detail: 'full' | 'link', error: string | null = null) => ctx.engine.writeTransaction((trx) => recordEmail(trx, {
      notification_id: r.id, user_id: r.user_id, status, detail, attempts: (r.attempts ?? 0) + (status === 'skipped' ? 0 : 1), last_error: error, updated_at: nowIso(),
    }));
    const topic = topicOfKind(r.kind);
    if (!topic || !parseTopics(r.topics)[topic].email || !r.email) { run.skipped++; await record('skipped', 'link'); continue; }
    // The recipient's view, as at a read of their inbox (but whatever they hide there).
    const principal: Principal = { kind: 'user', userId: r.user_id, login: r.login, organisation: r.organisation, role: r.role as Role, clearance: r.clearance };
    const scope = { ...(await scopeOf(ctx, principal)), hiddenKinds: [] };
    const [n] = await listNotificationRows(ctx.engine.db, scope, { unread: false, limit: 1, only: r.id });
    if (!n) { run.skipped++; await record('skipped', 'link'); continue; }
    const level = Math.max(n.classification_level, n.incident_level ?? 0, n.alert_level ?? 0);
    // An alert held from the confederation is named by its title as its owner wrote it.
    const heldTitle = n.object_type === 'alert' && n.alert_title === null ? (await heldAlertTitles(ctx.engine.db, principal, [n.object_id])).get(n.object_id) : undefined;
    const detail = level <= mail.maxLevel ? 'full' : 'link';
    const { subject, text, html } = composeNotificationMail({
      kind: n.kind, lang: r.locale === 'en' ? 'en' : 'fr', link: `${mail.publicUrl}/notifications`, detail,
      subject: n.alert_title ?? heldTitle ?? n.action_title ?? (n.indicator_code ? `${n.indicator_code} — ${n.value_period ?? ''}` : null),
      reason: n.reason, date: n.object_type === 'action' ? (n.due_date ?? null) : null,
    });
    try {
      await transport.sendMail({ from: mail.from, to: r.email, subject, text, html });
      run.sent++;
      if (detail === 'link') run.withheld++;
      await record('sent', detail);
    } catch (e) {
      run.failed++;
      await record('failed', detail, e instanceof Error ? e.message.slice(0, 500) : String(e));
    }
  }
  return run;
}

/** One turn of the notification job: reminders first (so that they are mailed in the same turn), then e-mail. */
export async function runNotificationJob(ctx: Ctx, now = new Date()): Promise<MailRun & { reminded: number }> {
  const reminded = await remindDueActions(ctx, now);
  return { reminded, ...(await sendNotificationEmails(ctx, now)) };
}

/** The job started by `serve`: every minute, one turn at a time. Returns a stop function. */
export function startNotificationSchedule(ctx: Ctx, log: (message: string) => void, everyMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runNotificationJob(ctx);
      if (r.sent || r.failed) log(`notifications : ${r.sent} courriel(s) envoyé(s), ${r.failed} en échec`);
    } catch (e) {
      log(`notifications : échec du traitement (${e instanceof Error ? e.message : String(e)})`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
