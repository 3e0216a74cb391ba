/**
 * The files of a record (photos, documents), kept as evidence of it: received with an OpenRosa submission or added on
 * the record's web page. Every file is cleaned of its embedded metadata before it is stored (clean-file.ts), or refused
 * with nothing stored; a file is read only by whoever sees its record, and that read is audited like the record's.
 */
import { createHash } from 'node:crypto';
import { reviewsOwnState } from '@vigie/domain';
import { findAttachment, findAttachmentById, insertAttachments, listAttachments, storedFileNames, type NewAttachment } from '../../repositories/attachment.repository.js';
import type { Trx } from '../../db/engine.js';
import type { AttachmentCleanState } from '../../db/schema.js';
import { getVisibleIncident } from '../../repositories/incident.repository.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import type { Ctx } from '../context.js';
import { auditClassifiedReads } from '../audit/audit.service.js';
import { mutate, type MutationAudit } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import { assertReviewer, auditScope, loadForChange } from '../incidents/incident.service.js';
import { CLEANER_VERSION, cleanFile, type CleanFile } from './clean-file.js';

/** A cleaned file with the name it is stored under. */
export type NamedFile = CleanFile & { name: string };

const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The rows of files to store for a record, under an instance (an OpenRosa instanceID, or `web:` for the page). */
export function attachmentRows(userId: string | null, incidentId: string, instanceId: string, files: NamedFile[]): NewAttachment[] {
  const now = nowIso();
  return files.map((f) => ({
    id: newId(), incident_id: incidentId, instance_id: instanceId, file_name: f.name, content_type: f.contentType, size_bytes: f.data.length,
    sha256: sha256Hex(f.data), metadata_stripped: 1, content: f.data, created_by: userId, created_at: now,
    clean_state: 'clean', cleaned_with: CLEANER_VERSION, cleaned_at: now, clean_note: null,
  }));
}

/** The record's audit scope: its classification, sharing scope and owner state. */
export type RecordScope = Pick<MutationAudit, 'classificationLevel' | 'sharingScope' | 'ownerState'>;

/** The audit entry of files added to a record, scoped like the record. */
export function attachmentAudit(incidentId: string, scope: RecordScope, instanceId: string, rows: NewAttachment[]): MutationAudit {
  return {
    action: 'incident.attachment_add', objectType: 'incident', objectId: incidentId, ...scope,
    details: { instance_id: instanceId, files: rows.map((r) => ({ name: r.file_name, size: r.size_bytes, sha256: r.sha256, metadata_stripped: true })) },
  };
}

/** The instance under which the web page's files of a record are stored (file names are unique per instance). */
export const webInstance = (incidentId: string) => `web:${incidentId}`;

/**
 * The record, if the principal may add files to it: its reporter while it is a draft or awaits review (submitted: a
 * report written offline arrives first, its photos after it, from the outbox), or a reviewer of its state.
 */
async function recordForNewFile(trx: Trx, principal: Principal, incidentId: string) {
  const row = await loadForChange(trx, principal, incidentId);
  if (principal.kind === 'system' || reviewsOwnState(principal)) assertReviewer(principal, row);
  else if (row.reporter_id !== principal.userId || (row.status !== 'draft' && row.status !== 'submitted')) throw new Problem('forbidden', 'Un rapporteur ne joint des fichiers qu’à ses propres signalements, brouillons ou en attente de relecture');
  if (row.status === 'merged') throw new Problem('invalid_transition', 'Un signalement fusionné est clos : joignez le fichier au signalement conservé');
  return row;
}

/** A free name under an instance: « photo.jpg », else « photo (2).jpg »… (an outbox upload never fails on a name). */
function freeName(taken: Set<string>, name: string): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) if (!taken.has(`${stem} (${n})${ext}`)) return `${stem} (${n})${ext}`;
}

/**
 * Adds a file to a record from the web page (the same rule as editing it). Access is checked first, then the file is
 * cleaned outside the write transaction; a refused file stores nothing. Field `file` names the multipart part.
 * `clientId` (the outbox's UUIDv7 for the file) makes the upload idempotent: the file is stored under that id, a resend
 * of it answers `created: false` with the stored file, and that id on another record or with other bytes is a conflict.
 */
export async function addAttachment(ctx: Ctx, principal: Principal, incidentId: string, file: { name: string; data: Buffer }, clientId?: string) {
  requirePermission(principal, 'incident.update');
  const name = file.name.replace(/[\\/]/g, '_').slice(0, 200) || 'fichier';
  // A resend is answered before the record's rule: the record may have been reviewed since the first upload arrived.
  if (clientId && (await findAttachmentById(ctx.engine.db, clientId))) {
    const again = await resentFile(ctx.engine.db, principal, incidentId, clientId, sha256Hex((await cleanFile('file', name, file.data)).data));
    if (again) return again;
  }
  await recordForNewFile(ctx.engine.db, principal, incidentId);
  const clean = await cleanFile('file', name, file.data);
  return mutate(ctx, principal, { permission: 'incident.update', async run(trx) {
    const row = await recordForNewFile(trx, principal, incidentId);
    const instance = webInstance(incidentId);
    const taken = await storedFileNames(trx, instance);
    if (!clientId && taken.has(name)) throw new Problem('conflict', `Un fichier « ${name} » est déjà joint`, [{ field: 'file', message: 'validation.file_name_taken' }]);
    const rows = attachmentRows(principal.userId, incidentId, instance, [{ ...clean, name: clientId ? freeName(taken, name) : name }]);
    if (clientId) {
      const again = await resentFile(trx, principal, incidentId, clientId, rows[0]!.sha256);
      if (again) return { result: again };
      rows[0]!.id = clientId;
    }
    await insertAttachments(trx, rows);
    const r = rows[0]!;
    return { result: { ...describe({ ...r, clean_state: 'clean', metadata_stripped: 1 }), created: true }, audit: attachmentAudit(incidentId, auditScope(row), instance, rows) };
  } });
}

/** The stored file of an outbox upload sent again (same id, same record), or a conflict when the id is another file's. */
async function resentFile(trx: Trx, principal: Principal, incidentId: string, clientId: string, sha256: string) {
  const stored = await findAttachmentById(trx, clientId);
  if (!stored) return null;
  if (stored.incident_id !== incidentId || stored.created_by !== principal.userId || stored.sha256 !== sha256) {
    throw new Problem('id_conflict', `Le fichier ${clientId} existe déjà avec un autre contenu`, [{ field: 'id', message: 'validation.file_id_taken' }]);
  }
  return { ...describe(stored), created: false };
}

/** A file's description as the API gives it. */
const describe = (r: { id: string; incident_id: string; instance_id: string; file_name: string; content_type: string; size_bytes: number; sha256: string; metadata_stripped: number; created_at: string; clean_state: AttachmentCleanState }) => ({
  id: r.id, incident_id: r.incident_id, instance_id: r.instance_id, file_name: r.file_name, content_type: r.content_type, size_bytes: r.size_bytes,
  sha256: r.sha256, metadata_stripped: r.metadata_stripped === 1, created_at: r.created_at, clean_state: r.clean_state,
});

/** A record's files (no bytes), for a reader who sees the record; anyone else gets "not found". */
export async function recordAttachments(ctx: Ctx, principal: Principal, incidentId: string) {
  requirePermission(principal, 'incident.read');
  const rec = await getVisibleIncident(ctx.engine.db, principal, incidentId);
  if (!rec) throw new Problem('not_found', `no incident ${incidentId}`);
  return (await listAttachments(ctx.engine.db, incidentId)).map((a) => ({ ...a, metadata_stripped: a.metadata_stripped === 1 }));
}

/** One file of a record, with its bytes, for a reader who sees the record. */
export async function recordAttachment(ctx: Ctx, principal: Principal, incidentId: string, id: string) {
  requirePermission(principal, 'incident.read');
  const rec = await getVisibleIncident(ctx.engine.db, principal, incidentId);
  const row = rec && (await findAttachment(ctx.engine.db, incidentId, id));
  if (!row) throw new Problem('not_found', `no attachment ${id}`);
  // A file stored before cleaning existed is served only once cleaned, or released by an administrator (docs/openrosa.md).
  if (row.clean_state === 'pending') throw new Problem('conflict', 'Fichier en cours de nettoyage des métadonnées', [{ field: 'attachmentId', message: 'validation.file_pending' }]);
  if (row.clean_state === 'held') throw new Problem('forbidden', 'Fichier retenu en attente d’une décision d’administrateur', [{ field: 'attachmentId', message: 'validation.file_held' }]);
  // A file of a confidential record is a read of that record, audited as one.
  await auditClassifiedReads(ctx.engine, principal, [{ id: rec.id, classification_level: rec.classification, sharing_scope: rec.sharing_scope, reporting_state: rec.reporting_state }], 'incident.read');
  return { fileName: row.file_name, contentType: row.content_type, data: Buffer.from(row.content) };
}
