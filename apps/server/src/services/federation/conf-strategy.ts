/**
 * The confederation's strategies (with their axes, objectives, indicators and targets) sent to the national nodes, which
 * hold them read-only. Strategies are not in the change log: the confederation's publisher sends a strategy's whole
 * tree whenever its content differs from what it last sent (on start, everything once: the receivers refuse an
 * identical tree as a replay).
 */
import { CLASSIFICATIONS } from '@vigie/domain';
import { sha256 } from '../../lib/ids.js';
import type { Ctx } from '../context.js';
import { strategyTree } from '../strategy/strategy.service.js';
import type { FederationConfig } from './federation-config.js';
import type { NodeKey } from './signing.js';
import { signedOutbound, type Outbound } from './federation.service.js';

/** The strategy trees readable at the link's ceiling whose content changed since `sent` (digest by id), signed. */
export async function strategySnapshots(ctx: Ctx, fed: FederationConfig, key: NodeKey, sent: Map<string, string>): Promise<{ messages: Outbound[]; digests: Map<string, string> }> {
  const rows = await ctx.engine.db.selectFrom('strategies').selectAll().where('classification_level', '<=', fed.ceiling).orderBy('created_at').execute();
  const messages: Outbound[] = [];
  const digests = new Map<string, string>();
  // One seq for this pass, above any earlier pass's: the receivers apply a later tree over an earlier one.
  const seq = Date.now();
  for (const row of rows) {
    const tree = await strategyTree(ctx, ctx.engine.db, row);
    const digest = sha256(JSON.stringify(tree));
    digests.set(row.id, digest);
    if (sent.get(row.id) === digest) continue;
    const record = { ...tree, classification: CLASSIFICATIONS[row.classification_level], sharing_scope: 'confederation' };
    messages.push(signedOutbound(fed, key, { seq, type: 'strategy', id: row.id, version: row.version, deleted: false, record }));
  }
  return { messages, digests };
}
