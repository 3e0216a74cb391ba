import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import { levelVisibleTo } from './visibility.js';
import type { Principal } from '@vigie/domain';
import type { ActionNotesTable, CoordinationActionsTable, MeetingDecisionsTable, MeetingsTable } from '../db/strategy-schema.js';

export type MeetingRow = Selectable<MeetingsTable>;
export type DecisionRow = Selectable<MeetingDecisionsTable>;
export type ActionRow = Selectable<CoordinationActionsTable>;
export type NoteRow = Selectable<ActionNotesTable>;

export async function insertMeeting(trx: Trx, row: Insertable<MeetingsTable>): Promise<void> {
  await trx.insertInto('meetings').values(row).execute();
}
/** A meeting, if the reader is cleared for it (who-sees-what in SQL, as for every read below). */
export const getMeetingRow = (trx: Trx, principal: Principal, id: string) =>
  trx.selectFrom('meetings').selectAll().where('id', '=', id).where(levelVisibleTo(principal, 'meetings.classification_level')).executeTakeFirst();
export const listMeetingRows = (trx: Trx, principal: Principal) =>
  trx.selectFrom('meetings').selectAll().where(levelVisibleTo(principal, 'meetings.classification_level')).orderBy('date', 'desc').execute();
export async function updateMeetingAtVersion(trx: Trx, id: string, version: number, patch: Updateable<MeetingsTable>): Promise<boolean> {
  const r = await trx.updateTable('meetings').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertDecision(trx: Trx, row: Insertable<MeetingDecisionsTable>): Promise<void> {
  await trx.insertInto('meeting_decisions').values(row).execute();
}
export const getDecisionRow = (trx: Trx, principal: Principal, id: string) =>
  trx.selectFrom('meeting_decisions').selectAll().where('id', '=', id).where(levelVisibleTo(principal, 'meeting_decisions.classification_level')).executeTakeFirst();
/** The decisions of a meeting the reader is cleared for. */
export const listDecisions = (trx: Trx, principal: Principal, meetingId: string) =>
  trx.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', meetingId).where(levelVisibleTo(principal, 'meeting_decisions.classification_level')).orderBy('position').execute();
/** Every decision code of a meeting, seen or not (codes are unique per meeting). */
export const decisionCodes = async (trx: Trx, meetingId: string) =>
  (await trx.selectFrom('meeting_decisions').select('code').where('meeting_id', '=', meetingId).execute()).map((r) => r.code);

export async function insertAction(trx: Trx, row: Insertable<CoordinationActionsTable>): Promise<void> {
  await trx.insertInto('coordination_actions').values(row).execute();
}
export const getActionRow = (trx: Trx, principal: Principal, id: string) =>
  trx.selectFrom('coordination_actions').selectAll().where('id', '=', id).where(levelVisibleTo(principal, 'coordination_actions.classification_level')).executeTakeFirst();
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

/**
 * Actions the reader is cleared for, with their decision and meeting, due date first. An action is never classified
 * below its decision nor a decision below its meeting, so a reader of the action may read its context too; the
 * condition is on all three anyway, so that no row written otherwise leaks a title.
 */
export function listActionRows(trx: Trx, principal: Principal, f: ActionFilter) {
  let q = trx
    .selectFrom('coordination_actions as a')
    .innerJoin('meeting_decisions as d', 'd.id', 'a.decision_id')
    .innerJoin('meetings as m', 'm.id', 'd.meeting_id')
    .where(levelVisibleTo(principal, 'a.classification_level'))
    .where(levelVisibleTo(principal, 'd.classification_level'))
    .where(levelVisibleTo(principal, 'm.classification_level'))
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

// ------------------------------------------------------------------------------------------- classification

/** Raises the actions of these decisions that are below `level` to it (a new version each); returns them. */
export async function raiseActionsOf(trx: Trx, decisionIds: readonly string[], level: number, at: string): Promise<string[]> {
  if (!decisionIds.length) return [];
  const ids = (await trx.selectFrom('coordination_actions').select('id').where('decision_id', 'in', [...decisionIds]).where('classification_level', '<', level).execute()).map((r) => r.id);
  if (ids.length) await trx.updateTable('coordination_actions').set((eb) => ({ classification_level: level, version: eb('version', '+', 1), updated_at: at })).where('id', 'in', ids).execute();
  return ids;
}

/** Raises the decisions of a meeting below `level` to it; returns them. */
export async function raiseDecisionsOf(trx: Trx, meetingId: string, level: number): Promise<string[]> {
  const ids = (await trx.selectFrom('meeting_decisions').select('id').where('meeting_id', '=', meetingId).where('classification_level', '<', level).execute()).map((r) => r.id);
  if (ids.length) await trx.updateTable('meeting_decisions').set({ classification_level: level }).where('id', 'in', ids).execute();
  return ids;
}

export const allDecisionIdsOf = async (trx: Trx, meetingId: string) =>
  (await trx.selectFrom('meeting_decisions').select('id').where('meeting_id', '=', meetingId).execute()).map((r) => r.id);

export async function setMeetingLevel(trx: Trx, id: string, level: number, at: string): Promise<void> {
  await trx.updateTable('meetings').set((eb) => ({ classification_level: level, version: eb('version', '+', 1), updated_at: at })).where('id', '=', id).execute();
}

export async function setActionLevel(trx: Trx, id: string, level: number, at: string): Promise<void> {
  await trx.updateTable('coordination_actions').set((eb) => ({ classification_level: level, version: eb('version', '+', 1), updated_at: at })).where('id', '=', id).execute();
}

export async function setDecisionLevel(trx: Trx, id: string, level: number): Promise<void> {
  await trx.updateTable('meeting_decisions').set({ classification_level: level }).where('id', '=', id).execute();
}

/** The level of a decision's meeting, or of an action's decision: the floor of a re-classification. */
export async function parentLevel(trx: Trx, kind: 'decision' | 'action', id: string): Promise<number> {
  const row = kind === 'decision'
    ? await trx.selectFrom('meeting_decisions as d').innerJoin('meetings as m', 'm.id', 'd.meeting_id').select('m.classification_level as level').where('d.id', '=', id).executeTakeFirst()
    : await trx.selectFrom('coordination_actions as a').innerJoin('meeting_decisions as d', 'd.id', 'a.decision_id').select('d.classification_level as level').where('a.id', '=', id).executeTakeFirst();
  return Number(row?.level ?? 0);
}
