import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * The daily rollup by area, then day: the alert rules' incremental run (and an alert's figures) read the few areas a
 * change touched over half a year of days. Keyed by day first, the rollup made each of them read every area's rows
 * of those days — a share of all the rows that grows with the data — to keep a handful.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createIndex('incident_rollup_admin1_day').on('incident_rollup').columns(['admin1_code', 'day']).execute();
  await db.schema.createIndex('incident_rollup_admin2_day').on('incident_rollup').columns(['admin2_code', 'day']).execute();
}
