import type { z } from 'zod';
/**
 * Re-classifying a meeting, a decision or an action (`PATCH /api/v1/{meetings,decisions,actions}/:id/classification`),
 * as alerts are: the editor must see the object (else 404, before anything is said of the level), sets at most their
 * own clearance, never below the parent's level (a decision under its meeting, an action under its decision), and gives
 * a reason to lower it. Raising a meeting or a decision raises what hangs from it that was below, so that whoever reads
 * an action may always read its decision and meeting. Audited as a reclassify, one change-log entry per object moved:
 * a federation link that may no longer see one withdraws it (federation.service.ts).
 */
import { CLASSIFICATIONS, coordinationReclassifySchema, parseInput, type ActionView, type DecisionView, type MeetingView } from '@vigie/domain';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  allDecisionIdsOf, getActionRow, getDecisionRow, getMeetingRow, objectivesOf, parentLevel, raiseActionsOf, raiseDecisionsOf, setActionLevel, setDecisionLevel, setMeetingLevel,
} from '../../repositories/coordination.repository.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import type { Change } from '../mutation.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import { scope, toAction, toDecision, toMeeting } from './coordination.service.js';

export type CoordinationKind = 'meeting' | 'decision' | 'action';
type Input = z.input<typeof coordinationReclassifySchema> | z.output<typeof coordinationReclassifySchema>;
type Views = { meeting: MeetingView; decision: DecisionView; action: ActionView };

const NOT_FOUND = { meeting: 'pas de réunion', decision: 'pas de décision', action: "pas d'action" } as const;
const PARENT = { decision: { fr: 'sa réunion', en: 'its meeting' }, action: { fr: 'sa décision', en: 'its decision' } } as const;

const field = (message: string) => new Problem('validation_failed', `classification: ${message}`, [{ field: 'classification', message }]);

async function load(trx: Parameters<typeof getMeetingRow>[0], principal: Principal, kind: CoordinationKind, id: string) {
  const row = kind === 'meeting' ? await getMeetingRow(trx, principal, id) : kind === 'decision' ? await getDecisionRow(trx, principal, id) : await getActionRow(trx, principal, id);
  if (!row) throw new Problem('not_found', `${NOT_FOUND[kind]} ${id}`);
  return row;
}

/** Sets the level of a meeting, decision or action (see above); answers the object as the editor now sees it. */
export async function reclassifyCoordination<K extends CoordinationKind>(ctx: Ctx, principal: Principal, kind: K, id: string, input: Input): Promise<Views[K]> {
  requirePermission(principal, 'coordination.edit');
  const body = parseInput(coordinationReclassifySchema, input);
  const level = CLASSIFICATIONS.indexOf(body.classification);
  return mutate(ctx, principal, { permission: 'coordination.edit', async run(trx) {
    // An object the editor may not see is not found (404) before anything is said about the level asked for.
    const before = await load(trx, principal, kind, id);
    const from = Number(before.classification_level);
    if (principal.kind !== 'system' && level > principal.clearance) throw field('au-delà de votre habilitation / above your clearance');
    if (kind !== 'meeting') {
      const floor = await parentLevel(trx, kind as Exclude<CoordinationKind, 'meeting'>, id);
      const parent = PARENT[kind as Exclude<CoordinationKind, 'meeting'>];
      if (level < floor) throw field(`en dessous de la classification de ${parent.fr} (${CLASSIFICATIONS[floor]}) / below ${parent.en}'s (${CLASSIFICATIONS[floor]})`);
    }
    if (level < from && !body.change_reason) {
      throw new Problem('reason_required', 'lowering a classification needs a reason', [{ field: 'change_reason', message: 'motif requis pour abaisser une classification' }]);
    }
    const at = nowIso();
    const changes: Change[] = [];
    const raised: { decisions: string[]; actions: string[] } = { decisions: [], actions: [] };
    if (level !== from) {
      if (kind === 'meeting') {
        await setMeetingLevel(trx, id, level, at);
        raised.decisions = await raiseDecisionsOf(trx, id, level);
        raised.actions = await raiseActionsOf(trx, await allDecisionIdsOf(trx, id), level, at);
      } else if (kind === 'decision') {
        await setDecisionLevel(trx, id, level);
        raised.actions = await raiseActionsOf(trx, [id], level, at);
      } else {
        await setActionLevel(trx, id, level, at);
      }
      changes.push({ type: kind, id, op: 'reclassify' });
      changes.push(...raised.decisions.map((d): Change => ({ type: 'decision', id: d, op: 'reclassify' })));
      changes.push(...raised.actions.map((a): Change => ({ type: 'action', id: a, op: 'reclassify' })));
    }
    const after = await load(trx, principal, kind, id);
    const view = (kind === 'meeting' ? toMeeting(after as never) : kind === 'decision' ? toDecision(after as never)
      : toAction(after as never, (await objectivesOf(trx, [id])).get(id) ?? [])) as Views[K];
    const owner = kind === 'action' ? (before as { owner_state: string | null }).owner_state : null;
    return {
      result: view,
      audit: {
        action: `${kind}.reclassify`, objectType: kind, objectId: id,
        before: { classification: CLASSIFICATIONS[from] }, after: { classification: body.classification },
        details: { from: CLASSIFICATIONS[from], to: body.classification, reason: body.change_reason ?? null, raised },
        // The entry names the object: filed under the higher of the two levels.
        ...scope(Math.max(from, level), owner),
      },
      changes,
      events: changes.map((c) => event('coordination.changed', { type: c.type as CoordinationKind, id: c.id })),
    };
  } });
}
