import type { Kysely } from 'kysely';

/**
 * `incidents_fatalities` (toll, id, then the who-sees-what rule's columns, visibility.ts): the incident list sorted by
 * toll — the web list's "Tués (décroissant)", the review queue's — with no filter reads the toll's entries in order,
 * tests the rule on each entry, and stops at the page's last row. Before, every record the reader may see was read and
 * sorted for the first fifty: at 1,000,000 incidents 2.8–6.7 s on SQLite, 1.3 s on PostgreSQL.
 *
 * What it costs an import: an id is a UUIDv7 (its time first), so new records go at the end of their toll's entries,
 * a few pages per batch rather than one per record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const rule = ['status', 'classification_level', 'sharing_scope', 'reporting_state', 'reporter_id'];
  await db.schema.createIndex('incidents_fatalities').on('incidents').columns(['fatalities_best', 'id', ...rule]).execute();
}
