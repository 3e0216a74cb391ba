/**
 * Sends the outbox, oldest first; the server's answer decides each item's next state (outbox-state.ts). An item is
 * deleted only after a 201 or 200. With more than one item due, they go in batches (POST /api/v1/incidents/batch, up
 * to BATCH_ITEMS reports, each answered on its own): a queue of a thousand reports is a few requests, not a thousand
 * round trips. A batch the server cannot take as a whole (a 5xx, or a server without the batch route) is sent again
 * one report at a time, so that one report the server chokes on never holds back the others. Runs in the page and in
 * Node (the bench) alike: the HTTP calls are handed in.
 */
import { afterReportSent, classifyStatus, dueItems, recover, settle, startSending, unsentFiles, type OutboxError, type OutboxFile, type OutboxItem, type SendOutcome } from './outbox-state';
import type { OutboxStore } from './outbox-store';

/** One HTTP answer: status and parsed JSON body (a problem+json for errors). Throws on a network error or timeout. */
export type PostIncident = (payload: Record<string, unknown>, signal: AbortSignal) => Promise<{ status: number; body: unknown }>;
/** POST /api/v1/incidents/batch with `{ items: payloads }`: the answer's body holds one result per item, in order. */
export type PostIncidents = (payloads: Record<string, unknown>[], signal: AbortSignal) => Promise<{ status: number; body: unknown }>;
/** Reads the server's record of an id, for a conflict's difference; null when the user may not read it. */
export type GetIncident = (id: string) => Promise<Record<string, unknown> | null>;

/** POST /api/v1/incidents/:id/attachments with the file under its client id (a resend answers 200). */
export type PostFile = (incidentId: string, file: OutboxFile, signal: AbortSignal) => Promise<{ status: number; body: unknown }>;

export interface SenderDeps {
  post: PostIncident;
  /** Sends a report's files once the report is confirmed; without it, files wait. */
  postFile?: PostFile;
  /** When given, two or more due items go in batches. */
  postBatch?: PostIncidents;
  getIncident?: GetIncident;
  now?: () => number;
  random?: () => number;
  timeoutMs?: number;
}

/** Reports per batch, and the most bytes of JSON one batch carries (the server takes 200 reports and 1 MiB). */
export const BATCH_ITEMS = 100;
export const BATCH_BYTES = 512 * 1024;

export interface FlushResult {
  sent: number;
  retry: number;
  rejected: number;
  conflict: number;
  /** The session expired: the queue waits for a new sign-in. */
  unauthenticated: boolean;
  /** The network is down: the pass stopped at the first failure. */
  offline: boolean;
  /** Files the server confirmed in this pass. */
  files?: number;
}

function problemOf(status: number | null, body: unknown, fallback: string): OutboxError {
  const p = (body && typeof body === 'object' ? body : {}) as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
  const fields = Array.isArray(p.errors) ? (p.errors as { field: string; message: string }[]).map((e) => ({ field: String(e.field), message: String(e.message) })) : undefined;
  return {
    status,
    code: typeof p.code === 'string' ? p.code : fallback,
    message: typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : '',
    ...(fields?.length ? { fields } : {}),
  };
}

/** What an answer (a whole request's, or one item's within a batch) means for the item. */
async function outcomeOf(item: OutboxItem, status: number, body: unknown, deps: SenderDeps): Promise<SendOutcome> {
  const kind = classifyStatus(status);
  if (kind === 'sent' || kind === 'unauthenticated') return { kind };
  const error = problemOf(status, body, kind === 'retry' ? 'server_error' : 'rejected');
  if (kind === 'conflict') {
    const server = deps.getIncident ? await deps.getIncident(item.id).catch(() => null) : null;
    return { kind, error, server };
  }
  return { kind, error };
}

/** Runs one HTTP call with the timeout; a network error or a timeout is a `retry` outcome. */
async function call<T>(deps: SenderDeps, fn: (signal: AbortSignal) => Promise<T>): Promise<T | { failed: OutboxError }> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), deps.timeoutMs ?? 30_000);
  try {
    return await fn(ctrl.signal);
  } catch (e) {
    return { failed: { status: null, code: ctrl.signal.aborted ? 'timeout' : 'network', message: (e as Error).message ?? '' } };
  } finally {
    clearTimeout(timer);
  }
}
const failed = (x: unknown): x is { failed: OutboxError } => !!x && typeof x === 'object' && 'failed' in x;

/** One attempt for one item. */
export async function sendOnce(item: OutboxItem, deps: SenderDeps): Promise<SendOutcome> {
  const res = await call(deps, (signal) => deps.post(item.payload, signal));
  if (failed(res)) return { kind: 'retry', error: res.failed };
  return outcomeOf(item, res.status, res.body, deps);
}

/** Counts an outcome; true when the pass must stop (signed out, or no network: the next items would fail alike). */
function tally(result: FlushResult, outcome: SendOutcome): boolean {
  if (outcome.kind === 'sent') result.sent += 1;
  else if (outcome.kind === 'unauthenticated') { result.unauthenticated = true; return true; }
  else result[outcome.kind] += 1;
  if (outcome.kind === 'retry' && outcome.error.status === null) { result.offline = true; return true; }
  return false;
}

/** Sends items one request each; true when the pass must stop. */
async function sendEach(store: OutboxStore, items: readonly OutboxItem[], deps: SenderDeps, result: FlushResult): Promise<boolean> {
  const now = deps.now ?? Date.now;
  for (const item of items) {
    const sending = startSending(item, now());
    await store.put(sending);
    const outcome = await sendOnce(sending, deps);
    const next = afterReportSent(settle(sending, outcome, now(), deps.random), now());
    if (next.state === 'sent') await store.remove(next.id);
    else await store.put(next);
    if (tally(result, outcome)) return true;
  }
  return false;
}

/** Splits the due items into batches of at most BATCH_ITEMS items and about BATCH_BYTES of JSON. */
function batches(items: readonly OutboxItem[]): OutboxItem[][] {
  const out: OutboxItem[][] = [];
  let cur: OutboxItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item.payload).length;
    if (cur.length && (cur.length >= BATCH_ITEMS || bytes + size > BATCH_BYTES)) { out.push(cur); cur = []; bytes = 0; }
    cur.push(item);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

type BatchAnswer = { items: { index: number; status: number; problem?: unknown }[] };
const isBatchAnswer = (b: unknown, n: number): b is BatchAnswer =>
  !!b && typeof b === 'object' && Array.isArray((b as BatchAnswer).items) && (b as BatchAnswer).items.length === n;

/**
 * Sends one batch. Returns 'stop' (no network, signed out), 'each' (the server did not take the batch as a whole:
 * send its items one by one), or 'done' (every item settled from its own result).
 */
async function sendBatch(store: OutboxStore, items: readonly OutboxItem[], deps: SenderDeps, result: FlushResult): Promise<'stop' | 'each' | 'done'> {
  const now = deps.now ?? Date.now;
  const sending = items.map((i) => startSending(i, now()));
  await store.write(sending);
  const res = await call(deps, (signal) => (deps.postBatch as PostIncidents)(sending.map((i) => i.payload), signal));
  const settleAll = async (outcomes: SendOutcome[]) => {
    const next = sending.map((item, k) => afterReportSent(settle(item, outcomes[k] as SendOutcome, now(), deps.random), now()));
    await store.write(next.filter((n) => n.state !== 'sent'), next.filter((n) => n.state === 'sent').map((n) => n.id));
    return outcomes.map((o) => tally(result, o)).some(Boolean);
  };
  if (failed(res)) {
    await settleAll(sending.map(() => ({ kind: 'retry', error: res.failed })));
    return 'stop';
  }
  if (res.status === 401) {
    await settleAll(sending.map(() => ({ kind: 'unauthenticated' })));
    return 'stop';
  }
  if (res.status !== 200 || !isBatchAnswer(res.body, items.length)) {
    // Not taken as a whole (a 5xx, a route this server lacks, an answer we cannot read): back in the queue as they
    // were, then one request each.
    await store.write(items);
    return 'each';
  }
  const answers = res.body.items;
  const outcomes = await Promise.all(sending.map((item, k) => {
    const a = answers.find((x) => x.index === k);
    return a ? outcomeOf(item, a.status, a.problem, deps) : Promise.resolve<SendOutcome>({ kind: 'retry', error: { status: 200, code: 'missing_result', message: '' } });
  }));
  return (await settleAll(outcomes)) ? 'stop' : 'done';
}

/**
 * One pass over the queue. `force` (the "send now" button, coming back online) ignores the backoff. Items left in
 * `sending` by a closed tab are queued again first: their resend is idempotent on the server.
 */
export async function flushOutbox(store: OutboxStore, deps: SenderDeps, options: { force?: boolean } = {}): Promise<FlushResult> {
  const now = deps.now ?? Date.now;
  const result: FlushResult = { sent: 0, retry: 0, rejected: 0, conflict: 0, unauthenticated: false, offline: false };
  const stale = (await store.all()).filter((i) => i.state === 'sending');
  if (stale.length) await store.write(stale.map((i) => recover(i, now())));
  const due = dueItems((await store.all()), now(), options.force).filter((i) => !i.reportSent);
  if (await sendReports(store, due, deps, result)) return result;
  // Then the files of every report the server has confirmed (those just sent, and those whose files wait).
  if (!deps.postFile) return result;
  for (const item of dueItems((await store.all()), now(), options.force).filter((i) => i.reportSent)) {
    if (await sendFiles(store, item, deps, result)) break;
  }
  return result;
}

/** The reports' pass; true when it stopped (no network, signed out). */
async function sendReports(store: OutboxStore, due: OutboxItem[], deps: SenderDeps, result: FlushResult): Promise<boolean> {
  if (!deps.postBatch || due.length < 2) return sendEach(store, due, deps, result);
  for (const batch of batches(due)) {
    const how = await sendBatch(store, batch, deps, result);
    if (how === 'stop') return true;
    if (how === 'each') {
      const retries = result.retry;
      if (await sendEach(store, batch, deps, result)) return true;
      // Every one of them failed alone too: the server is failing, the rest waits for its backoff.
      if (result.retry - retries === batch.length) return false;
    }
  }
  return false;
}

/**
 * Sends the waiting files of a report the server has confirmed, one request each, under their client ids. Each file
 * settles on its own (received: its bytes dropped; 4xx: rejected; 409: conflict); a network error, a 5xx or a timeout
 * stops and the item goes back in the queue with its backoff, as a report would. The item leaves the outbox when every
 * file is received; with a file rejected or in conflict it takes that state, the reason shown. True when the pass stops.
 */
async function sendFiles(store: OutboxStore, item: OutboxItem, deps: SenderDeps, result: FlushResult): Promise<boolean> {
  const now = deps.now ?? Date.now;
  let cur = startSending(item, now());
  await store.put(cur);
  let stop: SendOutcome | null = null;
  for (const file of (cur.files ?? []).filter((f) => f.state === 'queued' && f.data)) {
    const res = await call(deps, (signal) => (deps.postFile as PostFile)(item.id, file, signal));
    const kind = failed(res) ? 'retry' : classifyStatus(res.status);
    if (kind === 'retry' || kind === 'unauthenticated') {
      stop = kind === 'unauthenticated' ? { kind } : { kind, error: failed(res) ? res.failed : problemOf(res.status, res.body, 'server_error') };
      break;
    }
    const answered = res as { status: number; body: unknown };
    const done: OutboxFile = kind === 'sent'
      ? { ...file, state: 'sent', data: null, lastError: null }
      : { ...file, state: kind, lastError: problemOf(answered.status, answered.body, kind) };
    if (kind === 'sent') result.files = (result.files ?? 0) + 1;
    cur = { ...cur, files: (cur.files ?? []).map((f) => (f.id === file.id ? done : f)) };
    await store.put(cur);
  }
  const left = unsentFiles(cur);
  const bad = left.find((f) => f.state === 'conflict') ?? left.find((f) => f.state === 'rejected');
  const outcome: SendOutcome = stop ?? (bad
    ? (bad.state === 'conflict' ? { kind: 'conflict', error: bad.lastError as OutboxError, server: null } : { kind: 'rejected', error: bad.lastError as OutboxError })
    : { kind: 'sent' });
  const next = settle(cur, outcome, now(), deps.random);
  if (next.state === 'sent') await store.remove(next.id);
  else await store.put(next);
  // The report itself was counted when it was sent.
  return outcome.kind === 'sent' ? false : tally(result, outcome);
}
