import { z } from 'zod';

/** What a notification is about: each names the change that wrote it. */
export const NOTIFICATION_KINDS = [
  'incident_rejected', 'incident_returned', 'alert_issued', 'value_returned', 'action_assigned', 'action_due', 'action_overdue',
  'sitrep_published',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  object_type: z.enum(['incident', 'alert', 'indicator_value', 'action', 'sitrep']),
  object_id: z.string(),
  subject: z.string().nullable().describe('What the object is called for the reader: an alert or action title, an indicator code; null for a report'),
  date: z.string().nullable().describe('A report: when it happened; an action: its due date'),
  area: z.string().nullable().describe('A report: its admin-1 code'),
  reason: z.string().nullable().describe('The reason given with a rejection or a return'),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional().describe('true: unread only'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
});

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  unread: z.number().int().describe('Unread notifications the reader may see'),
  next_cursor: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof notificationPageSchema>;

export const notificationReadSchema = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional().describe('Mark these read'),
  all: z.literal(true).optional().describe('Mark every notification read'),
}).refine((b) => (b.ids ? 1 : 0) + (b.all ? 1 : 0) === 1, { message: 'ids ou all (un seul des deux)', path: ['ids'] });

/** The decision maker's briefing: what needs them, in one answer computed for the reader's view. */
export const briefingSchema = z.object({
  generated_at: z.string(),
  alerts: z.array(z.object({
    id: z.string(), title: z.string(), severity: z.string(), status: z.string(), created_at: z.string(), states: z.array(z.string()),
    awaiting_acknowledgement: z.boolean().describe("The reader's state is concerned and has not acknowledged it"),
  })).nullable().describe('Open alerts concerning the reader (null: the reader may not read alerts)'),
  overdue_actions: z.array(z.object({
    id: z.string(), title: z.string(), due_date: z.string(), owner_state: z.string().nullable(), owner_body: z.string().nullable(),
    meeting_id: z.string().nullable(), decision_code: z.string().nullable(), progress: z.number().int(),
  })).nullable().describe('Open actions past their due date (null: the reader may not read coordination)'),
  latest_evaluation: z.object({
    id: z.string(), strategy_id: z.string(), strategy_code: z.string(), strategy_title_fr: z.string(), strategy_title_en: z.string(),
    period: z.string(), status: z.enum(['draft', 'final']), updated_at: z.string(),
  }).nullable().describe('The latest final evaluation report of a strategy the reader may read'),
  week: z.object({
    from: z.string(), to: z.string(), previous_from: z.string(), previous_to: z.string(),
    current: z.object({ incidents: z.number().int(), fatalities: z.number().int(), civilian_fatalities: z.number().int() }),
    previous: z.object({ incidents: z.number().int(), fatalities: z.number().int(), civilian_fatalities: z.number().int() }),
  }).nullable().describe('Validated incidents of the last 7 days against the 7 before (null: the reader may not read figures)'),
  latest_sitrep: z.object({
    id: z.string(), kind: z.enum(['week', 'month']), period: z.string(), from: z.string(), to: z.string(), audience: z.string(),
    ceiling: z.string(), as_of: z.string(), headline_fr: z.string(), headline_en: z.string(),
  }).nullable().optional().describe('The newest situation report the reader may open (null: none, or the reader may not read reports)'),
});
export type Briefing = z.infer<typeof briefingSchema>;
