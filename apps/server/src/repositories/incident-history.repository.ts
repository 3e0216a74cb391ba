/**
 * An incident's history: each version is the full record after the change (exact point), with its coarse point for
 * readers who see it coarsened and the rule's columns as they were in that version (history is filtered on them, in SQL).
 */
import { CLASSIFICATIONS, SYSTEM, type Incident, type Principal } from '@vigie/domain';
import { sql, type Expression } from 'kysely';
import type { Trx } from '../db/engine.js';
import { Problem } from '../lib/problem.js';
import { decodeSnapshot, encodeSnapshot, toIncident } from './incident-codec.js';
import { findIncidentRow, getVisibleIncident, insertIncidentVersion, selectVisible } from './incident.repository.js';
import { coarsenFor, versionCoarsenFor, versionVisibleTo, visibleTo } from './visibility.js';

/** The full record (exact location) for history snapshots and audit digests. */
export async function fullIncidentRecord(trx: Trx, id: string): Promise<Incident> {
  const rec = await getVisibleIncident(trx, SYSTEM, id);
  if (!rec) throw new Problem('not_found');
  return rec;
}

/** A history row: the full record after the change, with its coarse point for readers who see it coarsened. */
export function historyVersionRow(principal: Principal, rec: Incident, action: string, reason: string | null, changed: string[], coarse: [number, number] | null, related: string | null = null) {
  return {
    incident_id: rec.id,
    version: rec.version,
    changed_at: rec.updated_at,
    changed_by: principal.userId,
    action,
    reason,
    changed_fields: JSON.stringify(changed),
    snapshot: encodeSnapshot(rec, coarse),
    // The rule's columns as they are in this version: history is filtered on them, in SQL.
    classification_level: CLASSIFICATIONS.indexOf(rec.classification),
    sharing_scope: rec.sharing_scope,
    status: rec.status,
    reporting_state: rec.reporting_state,
    reporter_id: rec.reporter,
    exact_location_level: rec.exact_location_classification ? CLASSIFICATIONS.indexOf(rec.exact_location_classification) : null,
    ...(related ? { related_id: related } : {}),
  };
}

/**
 * Writes the record's current state as a new history version; `related` names the other record of a merge. `coarse`:
 * the coarse point when the caller just wrote it (read from the row otherwise). Returns the full record.
 */
export async function writeIncidentVersion(
  trx: Trx, principal: Principal, id: string, action: string, reason: string | null, changed: string[], related: string | null = null,
  coarse?: [number, number] | null,
): Promise<Incident> {
  const rec = await fullIncidentRecord(trx, id);
  const at = coarse !== undefined ? coarse : await findIncidentRow(trx, id).then((row) => (row ? [row.coarse_latitude, row.coarse_longitude] as [number, number] : null));
  await insertIncidentVersion(trx, historyVersionRow(principal, rec, action, reason, changed, at, related));
  return rec;
}

/**
 * A record just written, read back once: as stored (the full record of its history snapshot) and as the writer may see
 * it (undefined when the rule hides it from them; the point coarsened where the record says so) — the same values as
 * fullIncidentRecord and getVisibleIncident, in one statement instead of two reads of the same row.
 */
export async function readWrittenIncident(trx: Trx, principal: Principal, id: string): Promise<{ full: Incident; visible: Incident | undefined }> {
  const coarse = coarsenFor(principal);
  const row = await selectVisible(trx, SYSTEM)
    .select((eb) => [
      sql<number>`(case when ${visibleTo(principal)(eb)} then 1 else 0 end)`.as('reader_sees'),
      coarse.as('reader_coarsened'),
      'incidents.coarse_latitude',
      'incidents.coarse_longitude',
    ])
    .where('incidents.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new Problem('not_found');
  const full = toIncident(row);
  if (Number(row.reader_sees) !== 1) return { full, visible: undefined };
  if (Number(row.reader_coarsened) !== 1) return { full, visible: full };
  return { full, visible: { ...full, latitude: row.coarse_latitude, longitude: row.coarse_longitude, location_coarsened: true, place_name: null } };
}

/**
 * Writes the version of a record just changed (its state now) and returns it as stored and as its writer sees it, in
 * one read of the row (a review transition: the writer's answer without a second read while the writers' lock is held).
 */
export async function writeReadIncidentVersion(
  trx: Trx, principal: Principal, id: string, action: string, reason: string | null, changed: string[], coarse: [number, number],
): Promise<{ full: Incident; visible: Incident | undefined }> {
  const read = await readWrittenIncident(trx, principal, id);
  await insertIncidentVersion(trx, historyVersionRow(principal, read.full, action, reason, changed, coarse));
  return read;
}

/** Writes the first version of a record just inserted, and returns it as stored and as its writer sees it. */
export async function writeFirstIncidentVersion(
  trx: Trx, principal: Principal, id: string, reason: string | null, coarse: [number, number],
): Promise<{ full: Incident; visible: Incident | undefined }> {
  const read = await readWrittenIncident(trx, principal, id);
  await insertIncidentVersion(trx, historyVersionRow(principal, read.full, 'create', reason, [], coarse));
  return read;
}

/**
 * Every version of an incident the reader may see now, oldest first. A version whose own values (classification, scope,
 * status, owner, reporter at the time) were not visible to the reader comes back with its number and date only: its
 * content and author never leave the database. `coarsen` says the version's exact point was protected above the reader. The snapshot comes decoded.
 */
export async function visibleHistory(trx: Trx, principal: Principal, id: string) {
  const rows = await trx
    .selectFrom('incident_versions as v')
    .innerJoin('incidents', 'incidents.id', 'v.incident_id')
    .leftJoin('users', 'users.id', 'v.changed_by')
    .select((eb) => {
      const seen = versionVisibleTo(principal, eb);
      const ifSeen = <T>(e: Expression<T>) => eb.case().when(seen).then(e).else(null).end();
      return [
        'v.version', 'v.changed_at',
        eb.case().when(seen).then(1).else(0).end().as('accessible'),
        ifSeen(eb.ref('v.changed_by')).as('changed_by'),
        ifSeen(eb.ref('users.login')).as('changed_by_login'),
        ifSeen(eb.ref('v.action')).as('action'),
        ifSeen(eb.ref('v.reason')).as('reason'),
        ifSeen(eb.ref('v.changed_fields')).as('changed_fields'),
        ifSeen(eb.ref('v.snapshot')).as('snapshot'),
        ifSeen(eb.ref('v.related_id')).as('related_id'),
        versionCoarsenFor(principal).as('coarsen'),
      ];
    })
    .where('v.incident_id', '=', id)
    .where(visibleTo(principal))
    .orderBy('v.version')
    .execute();
  // Decoded here, the one reader of the stored snapshot and field list: null where the reader was not cleared for the version.
  return rows.map(({ snapshot, changed_fields, ...r }) => ({
    ...r, snapshot: snapshot === null ? null : decodeSnapshot(snapshot), changed_fields: changed_fields === null ? null : (JSON.parse(changed_fields) as string[]),
  }));
}
