import { incidentCreateSchema, type IncidentCreate } from '@vigie/domain';
import { canonicalJson, sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { incidentStamps } from '../../repositories/external-incident.repository.js';
import type { Ctx } from '../context.js';
import { importIncidents, patchIncident, type ImportItem } from '../incidents/incident.service.js';
import type { Principal } from '../principal.js';

/** One row of an external data set (UCDP, ACLED) read into the body of an incident. */
export interface ExternalRecord {
  /** Line of the file, for the rejection report. */
  line: number;
  /** The event's id in its source (UCDP's id, ACLED's event_id_cnty). */
  externalId: string;
  state: string;
  incident: IncidentCreate;
}

export interface ImportTally {
  created: number;
  updated: number;
  unchanged: number;
}

export type FieldErrors = { field: string; message: string }[];

/**
 * Writes one batch of an external import: new events through importIncidents (validated, tagged with their source and
 * id), events already imported with other content through the edit path (a new version, saying which re-import), the
 * same content again left alone without opening a transaction. Rejected rows go to `reject`.
 */
export async function writeExternalBatch(
  ctx: Ctx, principal: Principal, source: 'ucdp' | 'acled', batch: readonly ExternalRecord[], tally: ImportTally,
  reject: (record: ExternalRecord, errors: FieldErrors) => void,
): Promise<void> {
  const existing = new Map((await incidentStamps(ctx.engine.db, batch.map((p) => p.incident.id))).map((r) => [r.id, r]));
  const fresh: ExternalRecord[] = [];
  for (const p of batch) {
    const row = existing.get(p.incident.id);
    if (!row) {
      fresh.push(p);
      continue;
    }
    const parsed = incidentCreateSchema.safeParse(p.incident);
    if (parsed.success) {
      const { id: _id, status, ...content } = parsed.data;
      if (row.create_hash === sha256(canonicalJson({ status, ...content }))) {
        tally.unchanged++;
        continue;
      }
    }
    try {
      const { id: _i, status: _s, ...fields } = p.incident;
      const after = await patchIncident(ctx, principal, p.incident.id, { ...fields, version: row.version, change_reason: `réimport ${source.toUpperCase()} ${p.externalId}` });
      if (after.version > row.version) tally.updated++;
      else tally.unchanged++;
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      reject(p, e.errors ?? [{ field: '(record)', message: e.detail ?? e.code }]);
    }
  }
  if (!fresh.length) return;
  const items: ImportItem[] = fresh.map((p) => ({
    input: p.incident,
    options: { status: 'validated', reportingState: p.state, reporterId: null, external: { source, id: p.externalId } },
  }));
  const out = await importIncidents(ctx, principal, items, { batchAudit: source });
  tally.created += out.created;
  tally.unchanged += out.unchanged;
  for (const r of out.rejected) {
    const p = fresh[r.index];
    if (p) reject(p, r.errors);
  }
}
