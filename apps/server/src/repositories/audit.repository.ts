import type { Insertable, Selectable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { AuditEventsTable } from '../db/schema.js';

export type AuditRow = Selectable<AuditEventsTable>;
export type NewAuditRow = Insertable<AuditEventsTable>;

/** The last link of the chain, or null for an empty log. */
export async function lastAuditLink(trx: Trx): Promise<{ seq: number; hash: string } | null> {
  const row = await trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/** Appends links to the chain; many at once in statements of at most 1,000 rows (bulk imports). */
export async function insertAudit(trx: Trx, rows: NewAuditRow | NewAuditRow[]): Promise<void> {
  const all = Array.isArray(rows) ? rows : [rows];
  for (let i = 0; i < all.length; i += 1000) await trx.insertInto('audit_events').values(all.slice(i, i + 1000)).execute();
}

/** Audit rows in chain order, a page at a time, for verification. */
export async function auditPage(trx: Trx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return trx.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** The link at a seq (hash only), or null. */
export async function findAuditLink(trx: Trx, seq: number): Promise<{ seq: number; hash: string } | null> {
  const row = await trx.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '=', seq).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

export interface AuditFilter {
  /** The reader's clearance: entries about anything classified above it are never returned. */
  clearance: number;
  /** A national reader's organisation (null for confederation staff and the operator). */
  organisation: string | null;
  /** A login or a user id. */
  user?: string;
  objectType?: string;
  objectId?: string;
  action?: string;
  /** Inclusive lower and exclusive upper bounds on `at` (ISO 8601 UTC). */
  from?: string;
  to?: string;
  limit: number;
  beforeSeq?: number;
}

/**
 * Audit entries a reviewer may see, newest first, a keyset page at a time: never one about a record above their
 * clearance; for a national reviewer only the entries of their state's users or about their state's records.
 */
export async function listAudit(trx: Trx, q: AuditFilter): Promise<AuditRow[]> {
  let query = trx
    .selectFrom('audit_events')
    .selectAll()
    .where('classification_level', '<=', q.clearance)
    .orderBy('seq', 'desc')
    .limit(q.limit);
  if (q.organisation !== null) {
    const org = q.organisation;
    query = query.where((eb) => eb.or([eb('organisation', '=', org), eb('owner_state', '=', org)]));
  }
  if (q.user) {
    const user = q.user;
    query = query.where((eb) => eb.or([eb('login', '=', user), eb('user_id', '=', user)]));
  }
  if (q.objectType) query = query.where('object_type', '=', q.objectType);
  if (q.objectId) query = query.where('object_id', '=', q.objectId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeSeq) query = query.where('seq', '<', q.beforeSeq);
  return query.execute();
}
