import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/** Rows converted per step: a page holds at most this many files (10 MiB each at most) in memory. */
const PAGE = 20;

/**
 * Attachments' bytes move out of the base64 `content` text column into their own table, as binary (BLOB on SQLite,
 * bytea on PostgreSQL): a third smaller, read without decoding, and listed without loading. One row per file, deleted
 * with the file's row (and so with its record): the same transaction, the same backup and the same who-sees-what as
 * the record, with no file system to keep in step. Existing rows are converted, then the text column is dropped.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('attachment_contents')
    .addColumn('attachment_id', 'text', (c) => c.primaryKey().references('incident_attachments.id').onDelete('cascade'))
    .addColumn('content', kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();
  let after = '';
  for (;;) {
    const rows = (await sql<{ id: string; content: string }>`select id, content from incident_attachments where id > ${after} order by id limit ${PAGE}`.execute(db)).rows;
    for (const r of rows) {
      await sql`insert into attachment_contents (attachment_id, content) values (${r.id}, ${Buffer.from(r.content, 'base64')})`.execute(db);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.alterTable('incident_attachments').dropColumn('content').execute();
}
