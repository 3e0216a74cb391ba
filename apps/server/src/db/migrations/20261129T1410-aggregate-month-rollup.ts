import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { installMonthRollupTriggers, MONTH_ROLLUP, rebuildMonthRollup } from '../rollups.js';

/**
 * A monthly rollup next to the daily one, for the queries that span months (area × month over a year): the daily
 * rollup is barely smaller than the incidents at a million records, so a year of it is hundreds of thousands of rows;
 * by month, state, admin-1 area and event type it is a few thousand. Kept by triggers like the daily one (db/rollups.ts).
 *
 * Also a covering index for the aggregates that must read the incidents (bounding box, actors, text): the period
 * range, the visibility columns, both points and the tolls, so that such a query reads one index and not the table.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const big = kind === 'postgres' ? 'bigint' : 'integer';
  let table = db.schema
    .createTable(MONTH_ROLLUP.table)
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('reporting_state', 'text', (c) => c.notNull())
    .addColumn('admin1_code', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('classification_level', 'integer', (c) => c.notNull())
    .addColumn('sharing_scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull());
  for (const m of MONTH_ROLLUP.measures) table = table.addColumn(m, big, (c) => c.notNull());
  table = table.addPrimaryKeyConstraint('incident_rollup_month_pk', [...MONTH_ROLLUP.keys]);
  await (kind === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
  await installMonthRollupTriggers(db, kind);
  await rebuildMonthRollup(db);

  await db.schema
    .createIndex('incidents_aggregate_scan')
    .on('incidents')
    .columns([
      'status', 'occurred_start', 'classification_level', 'sharing_scope', 'reporting_state', 'reporter_id', 'exact_location_level', 'latitude', 'longitude',
      'coarse_latitude', 'coarse_longitude', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'actor1',
      'fatalities_best', 'civilian_fatalities', 'injured', 'abducted',
    ])
    .execute();
}
