import { z } from 'zod';
import { CLASSIFICATIONS } from './classification.js';

/** Coordination follow-up: meetings of the ministers and staff, their decisions, and the actions that carry them out. */
const text = (max: number) => z.string().trim().max(max);
const orgCode = z.string().regex(/^[A-Z]{3,4}$/, 'code d’organisation attendu (ex. MLI, CONF)');
/** Bodies take part and own actions: the unified force, the joint staff, a committee… (organisations, never persons). */
const body = z.string().trim().min(2).max(200);
const day = z.iso.date({ error: 'validation.date_format' });
/** Who may read it: 0 public … 3 secret, at most the author's clearance; a decision never below its meeting, an action never below its decision. */
const classification = z.enum(CLASSIFICATIONS);

export const meetingCreateSchema = z.strictObject({
  title: z.string().trim().min(3).max(300),
  date: day,
  place: z.string().trim().min(1).max(200),
  states: z.array(orgCode).max(20).default([]).describe('Participating member states'),
  bodies: z.array(body).max(30).default([]).describe('Participating bodies (organisations, never persons)'),
  agenda: text(20_000).default(''),
  minutes: text(100_000).default(''),
  classification: classification.default('restricted'),
});
export const meetingPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  title: z.string().trim().min(3).max(300).optional(),
  date: day.optional(),
  place: z.string().trim().min(1).max(200).optional(),
  states: z.array(orgCode).max(20).optional(),
  bodies: z.array(body).max(30).optional(),
  agenda: text(20_000).optional(),
  minutes: text(100_000).optional(),
});

export const decisionCreateSchema = z.strictObject({
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/).optional(),
  text: z.string().trim().min(3).max(5000),
  classification: classification.optional().describe("Default: its meeting's"),
});

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'blocked', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, { fr: string; en: string }> = {
  planned: { fr: 'Prévue', en: 'Planned' },
  in_progress: { fr: 'En cours', en: 'In progress' },
  done: { fr: 'Réalisée', en: 'Done' },
  blocked: { fr: 'Bloquée', en: 'Blocked' },
  cancelled: { fr: 'Annulée', en: 'Cancelled' },
};
/** An action is open (and may be overdue) until it is done or cancelled. */
export const OPEN_ACTION_STATUSES: readonly ActionStatus[] = ['planned', 'in_progress', 'blocked'];

const evidence = z.strictObject({ title: z.string().trim().min(1).max(300), reference: text(1000).optional() });

export const actionCreateSchema = z
  .strictObject({
    title: z.string().trim().min(3).max(500),
    description: text(5000).default(''),
    owner_state: orgCode.nullable().default(null).describe('Member state that carries the action'),
    owner_body: body.nullable().default(null).describe('Or the body that carries it'),
    due_date: day,
    status: z.enum(ACTION_STATUSES).default('planned'),
    objective_ids: z.array(z.string().min(1)).max(50).default([]),
    alert_id: z.string().min(1).max(64).nullable().default(null).describe('Early-warning alert the action answers'),
    classification: classification.optional().describe("Default: its decision's"),
  })
  .check((ctx) => {
    if (!ctx.value.owner_state && !ctx.value.owner_body) {
      ctx.issues.push({ code: 'custom', path: ['owner_state'], message: 'une action a un État ou un organe responsable', input: null });
    }
  });

export const actionPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  title: z.string().trim().min(3).max(500).optional(),
  description: text(5000).optional(),
  owner_state: orgCode.nullable().optional(),
  owner_body: body.nullable().optional(),
  due_date: day.optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  objective_ids: z.array(z.string().min(1)).max(50).optional(),
  alert_id: z.string().min(1).max(64).nullable().optional(),
});

/**
 * A meeting, decision or action re-classified (`PATCH /api/v1/{meetings,decisions,actions}/:id/classification`): at most
 * the editor's clearance, never below its parent's; raising a meeting or decision raises what hangs from it; lowering
 * needs a reason.
 */
export const coordinationReclassifySchema = z.strictObject({
  classification,
  change_reason: z.string().trim().min(3).max(2000).optional().describe('Required to lower the level'),
});

export const actionNoteSchema = z.strictObject({
  text: z.string().trim().min(2).max(5000),
  progress: z.number().int().min(0).max(100).optional().describe('Percent done, as the owner sees it'),
  status: z.enum(ACTION_STATUSES).optional().describe('Status change that comes with the note'),
  evidence: z.array(evidence).max(20).default([]),
});

export const actionListQuerySchema = z.strictObject({
  owner_state: orgCode.optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  mine: z.enum(['true', 'false']).optional().describe("Only the actions of the reader's state"),
  objective_id: z.string().optional(),
  alert_id: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------- what the API returns

export const meetingViewSchema = z.object({
  id: z.string(), title: z.string(), date: z.string(), place: z.string(), states: z.array(z.string()), bodies: z.array(z.string()),
  agenda: z.string(), minutes: z.string(), classification: classification, version: z.number().int(), created_at: z.string(), updated_at: z.string(),
});
export type MeetingView = z.infer<typeof meetingViewSchema>;

export const actionNoteViewSchema = z.object({
  id: z.string(), at: z.string(), organisation: z.string(), text: z.string(), progress: z.number().int().nullable(), status: z.string().nullable(),
  evidence: z.array(z.object({ title: z.string(), reference: z.string().optional() })),
});

export const actionViewSchema = z.object({
  id: z.string(), decision_id: z.string(), decision_code: z.string().optional(), decision_text: z.string().optional(), meeting_id: z.string().optional(),
  meeting_title: z.string().optional(), meeting_date: z.string().optional(), title: z.string(), description: z.string(),
  owner_state: z.string().nullable(), owner_body: z.string().nullable(), due_date: z.string(), status: z.enum(ACTION_STATUSES),
  progress: z.number().int(), alert_id: z.string().nullable(), objective_ids: z.array(z.string()),
  overdue: z.boolean().describe('Open and past its due date'), classification, completed_at: z.string().nullable(), version: z.number().int(),
  created_at: z.string(), updated_at: z.string(), notes: z.array(actionNoteViewSchema).optional(),
});
export type ActionView = z.infer<typeof actionViewSchema>;

export const decisionViewSchema = z.object({
  id: z.string(), meeting_id: z.string(), code: z.string(), position: z.number().int(), text: z.string(), classification, created_at: z.string(),
});
export type DecisionView = z.infer<typeof decisionViewSchema>;

export const meetingDetailSchema = meetingViewSchema.extend({ decisions: z.array(decisionViewSchema.extend({ actions: z.array(actionViewSchema) })) });
export type MeetingDetail = z.infer<typeof meetingDetailSchema>;

export const overdueViewSchema = z.object({ today: z.string(), count: z.number().int(), by_owner: z.record(z.string(), z.number().int()), items: z.array(actionViewSchema) });
