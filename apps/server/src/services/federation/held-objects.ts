import type { z } from 'zod';
/**
 * What a national node's users read of the objects it holds from the confederation (alerts, strategies, meetings,
 * decisions, actions): read-only copies, under the same who-sees-what rule as the node's own — the kind's read verb,
 * and a clearance at or above the object's classification.
 */
import { roleCan, type Permission, parseInput } from '@vigie/domain';
import { heldObjectsQuerySchema, type HeldObjectView } from '@vigie/domain/federation.schema';
import { listForeignObjects, listHeldVisible } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';

const READ: Record<string, Permission> = { alert: 'alert.read', strategy: 'strategy.read', meeting: 'coordination.read', decision: 'coordination.read', action: 'coordination.read' };

/** A held object as the reader gets it; an alert or an action carries this node's own replies (sent to the owner, its new state comes back later). */
export type HeldObject = HeldObjectView;
type Reply = NonNullable<HeldObject['replies']>[number];
/** The kinds of this node's own replies to each kind of held object. */
const REPLIES: Partial<Record<string, readonly Reply['type'][]>> = { alert: ['alert_ack', 'alert_response'], action: ['action_report'] };
export async function listHeldObjects(ctx: Ctx, principal: Principal, input: z.input<typeof heldObjectsQuerySchema> | z.output<typeof heldObjectsQuerySchema>): Promise<{ items: HeldObject[] }> {
  const { type, id } = parseInput(heldObjectsQuerySchema, input ?? {});
  const verb = READ[type];
  if (principal.kind !== 'system' && (!verb || !roleCan(principal.role, verb))) return { items: [] };
  // Who-sees-what in SQL: the reader's clearance against the copy's level, never a national-scope copy.
  const rows = await listHeldVisible(ctx.engine.db, { type, clearance: principal.kind === 'system' ? null : principal.clearance, ...(id ? { ids: [id] } : {}) });
  const replies = new Map<string, NonNullable<HeldObject['replies']>>();
  for (const replyType of rows.length ? REPLIES[type] ?? [] : []) {
    for (const r of await listForeignObjects(ctx.engine.db, { type: replyType })) {
      const reply = JSON.parse(r.record ?? 'null') as (Reply & { alert_id?: string; action_id?: string }) | null;
      const of = reply?.alert_id ?? reply?.action_id;
      if (!reply || !of) continue;
      const shown: Reply = { type: replyType, at: reply.at, note: reply.note, text: reply.text, link: reply.link, progress: reply.progress, status: reply.status };
      replies.set(of, [...(replies.get(of) ?? []), shown]);
    }
  }
  const items = rows.map((r): HeldObject => {
    const own = replies.get(r.entity_id);
    return { type: r.entity_type, id: r.entity_id, origin_node: r.origin_node, version: r.version, received_at: r.received_at, record: JSON.parse(r.record ?? 'null') as unknown, ...(own ? { replies: own.sort((a, b) => a.at.localeCompare(b.at)) } : {}) };
  });
  return { items };
}
