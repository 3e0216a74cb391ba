/**
 * The pending queue as a file, for a device that never gets a link: exported here, then imported in another browser
 * (same user) or on the server with `vigie import outbox FILE`. Both imports are idempotent: the ids travel with the items.
 */
import { newItem, type OutboxItem } from './outbox-state';

export const OUTBOX_FILE_FORMAT = 'vigie-outbox';
export const OUTBOX_FILE_VERSION = 1;

export interface OutboxFile {
  format: typeof OUTBOX_FILE_FORMAT;
  version: number;
  exported_at: string;
  user: { id: string; login: string };
  items: { id: string; payload: Record<string, unknown>; state: string; created_at: string }[];
}

/** Every item that has not reached the server (drafts, queued, rejected, conflicts). */
export function exportOutbox(items: readonly OutboxItem[], user: { id: string; login: string }, now: number): OutboxFile {
  return {
    format: OUTBOX_FILE_FORMAT, version: OUTBOX_FILE_VERSION, exported_at: new Date(now).toISOString(), user,
    items: items.filter((i) => i.state !== 'sent').map((i) => ({ id: i.id, payload: i.payload, state: i.state, created_at: i.createdAt })),
  };
}

export class OutboxFileError extends Error {}

/** Reads an exported file; throws OutboxFileError when it is not one. */
export function parseOutboxFile(text: string): OutboxFile {
  let data: unknown;
  try { data = JSON.parse(text); } catch { throw new OutboxFileError('not_json'); }
  const f = data as Partial<OutboxFile>;
  if (!f || f.format !== OUTBOX_FILE_FORMAT || !Array.isArray(f.items)) throw new OutboxFileError('not_outbox');
  if (typeof f.version !== 'number' || f.version > OUTBOX_FILE_VERSION) throw new OutboxFileError('newer_version');
  for (const i of f.items) if (!i || typeof i.id !== 'string' || !i.payload || typeof i.payload !== 'object') throw new OutboxFileError('bad_item');
  return f as OutboxFile;
}

/** The items of a file to add to this browser's queue: those not already in it, queued to send. */
export function itemsToImport(file: OutboxFile, existing: readonly OutboxItem[], now: number): OutboxItem[] {
  const have = new Set(existing.map((i) => i.id));
  return file.items.filter((i) => !have.has(i.id)).map((i) => ({ ...newItem(i.id, i.payload, now), createdAt: i.created_at ?? new Date(now).toISOString() }));
}
