/**
 * The confederation's strategies (with their axes, objectives, indicators and targets) sent to the national nodes, which
 * hold them read-only in their own strategy tables, so that a national state enters its indicator values there (its own
 * objects, sent back once approved). Strategies are not in the change log: the confederation's publisher sends a
 * strategy's rows whenever they differ from what it last sent (on start, everything once: the receivers refuse an
 * identical copy as a replay). National indicator values come the other way and join the confederation's table.
 */
import { FederationFailure } from '@vigie/domain/federation-errors';
import { CLASSIFICATIONS } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { sentOfType } from '../../repositories/federation.repository.js';
import {
  deleteStrategiesWithTree, deleteValue, indicatorExists, otherStrategyHasCode, putStrategyRowById as put, replaceTargetsOfIndicators,
  strategiesAtOrBelow, strategyTreeRows,
} from '../../repositories/strategy.repository.js';
import { sha256 } from '../../lib/ids.js';
import type { Ctx } from '../context.js';
import type { FederationConfig } from './federation-config.js';
import type { NodeKey } from './signing.js';
import { signedOutbound, type Outbound } from './federation.service.js';

const PARTS = ['strategy_axes', 'strategy_objectives', 'strategy_indicators'] as const;

/** A strategy as it travels: its rows, as stored. */
export interface StrategyCopy {
  classification: string;
  sharing_scope: 'confederation';
  strategy: Record<string, unknown>;
  strategy_axes: Record<string, unknown>[];
  strategy_objectives: Record<string, unknown>[];
  strategy_indicators: Record<string, unknown>[];
  indicator_targets: Record<string, unknown>[];
}

/** The seq of this process's last pass. */
let lastPassSeq = 0;

/**
 * The strategies readable at the link's ceiling whose rows changed since `sent` (digest by id), signed; and a tombstone
 * for each strategy once sent over the link (`federation_sent`) that may no longer go — re-classified above the ceiling,
 * or deleted — so that the receivers withdraw their copy. `shared` and `withdrawn` are recorded once published.
 */
export async function strategySnapshots(ctx: Ctx, fed: FederationConfig, key: NodeKey, sent: Map<string, string>): Promise<{ messages: Outbound[]; digests: Map<string, string>; shared: string[]; withdrawn: string[] }> {
  const db = ctx.engine.db;
  const rows = await strategiesAtOrBelow(db, fed.ceiling);
  const messages: Outbound[] = [];
  const digests = new Map<string, string>();
  // One seq for this pass, above any earlier pass's (two passes in the same second too): the receivers apply a later
  // copy over an earlier one. (Seconds since 2023-11-14: an integer column holds it on every engine for decades.)
  const seq = Math.max(Math.floor(Date.now() / 1000) - 1_700_000_000, lastPassSeq + 1);
  lastPassSeq = seq;
  const shared: string[] = [];
  for (const row of rows) {
    const copy: StrategyCopy = {
      classification: CLASSIFICATIONS[row.classification_level] ?? 'secret', sharing_scope: 'confederation', strategy: { ...row, supersedes_id: null },
      ...(await strategyTreeRows(db, row.id)),
    };
    const digest = sha256(JSON.stringify(copy));
    digests.set(row.id, digest);
    if (sent.get(row.id) === digest) continue;
    messages.push(signedOutbound(fed, key, { seq, type: 'strategy', id: row.id, version: row.version, deleted: false, record: copy }));
    shared.push(row.id);
  }
  const live = new Set(rows.map((r) => r.id));
  const withdrawn = (await sentOfType(db, 'strategy')).filter((id) => !live.has(id));
  for (const id of withdrawn) messages.push(signedOutbound(fed, key, { seq, type: 'strategy', id, version: null, deleted: true, reason: 'withdrawn' }));
  return { messages, digests, shared, withdrawn };
}

/** The fields without which a received strategy cannot be held. */
const STRATEGY_FIELDS = ['id', 'code', 'title_fr', 'title_en', 'valid_from', 'valid_to'] as const;

/** At a national node: holds the confederation's strategies in its strategy tables (targets replaced as a whole). */
export async function holdStrategies(trx: Trx, copies: readonly StrategyCopy[]): Promise<void> {
  for (const c of copies) {
    // A copy without the fields of a strategy, or without its parts, is a payload this node's schema cannot take.
    const missing = STRATEGY_FIELDS.filter((f) => typeof c.strategy?.[f] !== 'string');
    if (missing.length || !PARTS.every((p) => Array.isArray(c[p])) || !Array.isArray(c.indicator_targets)) {
      throw new FederationFailure('schema_mismatch', `strategy copy ${String(c.strategy?.id)} lacks ${missing.length ? missing.join(', ') : 'its parts'}`);
    }
    // A strategy of this node's own under the same code (seeded before the link existed) is not overwritten: the
    // confederation's copy stays in federation_objects only, rather than failing the whole batch forever.
    if (await otherStrategyHasCode(trx, String(c.strategy.code), String(c.strategy.id))) continue;
    await put(trx, 'strategies', c.strategy);
    for (const part of PARTS) for (const row of c[part]) await put(trx, part, row);
    await replaceTargetsOfIndicators(trx, c.strategy_indicators.map((i) => i.id as string), c.indicator_targets);
  }
}

/** An indicator value as a national node sends it (approved: the link sees another state's values once approved). */
export interface ValueCopy {
  id: string; indicator_id: string; period: string; state: string; value: number; comment: string; evidence: unknown;
  status: string; submitted_at: string | null; approved_at: string | null; version: number; updated_at: string;
}

/**
 * At the confederation: holds national indicator values in its own table, so that its strategy figures count them like
 * a value approved here; a value whose indicator it does not have is kept only as received. Tombstones remove them.
 */
export async function holdForeignValues(trx: Trx, items: readonly { id: string; record: ValueCopy | null }[]): Promise<void> {
  for (const { id, record: v } of items) {
    if (!v) {
      await deleteValue(trx, id);
      continue;
    }
    if (!(await indicatorExists(trx, v.indicator_id))) continue;
    await put(trx, 'indicator_values', {
      id, indicator_id: v.indicator_id, period: v.period, state: v.state, value: v.value, comment: v.comment, evidence: JSON.stringify(v.evidence ?? []),
      status: v.status, return_reason: null, entered_by: null, submitted_at: v.submitted_at, approved_by: null, approved_at: v.approved_at,
      version: v.version, updated_at: v.updated_at,
    });
  }
}

/**
 * At a national node: a confederation strategy withdrawn from the link (re-classified above its ceiling, or deleted)
 * leaves the strategy tables with everything hanging from it here — targets, this state's values entered against its
 * indicators (those approved were sent already: the confederation keeps them), evaluations. No stale copy stays.
 */
export async function withdrawStrategies(trx: Trx, ids: readonly string[]): Promise<void> {
  await deleteStrategiesWithTree(trx, ids);
}
