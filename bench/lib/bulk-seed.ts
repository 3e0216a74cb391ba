import { sql } from 'kysely';
import type { Engine } from '../../apps/server/src/db/engine.js';
import { rebuildRollups } from '../../apps/server/src/db/rollups.js';
import { bareLoad, type BareLoadOptions } from './bare-load.js';
import type { BareValue } from './bare-rows.js';
import { bareDriver } from './engines.js';

/**
 * A fast set-up for benchmarks that read a large `incidents` table (not for ingest figures): the table's secondary
 * indexes and triggers are set aside, the rows written by the bare loader (COPY on PostgreSQL), then the indexes
 * rebuilt in one pass each, the triggers put back and both rollups refilled set-based by `rebuildRollups` — the
 * function a restore uses, so the rollups hold exactly what the triggers would have written. At 1,000,000 incidents
 * the per-row triggers and index updates are most of a plain bare load's time.
 */
export async function seedIncidents(
  engine: Engine,
  values: (i: number, at: string) => BareValue[],
  size: number,
  options: Pick<BareLoadOptions, 'each' | 'searchIndex'> = {},
): Promise<void> {
  const bare = bareDriver(engine);
  if (bare.kind === 'sqlite') {
    const objects = bare.raw.prepare(`select type, name, sql from sqlite_master where tbl_name = 'incidents' and type in ('index', 'trigger') and sql is not null`)
      .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const o of objects) bare.raw.exec(`drop ${o.type} "${o.name}"`);
    await bareLoad(bare, values, size, { chunk: 200_000, searchIndex: options.searchIndex ?? false, each: options.each });
    for (const o of [...objects.filter((x) => x.type === 'index'), ...objects.filter((x) => x.type === 'trigger')]) bare.raw.exec(o.sql);
    await rebuildRollups(engine.db);
    return;
  }
  const indexes = await sql<{ name: string; def: string }>`select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'incidents'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = (select oid from pg_namespace where nspname = current_schema()))`
    .execute(engine.db);
  for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.name)}`.execute(engine.db);
  await sql`alter table incidents disable trigger user`.execute(engine.db);
  try {
    await bareLoad(bare, values, size, { chunk: 200_000, searchIndex: false, each: options.each });
  } finally {
    await sql`alter table incidents enable trigger user`.execute(engine.db);
  }
  for (const ix of indexes.rows) await sql.raw(ix.def).execute(engine.db);
  await rebuildRollups(engine.db);
  await sql`vacuum analyze`.execute(engine.db);
}
