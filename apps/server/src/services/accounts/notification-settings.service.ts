import type { z } from 'zod';
/**
 * Per-user notification settings: for each topic, in the inbox and/or by e-mail, and the address e-mails go to.
 * A user reads and changes only their own (the 'self' mutation); the change is audited without the address itself.
 */
import {
  DEFAULT_TOPIC_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_TOPICS, notificationSettingsUpdateSchema, topicOfKind,
  type NotificationSettings, type NotificationTopic, type TopicChannels, parseInput,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { findSettings, saveSettings } from '../../repositories/notification-settings.repository.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import type { Principal } from '../principal.js';

type Topics = Record<NotificationTopic, TopicChannels>;

/** The stored JSON read back over the defaults (a topic never chosen, or added since, takes the default). */
export function parseTopics(json: string | null | undefined): Topics {
  let stored: Record<string, Partial<TopicChannels>> = {};
  try { stored = json ? (JSON.parse(json) as typeof stored) : {}; } catch { stored = {}; }
  return Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, {
    in_app: typeof stored[t]?.in_app === 'boolean' ? stored[t].in_app : DEFAULT_TOPIC_CHANNELS.in_app,
    email: typeof stored[t]?.email === 'boolean' ? stored[t].email : DEFAULT_TOPIC_CHANNELS.email,
  }])) as Topics;
}

function ownId(principal: Principal): string {
  if (principal.kind !== 'user' || !principal.userId) throw new Problem('forbidden', 'only a signed-in user has notification settings');
  return principal.userId;
}

function view(ctx: Ctx, row: { email: string | null; topics: string } | undefined): NotificationSettings {
  return {
    email: row?.email ?? null,
    topics: parseTopics(row?.topics),
    email_available: !!ctx.settings.mail?.smtpUrl,
    email_max_level: ctx.settings.mail?.maxLevel ?? 0,
  };
}

/** The caller's settings (defaults until they save some). */
export async function getNotificationSettings(ctx: Ctx, principal: Principal): Promise<NotificationSettings> {
  return view(ctx, await findSettings(ctx.engine.db, ownId(principal)));
}

/** Saves the caller's settings; a new address mails only what is notified from now on. */
export async function updateNotificationSettings(ctx: Ctx, principal: Principal, input: z.input<typeof notificationSettingsUpdateSchema> | z.output<typeof notificationSettingsUpdateSchema>): Promise<NotificationSettings> {
  const userId = ownId(principal);
  const body = parseInput(notificationSettingsUpdateSchema, input ?? {});
  return mutate(ctx, principal, { permission: 'self', async run(trx) {
    const before = await findSettings(trx, userId);
    const topics = { ...parseTopics(before?.topics), ...body.topics };
    const at = nowIso();
    const email = body.email?.trim() || null;
    const row = { user_id: userId, email, email_since: email && email === before?.email ? (before.email_since ?? at) : email ? at : null, topics: JSON.stringify(topics), updated_at: at };
    await saveSettings(trx, row);
    const digest = (t: Topics) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, `${v.in_app ? 'app' : '-'}/${v.email ? 'mail' : '-'}`]));
    return {
      result: view(ctx, row),
      audit: {
        action: 'user.notification_settings', objectType: 'user', objectId: userId,
        before: before ? { email: !!before.email, topics: digest(parseTopics(before.topics)) } : null,
        after: { email: !!email, topics: digest(topics) },
      },
    };
  } });
}

/** The kinds a user turned off in their inbox. */
export async function hiddenKinds(trx: Trx, userId: string): Promise<string[]> {
  const row = await findSettings(trx, userId);
  if (!row) return [];
  const topics = parseTopics(row.topics);
  return NOTIFICATION_KINDS.filter((k) => { const t = topicOfKind(k); return t !== undefined && !topics[t].in_app; });
}
