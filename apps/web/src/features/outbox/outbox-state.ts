/**
 * The outbox's state machine, pure: an item is a report written on this device, waiting for the server to confirm it.
 * draft → queued → sending → sent (removed) | rejected | conflict; a network error, a 5xx or a timeout puts it back in
 * the queue with exponential backoff and jitter. Nothing expires by itself (STYLE.md "The offline outbox").
 */

export const OUTBOX_STATES = ['draft', 'queued', 'sending', 'sent', 'rejected', 'conflict'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Why the last attempt failed: the HTTP status (null for a network error or a timeout), the problem code and its text. */
export interface OutboxError {
  status: number | null;
  code: string;
  message: string;
  /** Field messages of a problem+json answer (a 422), shown next to the reason. */
  fields?: { field: string; message: string }[];
}

/**
 * A photo or PDF written with a report on this device: sent after the server has confirmed the report, under its own
 * UUIDv7 (the server stores it under that id, so a resend is idempotent). Its bytes are dropped once it is received.
 */
export interface OutboxFile {
  id: string;
  name: string;
  type: string;
  size: number;
  /** The bytes (an ArrayBuffer: IndexedDB keeps it; a Blob would not survive every browser's private mode); null once sent. */
  data: ArrayBuffer | null;
  state: 'queued' | 'sent' | 'rejected' | 'conflict';
  lastError: OutboxError | null;
}

export interface OutboxItem {
  /** The incident's id, chosen here (UUIDv7): sending it again can never create a second incident. */
  id: string;
  /** The body of POST /api/v1/incidents (with `id` and `status`). */
  payload: Record<string, unknown>;
  state: OutboxState;
  attempts: number;
  lastError: OutboxError | null;
  /** Epoch ms before which an automatic send leaves the item alone (backoff); "send now" ignores it. */
  nextAttemptAt: number;
  createdAt: string;
  updatedAt: string;
  /** For a conflict: the record the server holds under this id, when the user may read it. */
  server?: Record<string, unknown> | null;
  /** Photos and documents to send after the report (outbox attachments). */
  files?: OutboxFile[];
  /** The server has confirmed the report; the item stays for its files (its states then are the files'). */
  reportSent?: boolean;
}

/** What one attempt to send gave. */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; error: OutboxError }
  | { kind: 'rejected'; error: OutboxError }
  | { kind: 'conflict'; error: OutboxError; server?: Record<string, unknown> | null }
  /** The session is gone (401): nothing is lost, the item waits for the user to sign in again. */
  | { kind: 'unauthenticated' };

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 10 * 60_000;

/** Full-jitter exponential backoff: a random delay in [base·2^(attempts−1)/2, base·2^(attempts−1)], capped. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** How an HTTP answer to a create is treated. 200 (already received, same content) counts as delivered like 201. */
export function classifyStatus(status: number): SendOutcome['kind'] {
  if (status === 200 || status === 201) return 'sent';
  if (status === 401) return 'unauthenticated';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'rejected';
  return 'retry';
}

const nowIso = (now: number) => new Date(now).toISOString();

/** A new item: queued at once, or kept as a local draft. */
export function newItem(id: string, payload: Record<string, unknown>, now: number, state: 'draft' | 'queued' = 'queued'): OutboxItem {
  return { id, payload: { ...payload, id }, state, attempts: 0, lastError: null, nextAttemptAt: now, createdAt: nowIso(now), updatedAt: nowIso(now) };
}

export class OutboxTransitionError extends Error {}

function expect(item: OutboxItem, from: readonly OutboxState[], to: string): void {
  if (!from.includes(item.state)) throw new OutboxTransitionError(`outbox item ${item.id}: ${item.state} → ${to} is not allowed`);
}

/** queued (or rejected/conflict after an edit, or draft) → queued: ready to send now. */
export function enqueue(item: OutboxItem, now: number, payload?: Record<string, unknown>): OutboxItem {
  expect(item, ['draft', 'queued', 'rejected', 'conflict'], 'queued');
  return { ...item, ...(payload ? { payload: { ...payload, id: item.id } } : {}), state: 'queued', nextAttemptAt: now, updatedAt: nowIso(now), lastError: payload ? null : item.lastError, server: undefined };
}

/** Kept on the device, not sent: the user is still writing it (or edits a rejected one). */
export function toDraft(item: OutboxItem, now: number, payload?: Record<string, unknown>): OutboxItem {
  expect(item, ['draft', 'queued', 'rejected', 'conflict'], 'draft');
  return { ...item, ...(payload ? { payload: { ...payload, id: item.id } } : {}), state: 'draft', updatedAt: nowIso(now) };
}

/** queued → sending: one attempt starts. */
export function startSending(item: OutboxItem, now: number): OutboxItem {
  expect(item, ['queued'], 'sending');
  return { ...item, state: 'sending', attempts: item.attempts + 1, updatedAt: nowIso(now) };
}

/** sending → the attempt's result. `sent` items leave the outbox (the caller deletes them). */
export function settle(item: OutboxItem, outcome: SendOutcome, now: number, random: () => number = Math.random): OutboxItem {
  expect(item, ['sending'], outcome.kind);
  const at = nowIso(now);
  switch (outcome.kind) {
    case 'sent':
      return { ...item, state: 'sent', lastError: null, updatedAt: at };
    case 'retry':
      return { ...item, state: 'queued', lastError: outcome.error, nextAttemptAt: now + backoffMs(item.attempts, random), updatedAt: at };
    case 'unauthenticated':
      // Not the item's fault: the attempt does not count and it goes as soon as the user signs in again.
      return { ...item, state: 'queued', attempts: item.attempts - 1, nextAttemptAt: now, updatedAt: at, lastError: { status: 401, code: 'unauthenticated', message: '' } };
    case 'rejected':
      return { ...item, state: 'rejected', lastError: outcome.error, updatedAt: at };
    case 'conflict':
      return { ...item, state: 'conflict', lastError: outcome.error, server: outcome.server ?? null, updatedAt: at };
  }
}

/** An item left in `sending` by a closed tab: back in the queue (a resend is idempotent). */
export function recover(item: OutboxItem, now: number): OutboxItem {
  return item.state === 'sending' ? { ...item, state: 'queued', nextAttemptAt: now, updatedAt: nowIso(now) } : item;
}

/** Items an automatic pass sends now (due), or all queued ones when the user asks; oldest first. */
export function dueItems(items: readonly OutboxItem[], now: number, force = false): OutboxItem[] {
  return items.filter((i) => i.state === 'queued' && (force || i.nextAttemptAt <= now)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Files of an item the server has not received yet (queued, rejected or in conflict). */
export const unsentFiles = (item: OutboxItem): OutboxFile[] => (item.files ?? []).filter((f) => f.state !== 'sent');

/**
 * The item after the server confirmed its report: gone (sent) when no file waits, else back in the queue for its
 * files, now with `reportSent` (its report is never posted again).
 */
export function afterReportSent(item: OutboxItem, now: number): OutboxItem {
  if (item.state !== 'sent' || item.reportSent || !unsentFiles(item).length) return item;
  return { ...item, state: 'queued', reportSent: true, attempts: 0, lastError: null, nextAttemptAt: now, updatedAt: nowIso(now) };
}

/**
 * Counts by state, for the badge and the page. "Pending" is the reports that still have to reach the server; `files`
 * the photos and documents still to send (of reports waiting, or already received); `fileItems` the reports already
 * received whose files wait.
 */
export function countByState(items: readonly OutboxItem[]): Record<OutboxState, number> & { pending: number; files: number; fileItems: number; filesRefused: number } {
  const c = { draft: 0, queued: 0, sending: 0, sent: 0, rejected: 0, conflict: 0, pending: 0, files: 0, fileItems: 0, filesRefused: 0 };
  for (const i of items) {
    c.files += (i.files ?? []).filter((f) => f.state === 'queued').length;
    // A report already received: only its files are counted (waiting, or refused / in conflict).
    if (i.reportSent) {
      if (i.state === 'queued' || i.state === 'sending') c.fileItems += 1;
      c.filesRefused += (i.files ?? []).filter((f) => f.state === 'rejected' || f.state === 'conflict').length;
    } else c[i.state] += 1;
  }
  c.pending = c.queued + c.sending;
  return c;
}
