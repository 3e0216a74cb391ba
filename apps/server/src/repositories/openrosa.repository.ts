/** OpenRosa intake: received submissions and the files kept as evidence of a record. The only SQL of the intake. */
import type { Insertable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { IncidentAttachmentsTable, OpenRosaSubmissionsTable } from '../db/schema.js';

export const findSubmission = (trx: Trx, instanceId: string) =>
  trx.selectFrom('openrosa_submissions').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();

export async function insertSubmission(trx: Trx, row: Insertable<OpenRosaSubmissionsTable>): Promise<void> {
  await trx.insertInto('openrosa_submissions').values(row).execute();
}

/** File names already stored for an instance (a split submission sends the rest in a later POST). */
export async function storedFileNames(trx: Trx, instanceId: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('incident_attachments').select('file_name').where('instance_id', '=', instanceId).execute();
  return new Set(rows.map((r) => r.file_name));
}

export async function insertAttachments(trx: Trx, rows: Insertable<IncidentAttachmentsTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('incident_attachments').values(rows).execute();
}

/** A record's files, without their bytes. The caller has already decided that the reader sees the record. */
export const listAttachments = (trx: Trx, incidentId: string) =>
  trx.selectFrom('incident_attachments')
    .select(['id', 'instance_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'metadata_stripped', 'created_at'])
    .where('incident_id', '=', incidentId).orderBy('created_at').orderBy('file_name').execute();

/** One file with its bytes, only as a file of that record. */
export const findAttachment = (trx: Trx, incidentId: string, id: string) =>
  trx.selectFrom('incident_attachments').selectAll().where('incident_id', '=', incidentId).where('id', '=', id).executeTakeFirst();

/** The name an API token was given (the device it was issued for). */
export const tokenName = (trx: Trx, tokenHash: string) =>
  trx.selectFrom('api_tokens').select(['id', 'name']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
