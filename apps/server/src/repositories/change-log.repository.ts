import type { Principal } from '@vigie/domain';
import type { Trx } from '../db/engine.js';
import { versionVisibleTo } from './visibility.js';

export interface ChangeLogRow {
  seq: number;
  entity_type: string;
  entity_id: string;
  op: string;
  changed_at: string;
}

/** Appends entries in order and returns the last seq written (0: none); the caller holds the change-log lock (Engine.lockChangeLog) in the same transaction. */
export async function insertChanges(trx: Trx, rows: readonly Omit<ChangeLogRow, 'seq'>[]): Promise<number> {
  let last = 0;
  for (let i = 0; i < rows.length; i += 500) {
    for (const r of await trx.insertInto('change_log').values(rows.slice(i, i + 500)).returning('seq').execute()) last = Math.max(last, Number(r.seq));
  }
  return last;
}

/** Entries after `since`, in seq order (keyset on the primary key). */
export async function changesSince(trx: Trx, since: number, limit: number): Promise<ChangeLogRow[]> {
  const rows = await trx.selectFrom('change_log').selectAll().where('seq', '>', since).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The last seq written (0 for an empty log). */
export async function lastChangeSeq(trx: Trx): Promise<number> {
  const row = await trx.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** How many entries name this record (tests and the operator's checks). */
export async function changesOf(trx: Trx, type: string, id: string): Promise<ChangeLogRow[]> {
  const rows = await trx.selectFrom('change_log').selectAll().where('entity_type', '=', type).where('entity_id', '=', id).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * Those of these incidents of which at least one stored version was visible to the reader on its own values: a record
 * they may have mirrored, so one they cannot see now is answered with a tombstone (others are left out: their id
 * never reaches a reader who could not have known it).
 */
export async function incidentsOnceVisible(trx: Trx, principal: Principal, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await trx.selectFrom('incident_versions as v').select('v.incident_id').distinct()
      .where('v.incident_id', 'in', ids.slice(i, i + 1000)).where((eb) => versionVisibleTo(principal, eb)).execute();
    for (const r of rows) out.add(r.incident_id);
  }
  return out;
}
