/**
 * Sends the outbox: each due item is POSTed once at a time, oldest first; the server's answer decides its next state
 * (outbox-state.ts). An item is deleted only after a 201 or 200. Runs in the page and in Node (the bench) alike: the
 * HTTP call is handed in.
 */
import { classifyStatus, dueItems, recover, settle, startSending, type OutboxError, type OutboxItem, type SendOutcome } from './outbox-state';
import type { OutboxStore } from './outbox-store';

/** One HTTP answer: status and parsed JSON body (a problem+json for errors). Throws on a network error or timeout. */
export type PostIncident = (payload: Record<string, unknown>, signal: AbortSignal) => Promise<{ status: number; body: unknown }>;
/** Reads the server's record of an id, for a conflict's difference; null when the user may not read it. */
export type GetIncident = (id: string) => Promise<Record<string, unknown> | null>;

export interface SenderDeps {
  post: PostIncident;
  getIncident?: GetIncident;
  now?: () => number;
  random?: () => number;
  timeoutMs?: number;
}

export interface FlushResult {
  sent: number;
  retry: number;
  rejected: number;
  conflict: number;
  /** The session expired: the queue waits for a new sign-in. */
  unauthenticated: boolean;
  /** The network is down: the pass stopped at the first failure. */
  offline: boolean;
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

/** One attempt for one item. */
export async function sendOnce(item: OutboxItem, deps: SenderDeps): Promise<SendOutcome> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), deps.timeoutMs ?? 30_000);
  let res: { status: number; body: unknown };
  try {
    res = await deps.post(item.payload, ctrl.signal);
  } catch (e) {
    return { kind: 'retry', error: { status: null, code: ctrl.signal.aborted ? 'timeout' : 'network', message: (e as Error).message ?? '' } };
  } finally {
    clearTimeout(timer);
  }
  const kind = classifyStatus(res.status);
  if (kind === 'sent' || kind === 'unauthenticated') return { kind };
  const error = problemOf(res.status, res.body, kind === 'retry' ? 'server_error' : 'rejected');
  if (kind === 'conflict') {
    const server = deps.getIncident ? await deps.getIncident(item.id).catch(() => null) : null;
    return { kind, error, server };
  }
  return { kind, error };
}

/**
 * One pass over the queue. `force` (the "send now" button, coming back online) ignores the backoff. Items left in
 * `sending` by a closed tab are queued again first: their resend is idempotent on the server.
 */
export async function flushOutbox(store: OutboxStore, deps: SenderDeps, options: { force?: boolean } = {}): Promise<FlushResult> {
  const now = deps.now ?? Date.now;
  const result: FlushResult = { sent: 0, retry: 0, rejected: 0, conflict: 0, unauthenticated: false, offline: false };
  const items = await store.all();
  for (const stale of items.filter((i) => i.state === 'sending')) await store.put(recover(stale, now()));
  const due = dueItems((await store.all()), now(), options.force);
  for (const item of due) {
    const sending = startSending(item, now());
    await store.put(sending);
    const outcome = await sendOnce(sending, deps);
    const next = settle(sending, outcome, now(), deps.random);
    if (next.state === 'sent') await store.remove(next.id);
    else await store.put(next);
    if (outcome.kind === 'sent') result.sent += 1;
    else if (outcome.kind === 'unauthenticated') { result.unauthenticated = true; break; }
    else result[outcome.kind] += 1;
    // With no network, the next items would fail the same way: they keep their own schedule.
    if (outcome.kind === 'retry' && outcome.error.status === null) { result.offline = true; break; }
  }
  return result;
}
