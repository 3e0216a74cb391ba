/** The files kept as evidence of a record: their description in incident_attachments, their bytes in attachment_contents. */
import type { Insertable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { AttachmentCleanState, IncidentAttachmentsTable } from '../db/schema.js';

/** A file to store: its description and its bytes. */
export type NewAttachment = Insertable<IncidentAttachmentsTable> & { content: Buffer };

/** File names already stored under an instance (a split submission sends the rest in a later POST). */
export async function storedFileNames(trx: Trx, instanceId: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('incident_attachments').select('file_name').where('instance_id', '=', instanceId).execute();
  return new Set(rows.map((r) => r.file_name));
}

export async function insertAttachments(trx: Trx, rows: NewAttachment[]): Promise<void> {
  for (const { content, ...row } of rows) {
    await trx.insertInto('incident_attachments').values(row).execute();
    await trx.insertInto('attachment_contents').values({ attachment_id: row.id, content }).execute();
  }
}

/** A record's files, without their bytes. The caller has already decided that the reader sees the record. */
export const listAttachments = (trx: Trx, incidentId: string) =>
  trx.selectFrom('incident_attachments')
    .select(['id', 'instance_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'metadata_stripped', 'created_at', 'clean_state'])
    .where('incident_id', '=', incidentId).orderBy('created_at').orderBy('file_name').execute();

/** One file with its bytes, only as a file of that record. */
export const findAttachment = (trx: Trx, incidentId: string, id: string) =>
  trx.selectFrom('incident_attachments').innerJoin('attachment_contents', 'attachment_contents.attachment_id', 'incident_attachments.id')
    .select(['incident_attachments.file_name', 'incident_attachments.content_type', 'incident_attachments.clean_state', 'attachment_contents.content'])
    .where('incident_attachments.incident_id', '=', incidentId).where('incident_attachments.id', '=', id).executeTakeFirst();

/** Files whose state the current cleaner has not decided yet (pending, or decided by another version), after `after`, by id. */
export const filesToClean = (trx: Trx, version: string, after: string, limit: number) =>
  trx.selectFrom('incident_attachments')
    .select(['id', 'incident_id', 'file_name', 'sha256', 'clean_state'])
    .where('id', '>', after)
    .where((eb) => eb.or([eb('clean_state', '=', 'pending'), eb.and([eb('clean_state', 'in', ['clean', 'held']), eb.or([eb('cleaned_with', 'is', null), eb('cleaned_with', '<>', version)])])]))
    .orderBy('id').limit(limit).execute();

/** How many files wait for the current cleaner. */
export async function countFilesToClean(trx: Trx, version: string): Promise<number> {
  const r = await trx.selectFrom('incident_attachments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('clean_state', '=', 'pending'), eb.and([eb('clean_state', 'in', ['clean', 'held']), eb.or([eb('cleaned_with', 'is', null), eb('cleaned_with', '<>', version)])])]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One file's bytes and what the cleaner must check has not changed meanwhile. */
export const fileForCleaning = (trx: Trx, id: string) =>
  trx.selectFrom('incident_attachments').innerJoin('attachment_contents', 'attachment_contents.attachment_id', 'incident_attachments.id')
    .innerJoin('incidents', 'incidents.id', 'incident_attachments.incident_id')
    .select(['incident_attachments.id', 'incident_attachments.incident_id', 'incident_attachments.file_name', 'incident_attachments.sha256',
      'incident_attachments.size_bytes', 'incident_attachments.content_type', 'incident_attachments.clean_state', 'incident_attachments.cleaned_with',
      'attachment_contents.content', 'incidents.classification_level', 'incidents.sharing_scope', 'incidents.reporting_state'])
    .where('incident_attachments.id', '=', id).executeTakeFirst();

/** Replaces a file's bytes (cleaned) and records the cleaner's decision. */
export async function recordCleaning(trx: Trx, id: string, change: {
  state: AttachmentCleanState; version: string | null; at: string; note: string | null; content?: { data: Buffer; contentType: string; sha256: string };
}): Promise<void> {
  if (change.content) {
    await trx.updateTable('attachment_contents').set({ content: change.content.data }).where('attachment_id', '=', id).execute();
  }
  await trx.updateTable('incident_attachments').set({
    clean_state: change.state, cleaned_with: change.version, cleaned_at: change.at, clean_note: change.note,
    metadata_stripped: change.state === 'clean' ? 1 : 0,
    ...(change.content ? { size_bytes: change.content.data.length, content_type: change.content.contentType, sha256: change.content.sha256 } : {}),
  }).where('id', '=', id).execute();
}

/** Files held (a format the cleaner refuses) or released by an administrator, for the administrator's list. */
export const heldFiles = (trx: Trx) =>
  trx.selectFrom('incident_attachments')
    .select(['id', 'incident_id', 'file_name', 'content_type', 'size_bytes', 'clean_state', 'clean_note', 'cleaned_with', 'cleaned_at'])
    .where('clean_state', 'in', ['held', 'released']).orderBy('id').execute();

/** A file's description by its id (an outbox upload's client id), whatever its record. */
export const findAttachmentById = (trx: Trx, id: string) =>
  trx.selectFrom('incident_attachments')
    .select(['id', 'incident_id', 'instance_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'metadata_stripped', 'created_by', 'created_at', 'clean_state'])
    .where('id', '=', id).executeTakeFirst();
