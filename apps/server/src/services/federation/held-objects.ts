import type { z } from 'zod';
/**
 * What a national node's users read of the objects it holds from the confederation (alerts, strategies, meetings,
 * decisions, actions): read-only copies, under the same who-sees-what rule as the node's own — the kind's read verb,
 * and a clearance at or above the object's classification.
 */
import { CLASSIFICATIONS, roleCan, type Permission, parseInput } from '@vigie/domain';
import { heldObjectsQuerySchema } from '@vigie/domain/federation.schema';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';

const READ: Record<string, Permission> = { alert: 'alert.read', strategy: 'strategy.read', meeting: 'coordination.read', decision: 'coordination.read', action: 'coordination.read' };

export interface HeldObject {
  type: string;
  id: string;
  origin_node: string;
  version: number | null;
  received_at: string;
  record: unknown;
}

export async function listHeldObjects(ctx: Ctx, principal: Principal, input: z.input<typeof heldObjectsQuerySchema> | z.output<typeof heldObjectsQuerySchema>): Promise<{ items: HeldObject[] }> {
  const { type } = parseInput(heldObjectsQuerySchema, input ?? {});
  const verb = READ[type];
  if (principal.kind !== 'system' && (!verb || !roleCan(principal.role, verb))) return { items: [] };
  const rows = await listForeignObjects(ctx.engine.db, { type });
  const items: HeldObject[] = [];
  for (const r of rows) {
    const record = JSON.parse(r.record ?? 'null') as { classification?: string; sharing_scope?: string } | null;
    if (!record) continue;
    const level = record.classification ? CLASSIFICATIONS.indexOf(record.classification as never) : 0;
    if (principal.kind !== 'system' && (level < 0 || level > principal.clearance || record.sharing_scope === 'national')) continue;
    items.push({ type: r.entity_type, id: r.entity_id, origin_node: r.origin_node, version: r.version, received_at: r.received_at, record });
  }
  return { items };
}
