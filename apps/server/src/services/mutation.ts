/**
 * The one mutation path: permission first, then one write transaction in which the change runs and returns its
 * audit entries, its change-log entries and its domain events; the audit and the change log are written in that
 * transaction (they commit or roll back with the change) and the events are emitted only after commit.
 * Nobody writes that skeleton by hand again (STYLE.md "One mutation path").
 */
import type { AuditAction, ChangeEntityType, Permission } from '@vigie/domain';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { nowIso } from '../lib/ids.js';
import { insertChanges } from '../repositories/change-log.repository.js';
import { recordAudits, type AuditEntry } from './audit/audit.service.js';
import type { Ctx } from './context.js';
import { emitEvent, type DomainEvent } from './events.js';
import { requirePermission, type Principal } from './principal.js';

/** An audit entry whose action is one of the known AUDIT_ACTIONS. */
export type MutationAudit = AuditEntry & { action: AuditAction };

/** What the change log records of one change: which record, and what was done to it (its audit action's verb). */
export interface Change {
  type: ChangeEntityType;
  id: string;
  op: string;
}

/** What a change returns from inside its transaction. */
export interface Outcome<T> {
  result: T;
  audit?: MutationAudit | readonly MutationAudit[];
  changes?: readonly Change[];
  events?: readonly DomainEvent[];
}

export interface Mutation<T> {
  /**
   * The permission verb(s) checked before anything else. `'self'` only where no verb exists: a signed-in user's change
   * to their own account, session or tokens (an administrator's revocation is decided by the service just before,
   * on token.manage). Said at the call, so that it is a decision and not an omission.
   */
  permission: Permission | readonly Permission[] | 'self';
  /**
   * `'background'`: the transaction runs on the engine's background connection (rule runs and other batch work, so
   * that they do not hold the requests' connection). The request connection otherwise.
   */
  connection?: 'background';
  run(trx: Transaction<Database>): Promise<Outcome<T>>;
}

/** Runs a mutation through the one path; returns the change's result after commit and after its events are emitted. */
export async function mutate<T>(ctx: Ctx, principal: Principal, m: Mutation<T>): Promise<T> {
  if (m.permission !== 'self') for (const p of typeof m.permission === 'string' ? [m.permission] : m.permission) requirePermission(principal, p);
  const on = m.connection === 'background' ? ctx.engine.background() : ctx.engine;
  const out = await on.writeTransaction(async (trx) => {
    const o = await m.run(trx);
    const audits = o.audit === undefined ? [] : Array.isArray(o.audit) ? o.audit : [o.audit as MutationAudit];
    await recordAudits(ctx.engine, trx, principal, audits);
    const seq = await appendChanges(ctx, trx, o.changes ?? []);
    return { o, seq };
  });
  for (const e of out.o.events ?? []) emitEvent(ctx, e);
  if (out.seq) emitEvent(ctx, { name: 'changes.appended', payload: { seq: out.seq } });
  return out.o.result;
}

/**
 * Appends change-log entries inside the caller's transaction, under the change-log lock so that seqs commit in the
 * order they are given (docs/changes.md). Returns the last seq written (0 when none).
 */
export async function appendChanges(ctx: Ctx, trx: Transaction<Database>, changes: readonly Change[]): Promise<number> {
  if (!changes.length) return 0;
  await ctx.engine.lockChangeLog(trx);
  const at = nowIso();
  return insertChanges(trx, changes.map((c) => ({ entity_type: c.type, entity_id: c.id, op: c.op, changed_at: at })));
}
