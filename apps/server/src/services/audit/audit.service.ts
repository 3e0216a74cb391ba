import crypto from 'node:crypto';
import { AUDITED_READ_LEVEL } from '@vigie/domain';
import type { Engine, Trx } from '../../db/engine.js';
import { canonicalJson, nowIso, sha256 } from '../../lib/ids.js';
import { auditPage, findAuditLink, insertAudit, lastAuditLink, listAudit, type AuditFilter, type AuditRow } from '../../repositories/audit.repository.js';
import type { Principal } from '../principal.js';
import { requirePermission } from '../principal.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The entry that turns a chain written before links were keyed into a keyed one (see `upgradeAuditChain`). */
export const KEYED_MARKER = 'audit.chain_keyed';

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

/*
 * The chain's MAC key is bound to the engine by `createContext`, so that the many `recordAudit(ctx.engine, …)` call
 * sites need no key of their own and no audit entry can be written without it.
 */
const chainKeys = new WeakMap<Engine, Buffer>();

/** Binds the audit-chain key (`ctx.keys.audit`, kept outside the database) to an engine. */
export function bindAuditKey(engine: Engine, key: Buffer): void {
  chainKeys.set(engine, key);
}

function auditKeyOf(engine: Engine): Buffer {
  const key = chainKeys.get(engine);
  if (!key) throw new Error('no audit-chain key bound to this database engine (createContext binds ctx.keys.audit)');
  return key;
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

/** The unkeyed hash of links written before the chain was keyed: anyone can recompute it, so it only proves order. */
export function linkHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256(linkContent(row));
}

/** A link's MAC: HMAC-SHA-256 with the server's audit key, which someone holding only the database cannot recompute. */
export function linkMac(key: Buffer, row: Omit<AuditRow, 'hash'>): string {
  return crypto.createHmac('sha256', key).update(linkContent(row)).digest('hex');
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
  await appendLinks(engine, trx, entries.map((entry) => ({ principal, entry })));
}

type Item = { principal: Principal | null; entry: AuditEntry };

/** The links that follow `last` (null: the chain is empty) for these entries, in order. */
function chainLinks(key: Buffer, last: { seq: number; hash: string } | null, items: readonly Item[]): AuditRow[] {
  let prev = last?.hash ?? GENESIS_HASH;
  let seq = last?.seq ?? 0;
  const links: AuditRow[] = [];
  for (const { principal, entry } of items) {
    const linked = { ...auditRow(principal, entry, prev), seq: ++seq };
    const link = { ...linked, hash: linkMac(key, linked) };
    links.push(link);
    prev = link.hash;
  }
  return links;
}

/** Appends entries, each with its own principal, in order: the chain locked and its last link read once. Returns the new last link. */
async function appendLinks(engine: Engine, trx: Trx, items: readonly Item[]): Promise<{ seq: number; hash: string } | null> {
  if (!items.length) return null;
  const key = auditKeyOf(engine);
  await engine.lockAuditChain(trx);
  const links = chainLinks(key, await lastAuditLink(trx), items);
  await insertAudit(trx, links);
  const last = links.at(-1);
  return last ? { seq: Number(last.seq), hash: last.hash } : null;
}

const itemsOf = (batch: readonly PendingAppend[]): Item[] => batch.flatMap((p) => p.entries.map((entry) => ({ principal: p.principal, entry })));

interface PendingAppend {
  principal: Principal | null;
  entries: readonly AuditEntry[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The most entries one group commit writes; the rest wait for the next. */
const GROUP_MAX_ENTRIES = 5_000;

/**
 * Group commit for audit entries that stand alone (reads of classified records): while one transaction commits, the
 * appends that arrive queue up, and the next transaction writes them all with one sync. A lone request is written at
 * once (no timer to wait on); under load the window is the previous commit. Each caller's promise settles when the
 * transaction holding its entries has committed (or failed), so no answer leaves before its entry is durable.
 *
 * The transactions run on `engine.auditTransaction`, ahead of the requests waiting for a connection (a commit is what a
 * whole batch of held answers waits for; behind them each read would queue twice, for its query and for its entry), and
 * a batch is taken once the transaction holds the chain, so that it carries every append that arrived meanwhile. Links
 * are written in the order the appends were asked for.
 */
class AuditGroupCommit {
  private queue: PendingAppend[] = [];
  private draining = false;
  /**
   * The chain's last link as this group commit last wrote it: where the engine has `appendAuditAfter`, the
   * next batch is chained to it and written in one round trip, unless another writer appended since (then the batch
   * goes through a transaction that reads the chain's last link again).
   */
  private head: { seq: number; hash: string } | null = null;

  constructor(private readonly engine: Engine) {}

  append(principal: Principal | null, entries: readonly AuditEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ principal, entries, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** The next batch: the oldest appends, up to GROUP_MAX_ENTRIES entries (at least one append). */
  private take(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    let size = 0;
    while (this.queue.length && (batch.length === 0 || size + (this.queue[0]?.entries.length ?? 0) <= GROUP_MAX_ENTRIES)) {
      const next = this.queue.shift() as PendingAppend;
      batch.push(next);
      size += next.entries.length;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        if (await this.appendAfterHead()) continue;
        let batch = null as PendingAppend[] | null;
        try {
          await this.engine.auditTransaction(async (trx) => {
            await this.engine.lockAuditChain(trx);
            batch = this.take();
            this.head = await appendLinks(this.engine, trx, itemsOf(batch));
          });
          for (const p of batch ?? []) p.resolve();
        } catch (e) {
          this.head = null;
          // A transaction that failed before it took its batch fails the appends it was opened for.
          for (const p of batch ?? this.take()) p.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * The next batch chained to the last link this group commit wrote, in one statement (engine.appendAuditAfter); true
   * when it was written and its appends resolved. Otherwise (no such statement, no link known, another writer appended
   * since, or the statement failed) the batch goes back at the head of the queue for a transaction: a failure here never
   * answers a read without its entry, at worst an entry is written twice.
   */
  private async appendAfterHead(): Promise<boolean> {
    const head = this.head;
    if (!head || !this.engine.appendAuditAfter) return false;
    const batch = this.take();
    const links = chainLinks(auditKeyOf(this.engine), head, itemsOf(batch));
    const last = links.at(-1);
    const written = await this.engine.appendAuditAfter(head, links).catch(() => false);
    if (!written || !last) {
      this.head = null;
      this.queue.unshift(...batch);
      return false;
    }
    this.head = { seq: Number(last.seq), hash: last.hash };
    for (const p of batch) p.resolve();
    return true;
  }
}

const groupCommits = new WeakMap<Engine, AuditGroupCommit>();

/**
 * Appends entries in a transaction of their own, shared with the other appends waiting at that moment (group commit);
 * resolves once they are committed. For audit entries that go with no change (reads); a change's entries go in its
 * own transaction through `recordAudit`.
 */
export function appendAuditDurably(engine: Engine, principal: Principal | null, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return Promise.resolve();
  let group = groupCommits.get(engine);
  if (!group) {
    group = new AuditGroupCommit(engine);
    groupCommits.set(engine, group);
  }
  return group.append(principal, entries);
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

/** A record as the read audit needs it: enough to decide whether its read is audited and who may review that. */
export interface ReadRecord {
  id: string;
  /** Level (0–3) or name (`confidential`). */
  classification_level: number | string;
  sharing_scope: string | null;
  reporting_state: string | null;
}

const LEVEL_NAMES = ['public', 'restricted', 'confidential', 'secret'];
const levelOf = (l: number | string): number => (typeof l === 'number' ? l : LEVEL_NAMES.indexOf(l));

/**
 * Records, durably (group commit, `appendAuditDurably`) and before the answer leaves, one audit entry per confidential or secret record in
 * an answer (`AUDITED_READ_LEVEL`): every path that returns classified content calls this with the rows it returns.
 * The system principal (CLI, jobs) is not audited per read.
 */
export async function auditClassifiedReads(
  engine: Engine, principal: Principal, rows: readonly ReadRecord[], action: string, objectType = 'incident',
): Promise<void> {
  if (principal.kind === 'system') return;
  const seen = new Set<string>();
  const entries: AuditEntry[] = [];
  for (const r of rows) {
    const level = levelOf(r.classification_level);
    if (level < AUDITED_READ_LEVEL || seen.has(r.id)) continue;
    seen.add(r.id);
    entries.push({ action, objectType, objectId: r.id, classificationLevel: level, sharingScope: r.sharing_scope, ownerState: r.reporting_state });
  }
  await appendAuditDurably(engine, principal, entries);
}

export type ChainProblem = 'tampered' | 'broken_link' | 'gap' | 'unkeyed';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The last link checked (the head when the chain is intact). */
  head: { seq: number; hash: string } | null;
  /** The first entry found broken, and why. */
  firstBad?: { seq: number; problem: ChainProblem };
}

interface Walk extends VerifyResult {
  /** The seq of the first keyed link, or null when no link is keyed (an empty chain, or one written before keys). */
  keyedFrom: number | null;
}

/**
 * Walks the chain in order. Links are unkeyed (plain SHA-256) only in a prefix written before the chain was keyed:
 * the chain turns keyed at its first link or at the `audit.chain_keyed` entry, and every link after must carry the
 * keyed MAC. A link recomputed with the plain function after that point is reported as tampered.
 */
async function walkChain(trx: Trx, key: Buffer, onProgress?: (checked: number) => void, start?: { seq: number; hash: string }): Promise<Walk> {
  let prevHash = start?.hash ?? GENESIS_HASH;
  let prevSeq = start?.seq ?? 0;
  let checked = 0;
  // A walk from a checkpoint starts in a keyed chain: checkpoints are only ever written of keyed chains.
  let keyedFrom: number | null = start ? start.seq + 1 : null;
  const at = () => (checked || start ? { seq: prevSeq, hash: prevHash } : null);
  const fail = (seq: number, problem: ChainProblem): Walk => ({ ok: false, checked, head: at(), keyedFrom, firstBad: { seq, problem } });
  for (;;) {
    const page = await auditPage(trx, prevSeq, 5000);
    if (page.length === 0) return { ok: true, checked, head: at(), keyedFrom };
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== prevSeq + 1) return fail(seq, 'gap');
      if (row.prev_hash !== prevHash) return fail(seq, 'broken_link');
      if (keyedFrom === null && (seq === 1 || row.action === KEYED_MARKER) && linkMac(key, row) === row.hash) keyedFrom = seq;
      else if (keyedFrom !== null ? linkMac(key, row) !== row.hash : row.action === KEYED_MARKER || linkHash(row) !== row.hash) return fail(seq, 'tampered');
      prevHash = row.hash;
      prevSeq = seq;
      checked++;
    }
    onProgress?.(checked);
  }
}

/**
 * Walks the whole chain and reports the first tampered, deleted, reordered or unkeyed entry: every link must carry
 * the server's MAC (after a prefix written before keys existed, sealed by the `audit.chain_keyed` entry).
 */
export async function verifyAuditChain(
  engine: Engine, onProgress?: (checked: number) => void, key: Buffer = auditKeyOf(engine), trx: Trx = engine.db,
): Promise<VerifyResult> {
  const walk = await walkChain(trx, key, onProgress);
  const { keyedFrom, ...result } = walk;
  if (result.ok && result.checked > 0 && keyedFrom === null) return { ...result, ok: false, firstBad: { seq: 1, problem: 'unkeyed' } };
  return result;
}

/**
 * Verifies only the links after a trusted point (a checkpoint): that the link at `from.seq` still has `from.hash`, and
 * every later link its keyed MAC. What a periodic checkpoint costs: the links written since the last one.
 */
export async function verifyAuditChainFrom(engine: Engine, from: { seq: number; hash: string }): Promise<VerifyResult> {
  const key = auditKeyOf(engine);
  const anchor = await findAuditLink(engine.db, from.seq);
  if (!anchor) return { ok: false, checked: 0, head: null, firstBad: { seq: from.seq, problem: 'gap' } };
  if (anchor.hash !== from.hash) return { ok: false, checked: 0, head: null, firstBad: { seq: from.seq, problem: 'tampered' } };
  const { keyedFrom: _k, ...result } = await walkChain(engine.db, key, undefined, from);
  return result;
}

/** The chain's head as stored (not verified): what a checkpoint records. */
export async function auditHead(trx: Trx): Promise<{ seq: number; hash: string } | null> {
  return lastAuditLink(trx);
}

/** The stored link at a seq, to compare with a checkpoint. */
export async function auditLinkAt(trx: Trx, seq: number): Promise<{ seq: number; hash: string } | null> {
  return findAuditLink(trx, seq);
}

export type UpgradeOutcome = 'empty' | 'keyed' | 'upgraded' | 'refused';

/**
 * Upgrades a chain written before links were keyed, once: the unkeyed links are verified with the plain hash and
 * then sealed by one keyed `audit.chain_keyed` entry whose link covers the old head (it is the next link's prev_hash),
 * so a later edit of the old links breaks the keyed chain. Refused (the chain is left as it is, and verify reports
 * it) when it does not verify, or when `allowed` is false: a checkpoint file that already holds checkpoints means this
 * chain was keyed once, and an unkeyed chain now is one someone rewrote.
 */
export async function upgradeAuditChain(engine: Engine, allowed: boolean): Promise<{ outcome: UpgradeOutcome; entries: number }> {
  const key = auditKeyOf(engine);
  return engine.writeTransaction(async (trx) => {
    await engine.lockAuditChain(trx);
    const last = await lastAuditLink(trx);
    if (!last) return { outcome: 'empty' as const, entries: 0 };
    const head = await auditPage(trx, last.seq - 1, 1);
    if (head[0] && linkMac(key, head[0]) === head[0].hash) return { outcome: 'keyed' as const, entries: last.seq };
    if (!allowed) return { outcome: 'refused' as const, entries: last.seq };
    const walk = await walkChain(trx, key);
    if (!walk.ok || walk.keyedFrom !== null) return { outcome: 'refused' as const, entries: last.seq };
    await recordAudit(engine, trx, null, {
      action: KEYED_MARKER,
      details: { unkeyed_entries: walk.checked, unkeyed_head: walk.head?.hash ?? GENESIS_HASH },
    });
    return { outcome: 'upgraded' as const, entries: walk.checked };
  });
}

/** A reviewer's filters: those of the repository, less what the reader's principal decides (clearance, state). */
export type AuditListQuery = Omit<AuditFilter, 'clearance' | 'organisation' | 'limit'> & { limit?: number };

/**
 * The audit trail as a reviewer may see it, filtered in SQL: an entry whose subject is classified above the reader's
 * clearance is never shown (reads included); confederation staff (and the operator) see every state's entries, a
 * state's reviewers those by their state's users or about their state's records.
 */
export async function listAuditEvents(engine: Engine, principal: Principal, q: AuditListQuery): Promise<{ items: AuditRow[]; next: number | null }> {
  requirePermission(principal, 'audit.read');
  const limit = q.limit ?? 100;
  const filter: AuditFilter = {
    ...q,
    limit: limit + 1,
    clearance: principal.clearance,
    organisation: principal.kind === 'system' || principal.organisation === 'CONF' ? null : principal.organisation,
  };
  const rows = await listAudit(engine.db, filter);
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? Number(items.at(-1)?.seq) : null };
}
