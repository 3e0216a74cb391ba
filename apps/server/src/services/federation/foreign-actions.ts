/**
 * Confederation actions across the federation (docs/federation.md). The confederation node owns its meetings, decisions
 * and actions; a national node holds them read-only. The state an action is assigned to reports on it from its own node:
 * the report is the national node's own object (`action_report`, kept in `federation_objects` with this node as origin
 * and a change-log seq), sent to the confederation, which adds it to the action's notes (progress, status) — whose new
 * state then comes back to every national node.
 */
import { SYSTEM } from '@vigie/domain';
import { actionNoteSchema } from '@vigie/domain/coordination.schema';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { getActionRow, insertNote, noteExists, updateActionAtVersion } from '../../repositories/coordination.repository.js';
import { getForeignObject } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import { mutate, type Change } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { ownReply, stateOfNode } from './foreign-alerts.js';

/** What a national node sends about a confederation action assigned to its state. */
export interface ActionReport {
  action_id: string;
  state: string;
  at: string;
  text: string;
  progress: number | null;
  status: string | null;
  evidence: { title: string; reference?: string }[];
}

/** The state a confederation action held here is assigned to reports on it; sent to the confederation, which owns it. */
export async function reportOnForeignAction(ctx: Ctx, principal: Principal, fed: FederationConfig, id: string, input: unknown): Promise<ActionReport> {
  requirePermission(principal, 'action.update');
  const body = actionNoteSchema.parse(input ?? {});
  const state = stateOfNode(fed.node);
  if (principal.kind !== 'system' && principal.organisation !== state) throw new Problem('forbidden', `seul ${state} rend compte ici / only ${state} reports here`);
  return mutate(ctx, principal, {
    permission: 'action.update',
    async run(trx) {
      const held = await getForeignObject(trx, 'action', id);
      if (!held || held.deleted || !held.record) throw new Problem('not_found', `action inconnue / unknown action ${id}`);
      const action = JSON.parse(held.record) as { owner_state: string | null };
      if (action.owner_state !== state) throw new Problem('forbidden', `l'action n'est pas confiée à ${state} / the action is not assigned to ${state}`);
      const report: ActionReport = { action_id: id, state, at: nowIso(), text: body.text, progress: body.progress ?? null, status: body.status ?? null, evidence: body.evidence };
      await ownReply(ctx, trx, fed, 'action_report', newId(), report, { type: 'action', id, op: 'note' });
      return { result: report, audit: { action: 'action.note', objectType: 'action', objectId: id, classificationLevel: 0, details: { state, owner: fed.hubDomain } } };
    },
  });
}

/**
 * At the confederation: adds received reports to its own actions as notes by their state (an action it does not hold,
 * or assigned to another state, is left as it is). Returns the change-log entries, so the new state flows back.
 */
export async function applyActionReports(trx: Transaction<Database>, reports: readonly { id: string; report: ActionReport }[]): Promise<Change[]> {
  const changes: Change[] = [];
  for (const { id, report } of reports) {
    const before = await getActionRow(trx, SYSTEM, report.action_id);
    if (!before || before.owner_state !== report.state) continue;
    if (await noteExists(trx, id)) continue;
    await insertNote(trx, {
      id, action_id: before.id, at: report.at, author_id: null, organisation: report.state, text: report.text,
      progress: report.progress, status: report.status, evidence: JSON.stringify(report.evidence ?? []),
    });
    const status = report.status ?? before.status;
    const progress = status === 'done' ? 100 : report.progress ?? before.progress;
    if (status !== before.status || progress !== before.progress) {
      const now = nowIso();
      await updateActionAtVersion(trx, before.id, before.version, {
        status, progress, version: before.version + 1, updated_at: now,
        ...(status !== before.status ? { completed_at: status === 'done' ? now : null } : {}),
      });
    }
    changes.push({ type: 'action', id: before.id, op: 'note' });
  }
  return changes;
}
