import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

const KINDS_BEFORE = `'incident_rejected', 'incident_returned', 'alert_issued', 'value_returned', 'action_assigned', 'action_due', 'action_overdue'`;
const KINDS = `${KINDS_BEFORE}, 'sitrep_published'`;

/**
 * Situation reports: each one frozen when generated, with its audience, classification ceiling, "as of" time and every
 * figure it shows (JSON), so that whoever opens it later reads the same numbers. `search_text` holds its highlights
 * and paragraphs in both languages, folded (lower case, no accents), for the archive's search. The inbox learns a
 * new kind, "a new situation report".
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await db.schema.createTable('situation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('ceiling', 'integer', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by_login', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('headline_fr', 'text', (c) => c.notNull())
    .addColumn('headline_en', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addCheckConstraint('situation_reports_kind', sql`kind in ('week', 'month')`)
    .addCheckConstraint('situation_reports_ceiling', sql`ceiling between 0 and 3`)
    .execute();
  await db.schema.createIndex('situation_reports_period').on('situation_reports').columns(['period', 'audience', 'ceiling']).execute();
  await db.schema.createIndex('situation_reports_created').on('situation_reports').columns(['created_at', 'id']).execute();

  if (kind === 'postgres') {
    await sql`alter table notifications drop constraint notifications_kind`.execute(db);
    await sql.raw(`alter table notifications add constraint notifications_kind check (kind in (${KINDS}))`).execute(db);
    return;
  }
  // SQLite cannot change a check constraint: the table is rebuilt with its rows (nothing references it).
  await sql`create table notifications_next (
    id text primary key, user_id text not null references users(id), kind text not null, object_type text not null,
    object_id text not null, reason text, classification_level integer not null default 0, dedupe_key text not null unique,
    created_at text not null, read_at text,
    constraint notifications_kind check (kind in (${sql.raw(KINDS)})),
    constraint notifications_level check (classification_level between 0 and 3))`.execute(db);
  await sql`insert into notifications_next select id, user_id, kind, object_type, object_id, reason, classification_level, dedupe_key, created_at, read_at from notifications`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_next rename to notifications`.execute(db);
  await db.schema.createIndex('notifications_inbox').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
}
