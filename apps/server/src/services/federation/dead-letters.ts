/**
 * Dead letters (docs/federation.md): one message that cannot be applied (a bad payload, a constraint failure) must not
 * stall the messages after it. A batch that fails is applied message by message; a message that still fails after
 * bounded retries is parked here — acknowledged on the stream, audited — until an administrator retries or discards it.
 * When parking itself fails (the database is down), the error goes up and the batch is redelivered: nothing is lost.
 */
import { FEDERATION_ERROR_TEXT, FederationFailure, type FederationErrorCode } from '@vigie/domain/federation-errors';
import { deadLettersQuerySchema, type DeadLetterView } from '@vigie/domain/federation.schema';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { getDeadLetter, insertDeadLetter, listDeadLettersIn, resolveParkedDeadLetter, updateDeadLetter } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import { requirePermission, SYSTEM, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { receiveMessages, type PreparedBatch, type Received, type ReceiveResult } from './federation.service.js';

/** Attempts at one message before it is parked. */
export const MAX_ATTEMPTS = 3;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

/**
 * The code of a failure, where it failed: already classified (a FederationFailure), else the database's own error
 * code as the engine reads it; an error from this node's code reading a payload it did not expect (a field missing,
 * of another type, unreadable JSON) is a schema mismatch.
 */
export function failureCode(ctx: Ctx, e: unknown): FederationErrorCode {
  if (e instanceof FederationFailure) return e.code;
  const kind = ctx.engine.failureKind(e);
  if (kind) return kind;
  if (e instanceof TypeError || e instanceof SyntaxError || e instanceof RangeError) return 'schema_mismatch';
  return 'unclassified';
}

/** What a message says it is about, read without trusting it (for the administrator's list). */
function about(m: Received): { origin_node: string | null; entity_type: string | null; entity_id: string | null } {
  try {
    const env = JSON.parse((JSON.parse(new TextDecoder().decode(m.data)) as { body: string }).body) as { node?: unknown; type?: unknown; id?: unknown };
    const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : null);
    return { origin_node: s(env.node), entity_type: s(env.type), entity_id: s(env.id) };
  } catch {
    return { origin_node: null, entity_type: null, entity_id: null };
  }
}

async function park(ctx: Ctx, m: Received, error: unknown, attempts: number): Promise<void> {
  const a = about(m);
  const code = failureCode(ctx, error);
  await mutate(ctx, SYSTEM, {
    permission: 'self',
    async run(trx) {
      const id = newId();
      await insertDeadLetter(trx, {
        id, subject: m.subject, ...a, data: new TextDecoder().decode(m.data), code, error: message(error), attempts, status: 'parked', parked_at: nowIso(), resolved_at: null,
      });
      return { result: undefined, audit: { action: 'federation.park', objectType: a.entity_type ?? 'message', objectId: a.entity_id ?? id, classificationLevel: 0, details: { dead_letter: id, subject: m.subject, origin: a.origin_node, attempts, code, error: message(error) } } };
    },
  });
}

/**
 * Applies a batch in one transaction; if it fails, each message on its own, up to MAX_ATTEMPTS times, and parks the
 * ones that still fail. The messages after a failing one are applied all the same.
 */
export async function receiveOrPark(ctx: Ctx, fed: FederationConfig, batch: readonly Received[] | PreparedBatch, pauseMs = 50): Promise<ReceiveResult & { parked: number }> {
  try {
    return { ...(await receiveMessages(ctx, fed, batch)), parked: 0 };
  } catch (batchError) {
    const messages = 'decoded' in batch ? batch.messages : batch;
    const out: ReceiveResult & { parked: number } = { applied: 0, refused: [], parked: 0 };
    for (const m of messages) {
      let last: unknown = batchError;
      let done = false;
      for (let attempt = messages.length === 1 ? 2 : 1; attempt <= MAX_ATTEMPTS && !done; attempt++) {
        try {
          const r = await receiveMessages(ctx, fed, [m]);
          out.applied += r.applied;
          out.refused.push(...r.refused);
          done = true;
        } catch (e) {
          last = e;
          await new Promise((r) => setTimeout(r, pauseMs * attempt));
        }
      }
      if (!done) {
        await park(ctx, m, last, MAX_ATTEMPTS);
        out.parked++;
      }
    }
    return out;
  }
}

const codeOf = (c: string): FederationErrorCode => (c in FEDERATION_ERROR_TEXT.fr ? (c as FederationErrorCode) : 'unclassified');
const view = (r: Omit<DeadLetterView, 'code' | 'message'> & { code: string; data?: string }): DeadLetterView => ({
  id: r.id, subject: r.subject, origin_node: r.origin_node, entity_type: r.entity_type, entity_id: r.entity_id,
  code: codeOf(r.code), message: { fr: FEDERATION_ERROR_TEXT.fr[codeOf(r.code)], en: FEDERATION_ERROR_TEXT.en[codeOf(r.code)] }, error: r.error,
  attempts: Number(r.attempts), status: r.status, parked_at: r.parked_at, resolved_at: r.resolved_at,
});

/** The dead letters in a status (parked by default), newest first: for the node's administrators. */
export async function listDeadLetters(ctx: Ctx, principal: Principal, input: unknown): Promise<{ items: DeadLetterView[] }> {
  requirePermission(principal, 'federation.manage');
  const { status } = deadLettersQuerySchema.parse(input ?? {});
  const rows = await listDeadLettersIn(ctx.engine.db, status);
  return { items: rows.map((r) => view(r)) };
}

async function parkedLetter(ctx: Ctx, id: string) {
  const row = await getDeadLetter(ctx.engine.db, id);
  if (!row) throw new Problem('not_found', `lettre morte inconnue / unknown dead letter ${id}`);
  if (row.status !== 'parked') throw new Problem('conflict', `lettre morte déjà traitée (${row.status}) / dead letter already resolved (${row.status})`);
  return row;
}

/**
 * An administrator applies a parked message again (after fixing its cause): applied (or refused as stale, audited as
 * such), it leaves the list; failing again, it stays parked with one more attempt and the new error.
 */
export async function retryDeadLetter(ctx: Ctx, principal: Principal, fed: FederationConfig | undefined, id: string): Promise<DeadLetterView & { result?: ReceiveResult }> {
  requirePermission(principal, 'federation.manage');
  const row = await parkedLetter(ctx, id);
  if (!fed) throw new Problem('conflict', "ce serveur n'est pas un nœud fédéré / this server is not a federated node");
  let result: ReceiveResult | undefined;
  let error: string | null = null;
  let code: FederationErrorCode | null = null;
  try {
    result = await receiveMessages(ctx, fed, [{ subject: row.subject, data: new TextEncoder().encode(row.data) }]);
  } catch (e) {
    error = message(e);
    code = failureCode(ctx, e);
  }
  const after = await mutate(ctx, principal, {
    permission: 'federation.manage',
    async run(trx) {
      // Resolved: applied, or refused (as stale, most often) — the refusal is its code; failing again: the new one.
      const patch = error === null || code === null
        ? { status: 'applied' as const, resolved_at: nowIso(), ...(result?.refused[0] ? { code: result.refused[0].reason } : {}) }
        : { attempts: Number(row.attempts) + 1, error, code };
      await updateDeadLetter(trx, id, patch);
      return {
        result: { ...row, ...patch },
        audit: { action: 'federation.dead_letter_retry', objectType: row.entity_type ?? 'message', objectId: row.entity_id ?? id, classificationLevel: 0, details: { dead_letter: id, origin: row.origin_node, ok: error === null, code, error, applied: result?.applied ?? 0, refused: result?.refused.map((r) => r.reason) ?? [] } },
      };
    },
  });
  return { ...view(after), ...(result ? { result } : {}) };
}

/** An administrator gives up on a parked message: it is kept, marked discarded, audited. */
export async function discardDeadLetter(ctx: Ctx, principal: Principal, id: string): Promise<DeadLetterView> {
  requirePermission(principal, 'federation.manage');
  const row = await parkedLetter(ctx, id);
  return mutate(ctx, principal, {
    permission: 'federation.manage',
    async run(trx) {
      const patch = { status: 'discarded' as const, resolved_at: nowIso() };
      await resolveParkedDeadLetter(trx, id, patch);
      return {
        result: view({ ...row, ...patch }),
        audit: { action: 'federation.dead_letter_discard', objectType: row.entity_type ?? 'message', objectId: row.entity_id ?? id, classificationLevel: 0, details: { dead_letter: id, origin: row.origin_node, subject: row.subject, error: row.error } },
      };
    },
  });
}
