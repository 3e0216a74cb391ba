import type { z } from 'zod';
import {
  actionCreateSchema, actionListQuerySchema, actionNoteSchema, actionPatchSchema, decisionCreateSchema, meetingCreateSchema, meetingPatchSchema,
  AUDITED_READ_LEVEL, CLASSIFICATIONS, OPEN_ACTION_STATUSES, type ActionView, type DecisionView, type FieldError, type MeetingView, parseInput,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  decisionCodes, getActionRow, getDecisionRow, getMeetingRow, insertAction, insertDecision, insertMeeting, insertNote, listActionRows, listDecisions,
  listMeetingRows, listNotes, objectivesOf, replaceActionObjectives, updateActionAtVersion, updateMeetingAtVersion, type ActionRow, type DecisionRow, type MeetingRow,
} from '../../repositories/coordination.repository.js';
import { existingObjectiveIds } from '../../repositories/strategy.repository.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { mutate } from '../mutation.js';
import { notifyActionAssigned } from '../accounts/notify.js';
import { requirePermission, type Principal } from '../principal.js';

const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
const today = () => nowIso().slice(0, 10);
/** What an audit entry of a coordination object is filed under: its own level (who may read the entry). */
export const scope = (level: number, ownerState: string | null) => ({ classificationLevel: level, sharingScope: 'confederation', ownerState });
const named = (level: number) => CLASSIFICATIONS[level] ?? 'secret';

/** The level asked for a new object: its parent's by default, never below it, never above the author's clearance. */
export function levelFor(principal: Principal, asked: (typeof CLASSIFICATIONS)[number] | undefined, floor: number, parent: string): number {
  const level = asked === undefined ? floor : CLASSIFICATIONS.indexOf(asked);
  if (principal.kind !== 'system' && level > principal.clearance) throw invalid([{ field: 'classification', message: 'validation.above_clearance' }]);
  if (level < floor) throw invalid([{ field: 'classification', message: `en dessous de la classification de ${parent} (${named(floor)}) / below its ${parent === 'sa réunion' ? 'meeting' : 'decision'}'s` }]);
  return level;
}

export type { ActionView, MeetingView } from '@vigie/domain';

export function toMeeting({ classification_level, ...r }: MeetingRow): MeetingView {
  return { ...r, classification: named(classification_level), states: JSON.parse(r.states) as string[], bodies: JSON.parse(r.bodies) as string[] };
}
export const toDecision = ({ classification_level, ...r }: DecisionRow): DecisionView => ({ ...r, classification: named(classification_level) });

const isOverdue = (a: { status: string; due_date: string }, day = today()) => OPEN_ACTION_STATUSES.includes(a.status as never) && a.due_date < day;

export function toAction({ classification_level, ...r }: ActionRow & Partial<{ decision_code: string; decision_text: string; meeting_id: string; meeting_title: string; meeting_date: string }>, objectives: string[]): ActionView {
  return { ...r, classification: named(classification_level), status: r.status as ActionView['status'], objective_ids: objectives, overdue: isOverdue(r) };
}

/** Unknown member-state codes, named `field` (one code) or `field.i` (a list). */
function checkStates(ctx: Ctx, states: string | null | undefined | string[], field: string): FieldError[] {
  const known = new Set(ctx.reference.states.map((s) => s.code));
  const list = Array.isArray(states) ? states : [states];
  return list.flatMap((s, i) => (s && !known.has(s) ? [{ field: Array.isArray(states) ? `${field}.${i}` : field, message: `État membre inconnu : ${s}` }] : []));
}

/**
 * Reads of confidential and secret meetings, decisions and actions go to the audit trail before the answer leaves, as
 * reads of such incidents and alerts do: one entry naming them, filed at the highest level read.
 */
export async function auditCoordinationRead(ctx: Ctx, principal: Principal, read: readonly { id: string; classification: string }[], via: string): Promise<void> {
  const classified = read.filter((r) => CLASSIFICATIONS.indexOf(r.classification as never) >= AUDITED_READ_LEVEL);
  if (principal.kind === 'system' || !classified.length) return;
  await mutate(ctx, principal, {
    permission: 'coordination.read',
    run: async () => ({ result: undefined, audit: {
      action: 'coordination.read', objectType: 'coordination', objectId: classified.length === 1 ? classified[0]?.id : undefined,
      ...scope(Math.max(...classified.map((r) => CLASSIFICATIONS.indexOf(r.classification as never))), null), details: { via, objects: classified.map((r) => r.id) },
    } }),
  });
}

// ------------------------------------------------------------------------------------------------ meetings

export async function listMeetings(ctx: Ctx, principal: Principal): Promise<MeetingView[]> {
  requirePermission(principal, 'coordination.read');
  const items = (await listMeetingRows(ctx.engine.db, principal)).map(toMeeting);
  await auditCoordinationRead(ctx, principal, items, 'meetings');
  return items;
}

export async function getMeeting(ctx: Ctx, principal: Principal, id: string) {
  requirePermission(principal, 'coordination.read');
  const db = ctx.engine.db;
  const m = await getMeetingRow(db, principal, id);
  if (!m) throw new Problem('not_found', `pas de réunion ${id}`);
  const decisions = await listDecisions(db, principal, id);
  const actions = await listActionRows(db, principal, { openStatuses: OPEN_ACTION_STATUSES, decisionIds: decisions.map((d) => d.id) });
  const objectives = await objectivesOf(db, actions.map((a) => a.id));
  const detail = {
    ...toMeeting(m),
    decisions: decisions.map((d) => ({ ...toDecision(d), actions: actions.filter((a) => a.decision_id === d.id).map((a) => toAction(a, objectives.get(a.id) ?? [])) })),
  };
  await auditCoordinationRead(ctx, principal, [detail, ...detail.decisions, ...detail.decisions.flatMap((d) => d.actions)], 'meeting');
  return detail;
}

export async function createMeeting(ctx: Ctx, principal: Principal, input: z.input<typeof meetingCreateSchema> | z.output<typeof meetingCreateSchema>): Promise<MeetingView> {
  requirePermission(principal, 'coordination.edit');
  const { classification, ...data } = parseInput(meetingCreateSchema, input);
  const errors = checkStates(ctx, data.states, 'states');
  if (errors.length) throw invalid(errors);
  const level = levelFor(principal, classification, 0, 'sa réunion');
  return mutate(ctx, principal, { permission: 'coordination.edit', async run(trx) {
    const now = nowIso();
    const row = { id: newId(), ...data, states: JSON.stringify(data.states), bodies: JSON.stringify(data.bodies), classification_level: level, version: 1, created_at: now, updated_at: now };
    await insertMeeting(trx, row);
    return {
      result: toMeeting(row), audit: { action: 'meeting.create', objectType: 'meeting', objectId: row.id, after: row, ...scope(level, null) },
      changes: [{ type: 'meeting', id: row.id, op: 'create' }], events: [event('coordination.changed', { type: 'meeting', id: row.id })],
    };
  } });
}

export async function patchMeeting(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof meetingPatchSchema> | z.output<typeof meetingPatchSchema>): Promise<MeetingView> {
  requirePermission(principal, 'coordination.edit');
  const { version, states, bodies, ...rest } = parseInput(meetingPatchSchema, input);
  if (states) {
    const errors = checkStates(ctx, states, 'states');
    if (errors.length) throw invalid(errors);
  }
  return mutate(ctx, principal, { permission: 'coordination.edit', async run(trx) {
    const before = await getMeetingRow(trx, principal, id);
    if (!before) throw new Problem('not_found', `pas de réunion ${id}`);
    const patch = { ...rest, ...(states ? { states: JSON.stringify(states) } : {}), ...(bodies ? { bodies: JSON.stringify(bodies) } : {}), version: before.version + 1, updated_at: nowIso() };
    if (!(await updateMeetingAtVersion(trx, id, version, patch))) throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    const after = (await getMeetingRow(trx, principal, id)) as MeetingRow;
    return {
      result: toMeeting(after), audit: { action: 'meeting.update', objectType: 'meeting', objectId: id, before, after, ...scope(after.classification_level, null) },
      changes: [{ type: 'meeting', id: id, op: 'update' }], events: [event('coordination.changed', { type: 'meeting', id: id })],
    };
  } });
}

export async function addDecision(ctx: Ctx, principal: Principal, meetingId: string, input: z.input<typeof decisionCreateSchema> | z.output<typeof decisionCreateSchema>) {
  requirePermission(principal, 'coordination.edit');
  const data = parseInput(decisionCreateSchema, input);
  return mutate(ctx, principal, { permission: 'coordination.edit', async run(trx) {
    const m = await getMeetingRow(trx, principal, meetingId);
    if (!m) throw new Problem('not_found', `pas de réunion ${meetingId}`);
    const level = levelFor(principal, data.classification, m.classification_level, 'sa réunion');
    // Codes are unique per meeting, decisions the author may not read included (saying which is taken tells nothing).
    const existing = await decisionCodes(trx, meetingId);
    const code = data.code ?? `D${existing.length + 1}`;
    if (existing.includes(code)) throw invalid([{ field: 'code', message: `la décision ${code} existe déjà pour cette réunion` }]);
    const row = { id: newId(), meeting_id: meetingId, code, position: existing.length, text: data.text, classification_level: level, created_at: nowIso() };
    await insertDecision(trx, row);
    return {
      result: toDecision(row), audit: { action: 'decision.create', objectType: 'decision', objectId: row.id, after: row, ...scope(level, null) },
      changes: [{ type: 'decision', id: row.id, op: 'create' }], events: [event('coordination.changed', { type: 'decision', id: row.id })],
    };
  } });
}

// ------------------------------------------------------------------------------------------------ actions

async function checkObjectives(trx: Trx, ids: string[]): Promise<FieldError[]> {
  const known = await existingObjectiveIds(trx, ids);
  return ids.flatMap((id, i) => (known.has(id) ? [] : [{ field: `objective_ids.${i}`, message: `objectif inconnu : ${id}` }]));
}

async function actionView(trx: Trx, principal: Principal, id: string, withNotes = true): Promise<ActionView> {
  const row = await getActionRow(trx, principal, id);
  if (!row) throw new Problem('not_found', `pas d'action ${id}`);
  const objectives = await objectivesOf(trx, [id]);
  const view = toAction(row, objectives.get(id) ?? []);
  if (!withNotes) return view;
  const notes = await listNotes(trx, id);
  return { ...view, notes: notes.map((n) => ({ id: n.id, at: n.at, organisation: n.organisation, text: n.text, progress: n.progress, status: n.status, evidence: JSON.parse(n.evidence) as { title: string; reference?: string }[] })) };
}

export async function addAction(ctx: Ctx, principal: Principal, decisionId: string, input: z.input<typeof actionCreateSchema> | z.output<typeof actionCreateSchema>): Promise<ActionView> {
  requirePermission(principal, 'coordination.edit');
  const data = parseInput(actionCreateSchema, input);
  return mutate(ctx, principal, { permission: 'coordination.edit', async run(trx) {
    const d = await getDecisionRow(trx, principal, decisionId);
    if (!d) throw new Problem('not_found', `pas de décision ${decisionId}`);
    const level = levelFor(principal, data.classification, d.classification_level, 'sa décision');
    const errors = [...checkStates(ctx, data.owner_state, 'owner_state'), ...(await checkObjectives(trx, data.objective_ids))];
    if (errors.length) throw invalid(errors);
    const now = nowIso();
    const row = {
      id: newId(), decision_id: d.id, title: data.title, description: data.description, owner_state: data.owner_state, owner_body: data.owner_body,
      due_date: data.due_date, status: data.status, progress: data.status === 'done' ? 100 : 0, alert_id: data.alert_id,
      completed_at: data.status === 'done' ? now : null, classification_level: level, version: 1, created_at: now, updated_at: now,
    };
    await insertAction(trx, row);
    await replaceActionObjectives(trx, row.id, data.objective_ids);
    await notifyActionAssigned(trx, row);
    return {
      result: await actionView(trx, principal, row.id),
      audit: { action: 'action.create', objectType: 'action', objectId: row.id, after: { ...row, objective_ids: data.objective_ids }, ...scope(level, row.owner_state) },
      changes: [{ type: 'action', id: row.id, op: 'create' }], events: [event('coordination.changed', { type: 'action', id: row.id })],
    };
  } });
}

/** Confederation staff edit any action; a state's analysts and focal point update the actions their state owns. */
function assertCanUpdate(principal: Principal, a: ActionRow): void {
  if (principal.kind === 'system' || principal.role === 'confederation_analyst') return;
  if (a.owner_state !== principal.organisation) throw new Problem('forbidden', `seuls ${a.owner_state ?? "l'organe responsable"} et l'état-major confédéral mettent à jour cette action`);
}

export async function patchAction(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof actionPatchSchema> | z.output<typeof actionPatchSchema>): Promise<ActionView> {
  requirePermission(principal, 'action.update');
  const { version, objective_ids, ...rest } = parseInput(actionPatchSchema, input);
  // Re-assigning, re-scheduling or re-linking is the staff's call; owners move the status.
  const structural = ['title', 'description', 'owner_state', 'owner_body', 'due_date', 'alert_id'].some((k) => (rest as Record<string, unknown>)[k] !== undefined) || objective_ids !== undefined;
  if (structural) requirePermission(principal, 'coordination.edit');
  return mutate(ctx, principal, { permission: structural ? ['action.update', 'coordination.edit'] : 'action.update', async run(trx) {
    const before = await getActionRow(trx, principal, id);
    if (!before) throw new Problem('not_found', `pas d'action ${id}`);
    assertCanUpdate(principal, before);
    const errors = [...checkStates(ctx, rest.owner_state, 'owner_state'), ...(objective_ids ? await checkObjectives(trx, objective_ids) : [])];
    const ownerState = rest.owner_state !== undefined ? rest.owner_state : before.owner_state;
    const ownerBody = rest.owner_body !== undefined ? rest.owner_body : before.owner_body;
    if (!ownerState && !ownerBody) errors.push({ field: 'owner_state', message: 'une action a un État ou un organe responsable' });
    if (errors.length) throw invalid(errors);
    const now = nowIso();
    const status = rest.status ?? before.status;
    const patch = {
      ...rest, version: before.version + 1, updated_at: now,
      ...(rest.status && rest.status !== before.status ? { completed_at: status === 'done' ? now : null, ...(status === 'done' ? { progress: 100 } : {}) } : {}),
    };
    if (!(await updateActionAtVersion(trx, id, version, patch))) throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    if (objective_ids) await replaceActionObjectives(trx, id, objective_ids);
    const after = await actionView(trx, principal, id, false);
    return {
      result: await actionView(trx, principal, id), audit: { action: 'action.update', objectType: 'action', objectId: id, before, after, ...scope(before.classification_level, after.owner_state) },
      changes: [{ type: 'action', id: id, op: 'update' }], events: [event('coordination.changed', { type: 'action', id: id })],
    };
  } });
}

/** A progress note by the owner (or the staff): text, optional percent done and status change, evidence. */
export async function addActionNote(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof actionNoteSchema> | z.output<typeof actionNoteSchema>): Promise<ActionView> {
  requirePermission(principal, 'action.update');
  const data = parseInput(actionNoteSchema, input);
  return mutate(ctx, principal, { permission: 'action.update', async run(trx) {
    const before = await getActionRow(trx, principal, id);
    if (!before) throw new Problem('not_found', `pas d'action ${id}`);
    assertCanUpdate(principal, before);
    const now = nowIso();
    const note = {
      id: newId(), action_id: id, at: now, author_id: principal.userId, organisation: principal.organisation, text: data.text,
      progress: data.progress ?? null, status: data.status ?? null, evidence: JSON.stringify(data.evidence),
    };
    await insertNote(trx, note);
    const status = data.status ?? before.status;
    const progress = status === 'done' ? 100 : data.progress ?? before.progress;
    if (status !== before.status || progress !== before.progress) {
      await updateActionAtVersion(trx, id, before.version, {
        status, progress, version: before.version + 1, updated_at: now,
        ...(status !== before.status ? { completed_at: status === 'done' ? now : null } : {}),
      });
    }
    return {
      result: await actionView(trx, principal, id), audit: { action: 'action.note', objectType: 'action', objectId: id, before, after: note, ...scope(before.classification_level, before.owner_state) },
      changes: [{ type: 'action', id: id, op: 'note' }], events: [event('coordination.changed', { type: 'action', id: id })],
    };
  } });
}

export async function getAction(ctx: Ctx, principal: Principal, id: string): Promise<ActionView> {
  requirePermission(principal, 'coordination.read');
  const row = await getActionRow(ctx.engine.db, principal, id);
  if (!row) throw new Problem('not_found', `pas d'action ${id}`);
  const [withContext] = (await listActionRows(ctx.engine.db, principal, { openStatuses: OPEN_ACTION_STATUSES, decisionIds: [row.decision_id] })).filter((a) => a.id === id);
  const base = await actionView(ctx.engine.db, principal, id);
  await auditCoordinationRead(ctx, principal, [base], 'action');
  return { ...base, ...(withContext ? { decision_code: withContext.decision_code, decision_text: withContext.decision_text, meeting_id: withContext.meeting_id, meeting_title: withContext.meeting_title, meeting_date: withContext.meeting_date } : {}) };
}

/** Actions, filtered: by owner state, status, overdue (open and past due), "mine" (the reader's state), objective or alert. */
export async function listActions(ctx: Ctx, principal: Principal, input?: z.input<typeof actionListQuerySchema> | z.output<typeof actionListQuerySchema>): Promise<ActionView[]> {
  requirePermission(principal, 'coordination.read');
  const q = parseInput(actionListQuerySchema, input ?? {});
  const ownerState = q.mine === 'true' ? principal.organisation : q.owner_state;
  const rows = await listActionRows(ctx.engine.db, principal, {
    ownerState, status: q.status, overdueBefore: q.overdue === 'true' ? today() : undefined, openStatuses: OPEN_ACTION_STATUSES,
    objectiveId: q.objective_id, alertId: q.alert_id,
  });
  const objectives = await objectivesOf(ctx.engine.db, rows.map((r) => r.id));
  const items = rows.map((r) => toAction(r, objectives.get(r.id) ?? []));
  await auditCoordinationRead(ctx, principal, items, 'actions');
  return items;
}

/** Overdue actions at a glance: open, past due, counted per owner. */
export async function overdueActions(ctx: Ctx, principal: Principal) {
  const items = await listActions(ctx, principal, { overdue: 'true' });
  const byOwner: Record<string, number> = {};
  for (const a of items) {
    const k = a.owner_state ?? a.owner_body ?? '?';
    byOwner[k] = (byOwner[k] ?? 0) + 1;
  }
  return { today: today(), count: items.length, by_owner: byOwner, items };
}
