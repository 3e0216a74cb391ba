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

/** Whether a topic arrives in the inbox and by e-mail. */
export interface TopicChannels {
  in_app: boolean;
  email: boolean;
}

/** Without a choice of their own: every topic in the inbox, none by e-mail. */
export const DEFAULT_TOPIC_CHANNELS: TopicChannels = { in_app: true, email: false };
