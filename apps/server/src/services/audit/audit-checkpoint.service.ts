import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, nowIso } from '../../lib/ids.js';
import { auditHead, auditLinkAt, verifyAuditChain, verifyAuditChainFrom, type VerifyResult } from './audit.service.js';
import type { Ctx } from '../context.js';

/**
 * Signed checkpoints of the audit chain's head, appended to a file beside the data (outside the database): someone who
 * can write to the database can delete the newest entries, or rewrite the chain, but not sign a checkpoint that agrees
 * with it. `vigie audit verify` compares the chain with the last checkpoint, and operators may keep a head elsewhere.
 */
export interface Checkpoint {
  v: 1;
  /** Entries in the chain (seqs run from 1 without gaps, so this equals seq). */
  count: number;
  seq: number;
  hash: string;
  at: string;
  /** Why it was written: serve, shutdown, cli, manual, rekey, restore, backup. */
  reason: string;
  /** HMAC-SHA-256 with the audit key over the fields above. */
  mac: string;
}

type Unsigned = Omit<Checkpoint, 'mac'>;

const macOf = (key: Buffer, c: Unsigned): string =>
  crypto.createHmac('sha256', key).update(`vigie audit checkpoint\n${canonicalJson([c.v, c.count, c.seq, c.hash, c.at, c.reason])}`).digest('hex');

/** Signs a checkpoint of a head. */
export function signCheckpoint(key: Buffer, head: { seq: number; hash: string }, reason: string, at = nowIso()): Checkpoint {
  const c: Unsigned = { v: 1, count: head.seq, seq: head.seq, hash: head.hash, at, reason };
  return { ...c, mac: macOf(key, c) };
}

/** True when a checkpoint's MAC is the one this server's key gives. */
export function checkpointValid(key: Buffer, c: Checkpoint): boolean {
  if (!c || c.v !== 1 || typeof c.mac !== 'string' || !/^[0-9a-f]{64}$/.test(c.mac)) return false;
  const expected = macOf(key, c);
  return crypto.timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(c.mac, 'hex'));
}

export class CheckpointError extends Error {}

/** The last checkpoint in the file (null when there is none); a last line that is not a signed checkpoint throws. */
export function readLastCheckpoint(ctx: Ctx, file = ctx.settings.auditCheckpointFile): Checkpoint | null {
  if (!file || !fs.existsSync(file)) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 8192);
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, size - length);
    const line = buf.toString('utf8').trimEnd().split('\n').at(-1)?.trim();
    if (!line) return null;
    let c: Checkpoint;
    try {
      c = JSON.parse(line) as Checkpoint;
    } catch {
      throw new CheckpointError(`${file}: the last line is not a checkpoint`);
    }
    if (!checkpointValid(ctx.keys.audit, c)) throw new CheckpointError(`${file}: the last checkpoint's signature is wrong (forged, or signed with another key)`);
    return c;
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends a line to the file (created 0600, its directory 0700), flushed to disk before returning. */
function appendLine(file: string, c: Checkpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    if (fs.fstatSync(fd).mode & 0o077) fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, `${JSON.stringify(c)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a checkpoint of the chain's head when it moved since the last one (always for `manual`): only after checking
 * that the chain still holds the last checkpoint's link and that every link since carries its MAC (the whole chain
 * when there is no checkpoint yet), so a checkpoint never vouches for a chain someone cut or rewrote. A `restore`
 * checkpoint starts afresh from the restored chain, which the restore has verified. Returns null when checkpoints are
 * off or the chain is empty; throws a CheckpointError when the chain disagrees.
 */
export async function writeCheckpoint(ctx: Ctx, reason: string): Promise<Checkpoint | null> {
  const file = ctx.settings.auditCheckpointFile;
  if (!file) return null;
  const last = reason === 'restore' ? null : readLastCheckpoint(ctx, file);
  const stored = await auditHead(ctx.engine.db);
  if (!stored) {
    if (last) throw new CheckpointError(`the audit chain is empty but the last checkpoint records ${last.count} entries`);
    return null;
  }
  if (last && reason !== 'manual' && last.seq === stored.seq && last.hash === stored.hash) return last;
  const res = last ? await verifyAuditChainFrom(ctx.engine, last) : await verifyAuditChain(ctx.engine);
  if (!res.ok || !res.head) {
    throw new CheckpointError(`checkpoint not written: the audit chain does not verify at entry ${res.firstBad?.seq} (${res.firstBad?.problem})`);
  }
  if (last && res.head.seq < last.seq) throw new CheckpointError(`checkpoint not written: the chain holds ${res.head.seq} entries, the last checkpoint ${last.count}`);
  const c = signCheckpoint(ctx.keys.audit, res.head, reason);
  appendLine(file, c);
  return c;
}

/**
 * Writes a checkpoint at start (a new database gets its first one at once), every `everyMs` when the chain moved, and a
 * last one at stop (after any write in progress); problems go to `log`.
 */
export function startCheckpointSchedule(ctx: Ctx, log: (message: string) => void, everyMs = 60_000): () => Promise<void> {
  let pending: Promise<void> | null = null;
  const tick = (reason: string): Promise<void> => {
    pending ??= writeCheckpoint(ctx, reason)
      .then(() => undefined, (e: Error) => log(`vigie: audit: ${e.message}`))
      .finally(() => { pending = null; });
    return pending;
  };
  void tick('serve');
  const timer = setInterval(() => void tick('serve'), everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (pending) await pending;
    await tick('shutdown');
  };
}

export type HeadCheck = 'ok' | 'truncated' | 'mismatch';

/** Compares a verified chain with a head recorded earlier (a checkpoint, or one the operator kept). */
export async function compareWithHead(ctx: Ctx, chain: VerifyResult, head: { seq: number; hash: string }): Promise<HeadCheck> {
  if (!chain.head || chain.head.seq < head.seq) return 'truncated';
  const link = await auditLinkAt(ctx.engine.db, head.seq);
  return link?.hash === head.hash ? 'ok' : 'mismatch';
}

export interface TrailReport {
  chain: VerifyResult;
  /** The last checkpoint and how the chain compares with it (`none` when there is none, `forged` when its signature is wrong). */
  checkpoint: { status: HeadCheck | 'none' | 'forged'; last?: Checkpoint; message?: string };
  expected?: HeadCheck;
  ok: boolean;
}

/** `vigie audit verify`: the chain's links, then its head against the last checkpoint and against `expect`. */
export async function verifyAuditTrail(ctx: Ctx, opts: { expect?: { seq: number; hash: string }; onProgress?: (n: number) => void } = {}): Promise<TrailReport> {
  const chain = await verifyAuditChain(ctx.engine, opts.onProgress);
  let checkpoint: TrailReport['checkpoint'];
  try {
    const last = readLastCheckpoint(ctx);
    checkpoint = last ? { status: await compareWithHead(ctx, chain, last), last } : { status: 'none' };
  } catch (e) {
    checkpoint = { status: 'forged', message: (e as Error).message };
  }
  const expected = opts.expect ? await compareWithHead(ctx, chain, opts.expect) : undefined;
  const ok = chain.ok && (checkpoint.status === 'ok' || checkpoint.status === 'none') && (expected === undefined || expected === 'ok');
  return { chain, checkpoint, expected, ok };
}
