/** The files kept as evidence of a record: their description in incident_attachments, their bytes in attachment_contents. */
import type { Insertable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { IncidentAttachmentsTable } from '../db/schema.js';

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
    .select(['id', 'instance_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'metadata_stripped', 'created_at'])
    .where('incident_id', '=', incidentId).orderBy('created_at').orderBy('file_name').execute();

/** One file with its bytes, only as a file of that record. */
export const findAttachment = (trx: Trx, incidentId: string, id: string) =>
  trx.selectFrom('incident_attachments').innerJoin('attachment_contents', 'attachment_contents.attachment_id', 'incident_attachments.id')
    .select(['incident_attachments.file_name', 'incident_attachments.content_type', 'attachment_contents.content'])
    .where('incident_attachments.incident_id', '=', incidentId).where('incident_attachments.id', '=', id).executeTakeFirst();
