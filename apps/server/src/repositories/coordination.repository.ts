import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { ActionNotesTable, CoordinationActionsTable, MeetingDecisionsTable, MeetingsTable } from '../db/strategy-schema.js';

export type MeetingRow = Selectable<MeetingsTable>;
export type DecisionRow = Selectable<MeetingDecisionsTable>;
export type ActionRow = Selectable<CoordinationActionsTable>;
export type NoteRow = Selectable<ActionNotesTable>;

export async function insertMeeting(trx: Trx, row: Insertable<MeetingsTable>): Promise<void> {
  await trx.insertInto('meetings').values(row).execute();
}
export const getMeetingRow = (trx: Trx, id: string) => trx.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
export const listMeetingRows = (trx: Trx) => trx.selectFrom('meetings').selectAll().orderBy('date', 'desc').execute();
export async function updateMeetingAtVersion(trx: Trx, id: string, version: number, patch: Updateable<MeetingsTable>): Promise<boolean> {
  const r = await trx.updateTable('meetings').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertDecision(trx: Trx, row: Insertable<MeetingDecisionsTable>): Promise<void> {
  await trx.insertInto('meeting_decisions').values(row).execute();
}
export const getDecisionRow = (trx: Trx, id: string) => trx.selectFrom('meeting_decisions').selectAll().where('id', '=', id).executeTakeFirst();
export const listDecisions = (trx: Trx, meetingId: string) =>
  trx.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();

export async function insertAction(trx: Trx, row: Insertable<CoordinationActionsTable>): Promise<void> {
  await trx.insertInto('coordination_actions').values(row).execute();
}
export const getActionRow = (trx: Trx, id: string) => trx.selectFrom('coordination_actions').selectAll().where('id', '=', id).executeTakeFirst();
export async function updateActionAtVersion(trx: Trx, id: string, version: number, patch: Updateable<CoordinationActionsTable>): Promise<boolean> {
  const r = await trx.updateTable('coordination_actions').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ActionFilter {
  ownerState?: string;
  status?: string;
  /** Open actions whose due date is before this day. */
  overdueBefore?: string;
  openStatuses: readonly string[];
  objectiveId?: string;
  alertId?: string;
  decisionIds?: string[];
}

/** Actions with their decision and meeting, due date first. */
export function listActionRows(trx: Trx, f: ActionFilter) {
  let q = trx
    .selectFrom('coordination_actions as a')
    .innerJoin('meeting_decisions as d', 'd.id', 'a.decision_id')
    .innerJoin('meetings as m', 'm.id', 'd.meeting_id')
    .selectAll('a')
    .select(['d.code as decision_code', 'd.text as decision_text', 'm.id as meeting_id', 'm.title as meeting_title', 'm.date as meeting_date']);
  if (f.ownerState) q = q.where('a.owner_state', '=', f.ownerState);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.overdueBefore) q = q.where('a.due_date', '<', f.overdueBefore).where('a.status', 'in', [...f.openStatuses]);
  if (f.alertId) q = q.where('a.alert_id', '=', f.alertId);
  if (f.decisionIds) q = f.decisionIds.length ? q.where('a.decision_id', 'in', f.decisionIds) : q.where('a.id', '=', '');
  if (f.objectiveId) {
    const oid = f.objectiveId;
    q = q.where((eb) => eb('a.id', 'in', eb.selectFrom('action_objectives').select('action_id').where('objective_id', '=', oid)));
  }
  return q.orderBy('a.due_date').orderBy('a.id').execute();
}

export async function replaceActionObjectives(trx: Trx, actionId: string, objectiveIds: string[]): Promise<void> {
  await trx.deleteFrom('action_objectives').where('action_id', '=', actionId).execute();
  const unique = [...new Set(objectiveIds)];
  if (unique.length) await trx.insertInto('action_objectives').values(unique.map((objective_id) => ({ action_id: actionId, objective_id }))).execute();
}

/** Objective ids linked to each of these actions. */
export async function objectivesOf(trx: Trx, actionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!actionIds.length) return out;
  const rows = await trx.selectFrom('action_objectives').select(['action_id', 'objective_id']).where('action_id', 'in', actionIds).orderBy('objective_id').execute();
  for (const r of rows) out.set(r.action_id, [...(out.get(r.action_id) ?? []), r.objective_id]);
  return out;
}

export async function insertNote(trx: Trx, row: Insertable<ActionNotesTable>): Promise<void> {
  await trx.insertInto('action_notes').values(row).execute();
}
export const listNotes = (trx: Trx, actionId: string) => trx.selectFrom('action_notes').selectAll().where('action_id', '=', actionId).orderBy('at').orderBy('id').execute();

export async function noteExists(trx: Trx, id: string): Promise<boolean> {
  return !!(await trx.selectFrom('action_notes').select('id').where('id', '=', id).executeTakeFirst());
}
