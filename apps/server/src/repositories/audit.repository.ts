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

export interface AuditQuery {
  clearance: number;
  organisation: string | null;
  objectType?: string;
  objectId?: string;
  action?: string;
  limit: number;
  beforeSeq?: number;
}

/** Audit entries a reader may see: never one about a record above their clearance or outside their sharing scope. */
export async function listAudit(trx: Trx, q: AuditQuery): Promise<AuditRow[]> {
  let query = trx
    .selectFrom('audit_events')
    .selectAll()
    .where('classification_level', '<=', q.clearance)
    .orderBy('seq', 'desc')
    .limit(q.limit);
  if (q.organisation !== null) {
    const org = q.organisation;
    query = query.where((eb) =>
      eb.or([eb('owner_state', 'is', null), eb('owner_state', '=', org), eb('sharing_scope', 'in', ['confederation', 'public'])]),
    );
  }
  if (q.objectType) query = query.where('object_type', '=', q.objectType);
  if (q.objectId) query = query.where('object_id', '=', q.objectId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.beforeSeq) query = query.where('seq', '<', q.beforeSeq);
  return query.execute();
}
