import { z } from 'zod';
import { NOTIFICATION_TOPICS } from './notification-topics.js';

// The topics live in a module without zod, for the web's first view (the account page).
export * from './notification-topics.js';

const channelsSchema = z.strictObject({ in_app: z.boolean(), email: z.boolean() });

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
