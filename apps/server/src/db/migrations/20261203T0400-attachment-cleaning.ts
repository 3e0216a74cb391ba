import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Whether each stored file was cleaned of its embedded metadata, and by which cleaner version. Files stored before
 * cleaning existed (base64 rows moved as they were by 20261203T0300-attachment-contents) may still carry EXIF, GPS or
 * an author: every existing row starts `pending`, is not served, and the background job (services/attachments/
 * clean-stored.ts, at server start and `vigie attachments clean`) cleans it — or holds it when its format is now refused.
 *   clean_state: pending | clean | held | released (held, then served as it is by an administrator's decision)
 *   cleaned_with: the cleaner version that decided the state (CLEANER_VERSION); a newer cleaner cleans again
 *   clean_note: why a file is held (the message key of the refusal), or the administrator's reason for releasing it
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.alterTable('incident_attachments').addColumn('clean_state', 'text', (c) => c.notNull().defaultTo('pending')).execute();
  await db.schema.alterTable('incident_attachments').addColumn('cleaned_with', 'text').execute();
  await db.schema.alterTable('incident_attachments').addColumn('cleaned_at', 'text').execute();
  await db.schema.alterTable('incident_attachments').addColumn('clean_note', 'text').execute();
  // Nothing stored so far can be vouched for: the old rows were never cleaned, and re-cleaning a clean file is harmless.
  await sql`update incident_attachments set clean_state = 'pending', metadata_stripped = 0`.execute(db);
  await db.schema.createIndex('incident_attachments_clean').on('incident_attachments').columns(['clean_state', 'id']).execute();
}
