import type { Engine, Trx } from '../db/engine.js';
import { canonicalJson, nowIso, sha256 } from '../lib/ids.js';
import { auditPage, insertAudit, lastAuditLink, listAudit, type AuditRow } from '../repositories/audit.repository.js';
import type { Principal } from './principal.js';
import { requirePermission } from './principal.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What a mutation (or a read of classified content) declares for the audit trail. */
export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string;
  before?: unknown;
  after?: unknown;
  /** Classification, scope and owner of what the entry is about, so the log obeys the same visibility rule. */
  classificationLevel?: number;
  sharingScope?: string | null;
  ownerState?: string | null;
  details?: Record<string, unknown>;
}

const digest = (value: unknown): string | null => (value === undefined ? null : sha256(canonicalJson(value)));

/** The fields a link's hash covers, in a fixed order. */
function linkContent(row: Omit<AuditRow, 'hash'>): string {
  return canonicalJson([
    Number(row.seq),
    row.at, row.user_id, row.login, row.organisation, row.action, row.object_type, row.object_id,
    row.classification_level, row.sharing_scope, row.owner_state, row.before_digest, row.after_digest, row.details, row.prev_hash,
  ]);
}

export function linkHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256(linkContent(row));
}

/** Appends an entry to the hash chain inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(engine: Engine, trx: Trx, principal: Principal | null, entry: AuditEntry): Promise<void> {
  await recordAudits(engine, trx, principal, [entry]);
}

/**
 * Appends entries, in order, to the hash chain inside the caller's transaction: the chain is locked and its last
 * link read once, and the links are written together (a bulk import audits each record without a query per record).
 */
export async function recordAudits(engine: Engine, trx: Trx, principal: Principal | null, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await engine.lockAuditChain(trx);
  const last = await lastAuditLink(trx);
  let prev = last?.hash ?? GENESIS_HASH;
  let seq = last?.seq ?? 0;
  const links: AuditRow[] = [];
  for (const entry of entries) {
    const linked = { ...auditRow(principal, entry, prev), seq: ++seq };
    const link = { ...linked, hash: linkHash(linked) };
    links.push(link);
    prev = link.hash;
  }
  await insertAudit(trx, links);
}

function auditRow(principal: Principal | null, entry: AuditEntry, prev: string) {
  return {
    at: nowIso(),
    user_id: principal?.userId ?? null,
    login: principal?.login ?? null,
    organisation: principal?.organisation ?? null,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    classification_level: entry.classificationLevel ?? 0,
    sharing_scope: entry.sharingScope ?? null,
    owner_state: entry.ownerState ?? null,
    before_digest: digest(entry.before),
    after_digest: digest(entry.after),
    details: canonicalJson(entry.details ?? {}),
    prev_hash: prev,
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry found broken, and why. */
  firstBad?: { seq: number; problem: 'tampered' | 'broken_link' | 'gap' };
}

/** Walks the whole chain and reports the first tampered, deleted or reordered entry. */
export async function verifyAuditChain(engine: Engine, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await auditPage(engine.db, prevSeq, 5000);
    if (page.length === 0) return { ok: true, checked };
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== prevSeq + 1) return { ok: false, checked, firstBad: { seq, problem: 'gap' } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, firstBad: { seq, problem: 'broken_link' } };
      if (linkHash(row) !== row.hash) return { ok: false, checked, firstBad: { seq, problem: 'tampered' } };
      prevHash = row.hash;
      prevSeq = seq;
      checked++;
    }
    onProgress?.(checked);
  }
}

/** The audit log as a reader may see it. */
export async function listAuditEvents(
  engine: Engine,
  principal: Principal,
  q: { objectType?: string; objectId?: string; action?: string; limit?: number; beforeSeq?: number },
): Promise<AuditRow[]> {
  requirePermission(principal, 'audit.read');
  return listAudit(engine.db, {
    ...q,
    limit: q.limit ?? 100,
    clearance: principal.clearance,
    organisation: principal.kind === 'system' || principal.organisation === 'CONF' ? null : principal.organisation,
  });
}
