import { z } from 'zod';
import { CHANGE_ENTITY_TYPES } from './audit-actions.js';

/** Most seconds a follower may wait for a change in one request (`wait=`). */
export const CHANGES_MAX_WAIT = 60;

/** `GET /api/v1/changes`: entries after `since`, a page of `limit`, waiting up to `wait` seconds when there are none yet. */
export const changesQuerySchema = z.strictObject({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('next_since of the previous page (0: from the start)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  wait: z.coerce.number().int().min(0).max(CHANGES_MAX_WAIT).default(0).describe('Seconds to wait for a change when there is none after `since` (long poll)'),
});
export type ChangesQuery = z.output<typeof changesQuerySchema>;

/** `GET /api/v1/changes/stream`: the feed as server-sent events from `since` (a `Last-Event-ID` header takes precedence). */
export const changesStreamQuerySchema = z.strictObject({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('Start after this seq (0: from the start); the Last-Event-ID header, when sent, wins'),
});

const entityType = z.enum(CHANGE_ENTITY_TYPES);

/** A record that changed, as the reader sees it now. */
export const changeRecordSchema = z.object({
  seq: z.number().int(),
  type: entityType,
  id: z.string(),
  op: z.string(),
  changed_at: z.string(),
  deleted: z.literal(false),
  record: z.unknown(),
});

/** A record that left the reader's view (merged away, rejected, classified above them, scope narrowed): delete it. */
export const changeTombstoneSchema = z.object({
  seq: z.number().int(),
  type: entityType,
  id: z.string(),
  deleted: z.literal(true),
  /** `merged` when it became a duplicate of `merged_into` (given when the reader sees the surviving record). */
  reason: z.enum(['merged', 'hidden']),
  merged_into: z.string().nullable(),
});

export const changesPageSchema = z.object({
  items: z.array(z.discriminatedUnion('deleted', [changeRecordSchema, changeTombstoneSchema])),
  /** Pass as `since` for the next page; equal to `since` when nothing new came. */
  next_since: z.number().int(),
  /** False when the page was full: more entries follow right away. */
  caught_up: z.boolean(),
  /** Digest of who the reader is (role, organisation, clearance): when it changes, rebuild the mirror from 0. */
  reader_view: z.string(),
});
export type ChangesPage = z.output<typeof changesPageSchema>;
export type ChangeItem = ChangesPage['items'][number];
