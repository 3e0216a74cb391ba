import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { DAILY_ROLLUP, installDailyRollupTriggers, rebuildIncidentRollup } from '../rollups.js';

/**
 * Daily rollup of incidents for the aggregates, kept in step by database triggers (their definition and the rebuild
 * live in db/rollups.ts).
 *
 * Why triggers rather than calls from the services: every path that writes `incidents` (create, patch, transitions,
 * imports, the gazetteer's reassignment, restore, and whatever capability is added next) updates the rollup in the
 * same transaction without having to remember to; a missed call would silently skew every dashboard. The rollup is
 * fully derivable, so it is not backed up: it is rebuilt after a restore.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const big = kind === 'postgres' ? 'bigint' : 'integer';
  let table = db.schema
    .createTable(DAILY_ROLLUP.table)
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('reporting_state', 'text', (c) => c.notNull())
    .addColumn('admin1_code', 'text', (c) => c.notNull())
    .addColumn('admin2_code', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('sub_event_type', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'integer', (c) => c.notNull())
    .addColumn('classification_level', 'integer', (c) => c.notNull())
    .addColumn('sharing_scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull());
  for (const m of DAILY_ROLLUP.measures) table = table.addColumn(m, big, (c) => c.notNull());
  table = table.addPrimaryKeyConstraint('incident_rollup_pk', [...DAILY_ROLLUP.keys]);
  // Clustered by day on SQLite, so a period's rows are read in one range.
  await (kind === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
  await installDailyRollupTriggers(db, kind);
  await rebuildIncidentRollup(db);
}
