import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * OpenRosa intake: each submission received (by its instanceID, with the hash of its XML, the device's token and the
 * instance it replaces), and the files that came with it, kept as evidence of the record they belong to. A file's
 * bytes are stored base64 in the row: the same transaction as the record, the same backup, and no file system to
 * keep in step (files are size-limited, see services/openrosa).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('openrosa_submissions')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('xml_hash', 'text', (c) => c.notNull())
    .addColumn('deprecated_id', 'text')
    .addColumn('form_version', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('token_id', 'text')
    .addColumn('device', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('openrosa_submissions_incident').on('openrosa_submissions').column('incident_id').execute();
  await db.schema
    .createTable('incident_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('metadata_stripped', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_attachments_instance_file', ['instance_id', 'file_name'])
    .execute();
  await db.schema.createIndex('incident_attachments_incident').on('incident_attachments').column('incident_id').execute();
}
