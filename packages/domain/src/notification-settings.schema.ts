import { z } from 'zod';

/**
 * What a user chooses to be told about, by topic: each notification kind belongs to one topic. `sitrep` is for the
 * situation reports' own notification kinds (any kind starting with `sitrep`), so new kinds join it without a change here.
 */
export const NOTIFICATION_TOPICS = ['assigned', 'report_decision', 'alert', 'value_returned', 'action_due', 'sitrep'] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

/** The topic of a notification kind (undefined for a kind no topic covers: always shown in-app, never mailed). */
export function topicOfKind(kind: string): NotificationTopic | undefined {
  switch (kind) {
    case 'action_assigned': return 'assigned';
    case 'incident_rejected': case 'incident_returned': return 'report_decision';
    case 'alert_issued': return 'alert';
    case 'value_returned': return 'value_returned';
    case 'action_due': case 'action_overdue': return 'action_due';
    default: return kind.startsWith('sitrep') ? 'sitrep' : undefined;
  }
}

const channelsSchema = z.strictObject({ in_app: z.boolean(), email: z.boolean() });
export type TopicChannels = z.infer<typeof channelsSchema>;

/** Without a choice of their own: every topic in the inbox, none by e-mail. */
export const DEFAULT_TOPIC_CHANNELS: TopicChannels = { in_app: true, email: false };

export const notificationSettingsSchema = z.object({
  email: z.string().nullable().describe('Where e-mails go (null: none)'),
  topics: z.record(z.enum(NOTIFICATION_TOPICS), channelsSchema),
  email_available: z.boolean().describe('The server sends e-mail (SMTP configured)'),
  email_max_level: z.number().int().min(0).max(3).describe('E-mails never carry content classified above this level: a link instead'),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** PUT /api/v1/notifications/settings: the whole choice (an absent topic keeps the default). */
export const notificationSettingsUpdateSchema = z.strictObject({
  email: z.email({ message: 'adresse électronique invalide' }).max(254).nullable(),
  topics: z.partialRecord(z.enum(NOTIFICATION_TOPICS), channelsSchema),
});
export type NotificationSettingsUpdate = z.infer<typeof notificationSettingsUpdateSchema>;
