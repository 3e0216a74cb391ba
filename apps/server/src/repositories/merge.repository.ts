import type { Incident } from '@vigie/domain';
import type { Insertable, Selectable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { IncidentMergesTable } from '../db/schema.js';
import { decodeSnapshot } from './incident-codec.js';

export type MergeRow = Selectable<IncidentMergesTable>;

export async function insertMerge(trx: Trx, row: Insertable<IncidentMergesTable>): Promise<void> {
  await trx.insertInto('incident_merges').values(row).execute();
}

/** The latest merge of a record into another, undone or not. */
export const lastMergeOf = (trx: Trx, mergedId: string) =>
  trx.selectFrom('incident_merges').selectAll().where('merged_id', '=', mergedId).orderBy('merged_at', 'desc').orderBy('id', 'desc').executeTakeFirst();

export async function markMergeUndone(trx: Trx, id: string, by: string | null, at: string): Promise<void> {
  await trx.updateTable('incident_merges').set({ undone_by: by, undone_at: at }).where('id', '=', id).execute();
}

/** One stored version's record, decoded (no visibility rule: the write path, after the service checked access). */
export async function versionRecord(trx: Trx, incidentId: string, version: number): Promise<Incident | undefined> {
  const row = await trx.selectFrom('incident_versions').select(['snapshot']).where('incident_id', '=', incidentId).where('version', '=', version).executeTakeFirst();
  return row ? decodeSnapshot(row.snapshot).record : undefined;
}
