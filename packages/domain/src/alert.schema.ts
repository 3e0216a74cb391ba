import { z } from 'zod';
import { CLASSIFICATIONS, SHARING_SCOPES } from './classification.js';

/** Where an alert comes from: one of the statistical rules, or a flash report raised by hand. */
export const ALERT_RULES = ['count_spike', 'fatality_spike', 'new_hotspot', 'cross_border', 'civilian_harm', 'flash'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** issued → acknowledged (by every concerned state) → responded → closed. */
export const ALERT_STATUSES = ['issued', 'acknowledged', 'responded', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The rules' names, one term per measure (« civils tués », never « victimes civiles »). */
export const ALERT_RULE_LABELS: Record<AlertRule, { fr: string; en: string }> = {
  count_spike: { fr: 'Pic d’incidents', en: 'Spike in incidents' },
  fatality_spike: { fr: 'Pic de tués', en: 'Spike in fatalities' },
  new_hotspot: { fr: 'Nouveau foyer', en: 'New hotspot' },
  cross_border: { fr: 'Propagation transfrontalière', en: 'Cross-border spread' },
  civilian_harm: { fr: 'Pic de civils tués', en: 'Spike in civilians killed' },
  flash: { fr: 'Alerte flash', en: 'Flash alert' },
};

/** The numbers behind a rule alert. */
export const alertStatisticsSchema = z.object({
  metric: z.enum(['count', 'fatalities', 'civilian_fatalities']).optional(),
  observed: z.number(),
  expected: z.number().describe('Expected value from the area’s own baseline (EWMA mean)'),
  quantile: z.number().nullable().describe('The configured quantile of the baseline distribution, as a value'),
  quantile_level: z.number().nullable(),
  p_value: z.number().nullable().describe('P(X ≥ observed) under the baseline distribution'),
  distribution: z.string().nullable().describe('poisson, or negative_binomial with its dispersion'),
  dispersion: z.number().nullable(),
  baseline: z.object({
    from: z.string(),
    to: z.string(),
    periods: z.number().int(),
    values: z.array(z.number()).describe('Oldest first'),
  }).nullable(),
  areas: z.array(z.object({ code: z.string(), observed: z.number(), expected: z.number(), p_value: z.number().nullable() })).optional(),
  fatalities: z.number().optional().describe('New hotspot: fatalities of the week'),
  quiet_months: z.number().optional().describe('New hotspot: months without any incident before'),
  within_days: z.number().optional().describe('Cross-border spread: days within which both sides rose'),
});
export type AlertStatistics = z.infer<typeof alertStatisticsSchema>;

export const alertAcknowledgementSchema = z.object({
  state: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  note: z.string().nullable(),
});

export const alertResponseSchema = z.object({
  id: z.string(),
  state: z.string().nullable(),
  responded_at: z.string(),
  responded_by: z.string().nullable(),
  text: z.string(),
  link: z.string().nullable(),
});

export const alertSchema = z.object({
  id: z.string(),
  rule: z.enum(ALERT_RULES),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  title: z.string().describe("In the request's language (Accept-Language, French by default); a flash alert's as written"),
  summary: z.string().describe("Plain words in the request's language: what was counted, against what is usual, how rare"),
  texts: z.object({ fr: z.object({ title: z.string(), summary: z.string() }), en: z.object({ title: z.string(), summary: z.string() }) }).optional()
    .describe('Title and summary in each language, written from the facts (rule, areas, week, statistics)'),
  areas: z.array(z.string()).describe('Admin area codes'),
  states: z.array(alertAcknowledgementSchema).describe('Concerned states, each with its acknowledgement'),
  window_start: z.string(),
  window_end: z.string(),
  statistics: alertStatisticsSchema.nullable(),
  classification: z.enum(CLASSIFICATIONS).describe('Highest classification of its evidence (or as raised)'),
  sharing_scope: z.enum(SHARING_SCOPES),
  raised_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  closure_note: z.string().nullable(),
  evidence_count: z.number().int().describe('Evidence incidents the reader may see'),
  responses: z.array(alertResponseSchema),
  figures_for: z.object({ view: z.string(), ceiling: z.enum(CLASSIFICATIONS) }).nullable().optional()
    .describe("Whose figures the reader sees: a state's view (its records and all shared), '*' (shared records only) or 'all', up to a clearance; null for a flash alert"),
  origin_node: z.string().optional().describe('Set on a national node for an alert held from the confederation: its owner node, where it is edited'),
  read_only: z.boolean().optional().describe('True for a held alert: nothing changes it here (acknowledge and answer it through /api/v1/federation/alerts/:id/…)'),
});
export type Alert = z.infer<typeof alertSchema>;

/**
 * The live stream's `alert.withdrawn` message: an alert the reader could see is gone from what they may see (a copy
 * held from the confederation withdrawn, re-classified above the link or the reader, scope narrowed). Only the id and
 * its owner: nothing of its content.
 */
export const alertWithdrawnSchema = z.object({
  id: z.string(),
  origin_node: z.string().nullable().describe("The node that owns the alert; null for one of this node's own, re-classified above the reader"),
});
export type AlertWithdrawn = z.infer<typeof alertWithdrawnSchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(100));

export const alertListQuerySchema = z.strictObject({
  status: csv(z.enum(ALERT_STATUSES)).optional(),
  rule: csv(z.enum(ALERT_RULES)).optional(),
  severity: csv(z.enum(ALERT_SEVERITIES)).optional(),
  states: csv(z.string().regex(/^[A-Z]{3,4}$/)).optional(),
  area: z.string().max(64).optional(),
  from: z.iso.date().optional().describe('Window ends on or after'),
  to: z.iso.date().optional().describe('Window starts on or before'),
  open: z.enum(['true', 'false']).optional().describe('true: not closed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AlertListQuery = z.output<typeof alertListQuerySchema>;

/** An alert re-classified (`PATCH /api/v1/alerts/:id`): up to the editor's own clearance, never below its evidence. */
export const alertPatchSchema = z.strictObject({
  classification: z.enum(CLASSIFICATIONS),
});

export const flashAlertSchema = z.strictObject({
  title: z.string().trim().min(3).max(200),
  summary: z.string().trim().max(5000).default(''),
  severity: z.enum(ALERT_SEVERITIES).default('high'),
  areas: z.array(z.string().trim().min(1).max(64)).min(1).max(20).describe('Admin area codes (level 1 or 2)'),
  window_start: z.iso.datetime({ offset: true }).optional(),
  window_end: z.iso.datetime({ offset: true }).optional(),
  incident_ids: z.array(z.uuid()).max(200).default([]).describe('Evidence: incidents the raiser can see'),
  classification: z.enum(CLASSIFICATIONS).default('restricted'),
  sharing_scope: z.enum(['national', 'confederation']).default('confederation'),
});
export type FlashAlertInput = z.input<typeof flashAlertSchema>;

export const acknowledgeAlertSchema = z.strictObject({
  note: z.string().trim().max(2000).optional(),
  state: z.string().regex(/^[A-Z]{3,4}$/).optional().describe('Only for the local operator; users acknowledge for their own state'),
});
export const respondAlertSchema = z.strictObject({
  text: z.string().trim().min(3).max(5000),
  link: z.url().max(500).optional().describe('A coordination action, a report…'),
});
export const closeAlertSchema = z.strictObject({
  note: z.string().trim().max(2000).optional(),
});

export const alertPageSchema = z.object({ items: z.array(alertSchema), total: z.number().int() });
