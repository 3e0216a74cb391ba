/**
 * The outbox in the page: one store per signed-in user, sent when the app starts, when the browser comes back online,
 * when a report is added, when its backoff is due and when the user asks. Only one tab sends at a time (Web Locks),
 * and only with a session of the same user (checked with /auth/me, which also gives the CSRF token).
 */
import { enqueue, newItem, type OutboxFile, type OutboxItem } from './outbox-state';
import { openOutbox, type OutboxStore } from './outbox-store';
import { flushOutbox, type FlushResult, type SenderDeps } from './outbox-sender';

interface Runner {
  userId: string;
  store: Promise<OutboxStore>;
  timer?: ReturnType<typeof setTimeout>;
  flushing?: Promise<FlushResult | null>;
  last?: FlushResult | null;
}

let runner: Runner | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((fn) => fn());

/** Called on every change of the outbox (an item added, sent, rejected…). */
export function onOutboxChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try { return text ? JSON.parse(text) : undefined; } catch { return undefined; }
}

/** The session's CSRF token, if the server knows this user now; 'other' when someone else is signed in. */
async function currentSession(userId: string): Promise<{ csrf: string } | 'unauthenticated' | 'other'> {
  const res = await fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) return 'unauthenticated';
  if (!res.ok) throw new Error(`auth/me: HTTP ${res.status}`);
  const me = (await res.json()) as { user: { id: string }; csrf_token: string };
  return me.user.id === userId ? { csrf: me.csrf_token } : 'other';
}

function browserDeps(csrf: string): SenderDeps {
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf, 'accept-language': document.documentElement.lang || 'fr' };
  return {
    async post(payload, signal) {
      const res = await fetch('/api/v1/incidents', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(payload), signal });
      return { status: res.status, body: await jsonOf(res) };
    },
    async postBatch(payloads, signal) {
      const res = await fetch('/api/v1/incidents/batch', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify({ items: payloads }), signal });
      return { status: res.status, body: await jsonOf(res) };
    },
    async postFile(incidentId, file, signal) {
      // The client id first, so the server knows it before it reads the bytes.
      const form = new FormData();
      form.append('id', file.id);
      form.append('file', new Blob([file.data as ArrayBuffer], { type: file.type }), file.name);
      const { 'content-type': _json, ...multipartHeaders } = headers;
      const res = await fetch(`/api/v1/incidents/${encodeURIComponent(incidentId)}/attachments`, { method: 'POST', headers: multipartHeaders, credentials: 'same-origin', body: form, signal });
      return { status: res.status, body: await jsonOf(res) };
    },
    async getIncident(id) {
      const res = await fetch(`/api/v1/incidents/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
    },
  };
}

/** One pass, under a lock shared by the user's tabs; null when another tab is sending or nothing could be tried. */
async function pass(r: Runner, force: boolean): Promise<FlushResult | null> {
  const run = async (): Promise<FlushResult | null> => {
    const store = await r.store;
    if (!(await store.all()).some((i) => i.state === 'queued' || i.state === 'sending')) return null;
    let session: Awaited<ReturnType<typeof currentSession>>;
    try {
      session = await currentSession(r.userId);
    } catch {
      return { sent: 0, retry: 0, rejected: 0, conflict: 0, unauthenticated: false, offline: true };
    }
    if (session === 'unauthenticated') return { sent: 0, retry: 0, rejected: 0, conflict: 0, unauthenticated: true, offline: false };
    if (session === 'other') return null;
    return flushOutbox(store, { ...browserDeps(session.csrf) }, { force });
  };
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return run();
  return locks.request(`vigie-outbox-${r.userId}`, { ifAvailable: true }, (lock) => (lock ? run() : null));
}

async function schedule(r: Runner): Promise<void> {
  if (r.timer) clearTimeout(r.timer);
  const queued = (await (await r.store).all()).filter((i) => i.state === 'queued');
  if (!queued.length) return;
  const next = Math.min(...queued.map((i) => i.nextAttemptAt));
  r.timer = setTimeout(() => void sendOutbox(), Math.max(1_000, next - Date.now()));
}

/** Sends what is due now (or everything queued with `force`); resolves when the pass is over. */
export async function sendOutbox(options: { force?: boolean } = {}): Promise<FlushResult | null> {
  const r = runner;
  if (!r) return null;
  if (r.flushing) await r.flushing.catch(() => null);
  r.flushing = pass(r, options.force ?? false).finally(() => { r.flushing = undefined; });
  try {
    r.last = await r.flushing;
    return r.last;
  } finally {
    notify();
    await schedule(r);
  }
}

const onOnline = () => void sendOutbox({ force: true });

/** Opens the user's outbox (once per user) and starts sending; asks the browser to keep the storage. */
export function startOutbox(userId: string): void {
  if (runner?.userId === userId) return;
  stopOutbox();
  runner = { userId, store: openOutbox(userId) };
  void navigator.storage?.persist?.().catch(() => false);
  window.addEventListener('online', onOnline);
  notify();
  void sendOutbox();
}

/** Closes the outbox (sign-out, another user): its items stay on the device for their owner. */
export function stopOutbox(): void {
  if (!runner) return;
  if (runner.timer) clearTimeout(runner.timer);
  window.removeEventListener('online', onOnline);
  void runner.store.then((s) => s.close());
  runner = null;
  notify();
}

/** The items, or null while no outbox is open (not yet started). */
export async function outboxItems(): Promise<OutboxItem[] | null> {
  if (!runner) return null;
  return (await runner.store).all();
}

export const lastFlush = () => runner?.last ?? null;

/** Adds a new report (or replaces the payload of one not yet delivered) and queues it; `draft` keeps it on the device. */
export async function putReport(id: string, payload: Record<string, unknown>, state: 'queued' | 'draft' = 'queued', files: OutboxFile[] = []): Promise<OutboxItem> {
  if (!runner) throw new Error('outbox not started');
  const store = await runner.store;
  const existing = await store.get(id);
  const now = Date.now();
  const item = existing ? (state === 'draft' ? { ...existing, payload: { ...payload, id }, state: 'draft' as const } : enqueue(existing, now, payload)) : newItem(id, payload, now, state);
  // Files added now join those already waiting with the report.
  if (files.length) item.files = [...(item.files ?? []), ...files];
  await store.put(item);
  notify();
  return item;
}

export async function removeItem(id: string): Promise<void> {
  if (!runner) return;
  await (await runner.store).remove(id);
  notify();
}

export async function addItems(items: OutboxItem[]): Promise<void> {
  if (!runner) return;
  const store = await runner.store;
  for (const i of items) await store.put(i);
  notify();
}

export async function getItem(id: string): Promise<OutboxItem | undefined> {
  return runner ? (await runner.store).get(id) : undefined;
}

/** Takes a waiting file out of its report's item (refused, or no longer wanted); the item goes when nothing waits. */
export async function removeFile(itemId: string, fileId: string): Promise<void> {
  if (!runner) return;
  const store = await runner.store;
  const item = await store.get(itemId);
  if (!item) return;
  const files = (item.files ?? []).filter((f) => f.id !== fileId);
  const waiting = files.filter((f) => f.state !== 'sent');
  if (item.reportSent && !waiting.length) await store.remove(itemId);
  else if (item.reportSent) {
    // The other files go on: back in the queue unless one of them is still refused or in conflict.
    const bad = waiting.find((f) => f.state === 'rejected' || f.state === 'conflict');
    await store.put(bad ? { ...item, files, state: bad.state, lastError: bad.lastError } : { ...enqueue({ ...item, state: item.state === 'sending' ? 'queued' : item.state }, Date.now()), files, lastError: null });
  } else await store.put({ ...item, files });
  notify();
  void sendOutbox({ force: true });
}
