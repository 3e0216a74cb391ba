/** The federation's tables (migration 20261202T1945-federation): key registry, cursors, foreign objects. */
import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool, Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { Database, FederationCursorsTable, FederationDeadLettersTable, FederationKeysTable, FederationObjectsTable } from '../db/schema.js';

export type KeyRow = FederationKeysTable;
export type CursorRow = FederationCursorsTable;
export type ForeignObjectRow = FederationObjectsTable;

export async function getKey(trx: Trx, nodeId: string, keyId: string): Promise<KeyRow | undefined> {
  return trx.selectFrom('federation_keys').selectAll().where('node_id', '=', nodeId).where('key_id', '=', keyId).executeTakeFirst();
}

export async function listKeys(trx: Trx): Promise<KeyRow[]> {
  return trx.selectFrom('federation_keys').selectAll().orderBy('node_id').orderBy('created_at').execute();
}

/** Adds a key, or does nothing when it is already registered (a revoked key stays revoked). */
export async function insertKey(trx: Trx, row: KeyRow): Promise<boolean> {
  const found = await getKey(trx, row.node_id, row.key_id);
  if (found) return false;
  await trx.insertInto('federation_keys').values(row).execute();
  return true;
}

export async function revokeKeyRow(trx: Trx, nodeId: string, keyId: string, at: string): Promise<number> {
  const r = await trx.updateTable('federation_keys').set({ status: 'revoked', revoked_at: at })
    .where('node_id', '=', nodeId).where('key_id', '=', keyId).where('status', '=', 'active').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function getCursor(trx: Trx, link: string): Promise<CursorRow | undefined> {
  const row = await trx.selectFrom('federation_cursors').selectAll().where('link', '=', link).executeTakeFirst();
  return row && { ...row, last_seq: Number(row.last_seq) };
}

export async function listCursors(trx: Trx): Promise<CursorRow[]> {
  const rows = await trx.selectFrom('federation_cursors').selectAll().orderBy('link').execute();
  return rows.map((r) => ({ ...r, last_seq: Number(r.last_seq) }));
}

/** Moves a cursor forward (never back) and clears its error. */
export async function advanceCursor(trx: Trx, link: string, seq: number, at: string): Promise<void> {
  const found = await getCursor(trx, link);
  if (!found) await trx.insertInto('federation_cursors').values({ link, last_seq: seq, last_at: at, last_error: null, last_error_at: null }).execute();
  else await trx.updateTable('federation_cursors').set({ last_seq: Math.max(seq, found.last_seq), last_at: at, last_error: null, last_error_at: null }).where('link', '=', link).execute();
}

/** Puts a cursor back to 0, for a full re-sync. */
export async function resetCursor(trx: Trx, link: string): Promise<void> {
  await trx.deleteFrom('federation_cursors').where('link', '=', link).execute();
}

export async function recordLinkError(trx: Trx, link: string, error: string, at: string): Promise<void> {
  const found = await getCursor(trx, link);
  if (!found) await trx.insertInto('federation_cursors').values({ link, last_seq: 0, last_at: null, last_error: error, last_error_at: at }).execute();
  else await trx.updateTable('federation_cursors').set({ last_error: error, last_error_at: at }).where('link', '=', link).execute();
}

export async function getForeignObject(trx: Trx, type: string, id: string): Promise<ForeignObjectRow | undefined> {
  return trx.selectFrom('federation_objects').selectAll().where('entity_type', '=', type).where('entity_id', '=', id).executeTakeFirst();
}

export async function upsertForeignObject(trx: Trx, row: ForeignObjectRow, exists: boolean): Promise<void> {
  if (!exists) await trx.insertInto('federation_objects').values(row).execute();
  else await trx.updateTable('federation_objects').set(row).where('entity_type', '=', row.entity_type).where('entity_id', '=', row.entity_id).execute();
}

/** Foreign objects, live ones first filtered by origin and type when given. */
export async function listForeignObjects(trx: Trx, o: { origin?: string; type?: string; includeDeleted?: boolean; limit?: number } = {}): Promise<ForeignObjectRow[]> {
  let q = trx.selectFrom('federation_objects').selectAll();
  if (o.origin) q = q.where('origin_node', '=', o.origin);
  if (o.type) q = q.where('entity_type', '=', o.type);
  if (!o.includeDeleted) q = q.where('deleted', '=', 0);
  const rows = await q.orderBy('origin_node').orderBy('origin_seq').limit(o.limit ?? 1_000_000).execute();
  return rows.map((r) => ({ ...r, version: r.version === null ? null : Number(r.version), origin_seq: Number(r.origin_seq), deleted: Number(r.deleted) }));
}

/**
 * Who-sees-what for a held copy, in SQL (the list, the alert page, the live stream, the inbox): live (not withdrawn),
 * never above the reader's clearance, never a national-scope copy. `clearance: null` (the system) sees every live copy.
 */
export function heldVisibleTo(clearance: number | null) {
  return (eb: ExpressionBuilder<Database, 'federation_objects'>): Expression<SqlBool> => eb.and([
    eb('federation_objects.deleted', '=', 0), eb('federation_objects.record', 'is not', null),
    ...(clearance === null ? [] : [
      eb('federation_objects.classification_level', '<=', clearance),
      eb.or([eb('federation_objects.sharing_scope', 'is', null), eb('federation_objects.sharing_scope', '<>', 'national')]),
    ]),
  ]);
}

/**
 * The same rule for a copy as it stood before it was withdrawn or changed (no longer stored as it was): whether a
 * reader cleared to `clearance` could see it then. Tells the live stream whom to tell that it is gone.
 */
export function heldWasVisibleTo(clearance: number | null, before: { level: number; scope: string | null }): boolean {
  return clearance === null || (before.level <= clearance && before.scope !== 'national');
}

/**
 * The live objects of a type held from other nodes that a reader cleared to `clearance` may see (who-sees-what, in
 * SQL: never above the clearance, never a national-scope copy); `ids` narrows to some. `clearance: null` reads all.
 */
export async function listHeldVisible(trx: Trx, o: { type: string; clearance: number | null; ids?: readonly string[] }): Promise<ForeignObjectRow[]> {
  let q = trx.selectFrom('federation_objects').selectAll().where('entity_type', '=', o.type).where(heldVisibleTo(o.clearance));
  if (o.ids) {
    if (!o.ids.length) return [];
    q = q.where('entity_id', 'in', o.ids);
  }
  const rows = await q.orderBy('origin_node').orderBy('origin_seq').execute();
  return rows.map((r) => ({ ...r, version: r.version === null ? null : Number(r.version), origin_seq: Number(r.origin_seq), deleted: Number(r.deleted), classification_level: Number(r.classification_level) }));
}

/** How many live foreign objects each origin holds here. */
export async function countForeignObjects(trx: Trx): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('federation_objects').select(['origin_node', (eb) => eb.fn.countAll<number>().as('n')]).where('deleted', '=', 0).groupBy('origin_node').execute();
  return new Map(rows.map((r) => [r.origin_node, Number(r.n)]));
}

/** The foreign objects held among these ids (any type), and which of the ids are this node's own incidents. */
export async function heldAndOwn(trx: Trx, ids: readonly string[]): Promise<{ held: ForeignObjectRow[]; own: Set<string> }> {
  const held: ForeignObjectRow[] = [];
  const own = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    held.push(...(await trx.selectFrom('federation_objects').selectAll().where('entity_id', 'in', chunk).execute()));
    for (const r of await trx.selectFrom('incidents').select('id').where('id', 'in', chunk).where('origin_node', 'is', null).execute()) own.add(r.id);
  }
  return { held, own };
}

/** Inserts new foreign objects, 200 a statement. */
export async function insertForeignObjects(trx: Trx, rows: readonly ForeignObjectRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('federation_objects').values(rows.slice(i, i + 200)).execute();
}

/** This node's own objects kept with the foreign ones (its replies to them), with an origin seq in (since, upto]. */
export async function ownObjectsBetween(trx: Trx, node: string, since: number, upto: number): Promise<ForeignObjectRow[]> {
  if (upto <= since) return [];
  const rows = await trx.selectFrom('federation_objects').selectAll().where('origin_node', '=', node)
    .where('origin_seq', '>', since).where('origin_seq', '<=', upto).orderBy('origin_seq').execute();
  return rows.map((r) => ({ ...r, version: r.version === null ? null : Number(r.version), origin_seq: Number(r.origin_seq), deleted: Number(r.deleted) }));
}

/** The owner of whichever of these ids is held here from another node (the read-only guard), if any. */
export async function foreignOwnerOf(trx: Trx, ids: readonly string[], self: string | null): Promise<{ id: string; owner: string } | undefined> {
  if (!ids.length) return undefined;
  let q = trx.selectFrom('federation_objects').select(['entity_id', 'origin_node']).where('entity_id', 'in', ids).where('deleted', '=', 0);
  if (self) q = q.where('origin_node', '!=', self);
  const row = await q.executeTakeFirst();
  return row && { id: row.entity_id, owner: row.origin_node };
}

/** The owner of a strategy held from another node of which one of these ids is an axis, objective or indicator. */
export async function foreignStrategyPartOwner(trx: Trx, ids: readonly string[]): Promise<{ id: string; owner: string } | undefined> {
  if (!ids.length) return undefined;
  for (const table of ['strategy_axes', 'strategy_objectives', 'strategy_indicators'] as const) {
    const row = await trx.selectFrom(table).innerJoin('federation_objects as f', (j) => j.onRef('f.entity_id', '=', `${table}.strategy_id`).on('f.entity_type', '=', 'strategy'))
      .select([`${table}.id as id`, 'f.origin_node as owner']).where(`${table}.id`, 'in', ids).executeTakeFirst();
    if (row) return row;
  }
  return undefined;
}

/** Records that this node's own objects were sent over its link (withdrawn later if they may no longer go). */
export async function markSent(trx: Trx, type: string, ids: readonly string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = [...new Set(ids.slice(i, i + 500))];
    const known = new Set((await trx.selectFrom('federation_sent').select('entity_id').where('entity_type', '=', type).where('entity_id', 'in', chunk).execute()).map((r) => r.entity_id));
    const fresh = chunk.filter((id) => !known.has(id));
    if (fresh.length) await trx.insertInto('federation_sent').values(fresh.map((id) => ({ entity_type: type, entity_id: id, sent_at: at }))).execute();
  }
}

/** Forgets that these objects were sent (their withdrawal went out). */
export async function unmarkSent(trx: Trx, type: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('federation_sent').where('entity_type', '=', type).where('entity_id', 'in', ids.slice(i, i + 500)).execute();
}

/** The ids of this node's own objects of a type sent over its link and not withdrawn since. */
export async function sentOfType(trx: Trx, type: string): Promise<string[]> {
  return (await trx.selectFrom('federation_sent').select('entity_id').where('entity_type', '=', type).execute()).map((r) => r.entity_id);
}

/** The latest change-log entry in (since, upto] of each object of these kinds that this node has sent over its link. */
export async function sentChangedBetween(trx: Trx, types: readonly string[], since: number, upto: number): Promise<{ seq: number; entity_type: string; entity_id: string }[]> {
  if (upto <= since || !types.length) return [];
  const rows = await trx.selectFrom('change_log as c')
    .innerJoin('federation_sent as s', (j) => j.onRef('s.entity_type', '=', 'c.entity_type').onRef('s.entity_id', '=', 'c.entity_id'))
    .select(['c.seq', 'c.entity_type', 'c.entity_id']).where('c.seq', '>', since).where('c.seq', '<=', upto).where('c.entity_type', 'in', types)
    .orderBy('c.seq').execute();
  const latest = new Map<string, { seq: number; entity_type: string; entity_id: string }>();
  for (const r of rows) {
    const key = `${r.entity_type}:${r.entity_id}`;
    latest.delete(key);
    latest.set(key, { ...r, seq: Number(r.seq) });
  }
  return [...latest.values()];
}

// ------------------------------------------------------------------------------------------- dead letters

export type DeadLetterRow = Selectable<FederationDeadLettersTable>;

export async function insertDeadLetter(trx: Trx, row: Insertable<FederationDeadLettersTable>): Promise<void> {
  await trx.insertInto('federation_dead_letters').values(row).execute();
}

/** The dead letters in a status, newest first (at most 1000). */
export const listDeadLettersIn = (trx: Trx, status: DeadLetterRow['status']) =>
  trx.selectFrom('federation_dead_letters').selectAll().where('status', '=', status).orderBy('parked_at', 'desc').limit(1000).execute();

export const getDeadLetter = (trx: Trx, id: string) => trx.selectFrom('federation_dead_letters').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateDeadLetter(trx: Trx, id: string, patch: Updateable<FederationDeadLettersTable>): Promise<void> {
  await trx.updateTable('federation_dead_letters').set(patch).where('id', '=', id).execute();
}

/** Marks a letter resolved (discarded) if it is still parked. */
export async function resolveParkedDeadLetter(trx: Trx, id: string, patch: Updateable<FederationDeadLettersTable>): Promise<void> {
  await trx.updateTable('federation_dead_letters').set(patch).where('id', '=', id).where('status', '=', 'parked').execute();
}
