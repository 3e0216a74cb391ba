import { z } from 'zod';

/** Coordination follow-up: meetings of the ministers and staff, their decisions, and the actions that carry them out. */
const text = (max: number) => z.string().trim().max(max);
const orgCode = z.string().regex(/^[A-Z]{3,4}$/, 'code d’organisation attendu (ex. MLI, CONF)');
/** Bodies take part and own actions: the unified force, the joint staff, a committee… (organisations, never persons). */
const body = z.string().trim().min(2).max(200);
const day = z.iso.date({ error: 'validation.date_format' });

export const meetingCreateSchema = z.strictObject({
  title: z.string().trim().min(3).max(300),
  date: day,
  place: z.string().trim().min(1).max(200),
  states: z.array(orgCode).max(20).default([]).describe('Participating member states'),
  bodies: z.array(body).max(30).default([]).describe('Participating bodies (organisations, never persons)'),
  agenda: text(20_000).default(''),
  minutes: text(100_000).default(''),
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
