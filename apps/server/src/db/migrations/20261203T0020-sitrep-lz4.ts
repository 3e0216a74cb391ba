import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * PostgreSQL compresses a situation report's frozen figures (~80 kB of JSON) and its search text with lz4 rather
 * than the default pglz where the server has it: storing a report spent ~4 ms compressing its figures with pglz,
 * ~0.4 ms with lz4 (at a quarter more bytes). Values already stored keep their compression; both read back the same.
 * SQLite does not compress.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'postgres') return;
  const lz4 = await sql<{ ok: boolean }>`select 'lz4' = any(enumvals) as ok from pg_settings where name = 'default_toast_compression'`.execute(db);
  if (!lz4.rows[0]?.ok) return;
  for (const column of ['figures', 'search_text']) {
    await sql`alter table situation_reports alter column ${sql.id(column)} set compression lz4`.execute(db);
  }
}
