import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * When the situation reports' schedule started for each audience and ceiling: the schedule catches up a run it missed
 * after that time (a server that was down on Monday morning), never the periods that were already over when it first
 * ran (a brand-new server, or an audience just added to the file, does not publish and notify last week's and last
 * month's reports at start-up).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.createTable('situation_report_schedule')
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('ceiling', 'integer', (c) => c.notNull())
    .addColumn('armed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('situation_report_schedule_pk', ['audience', 'ceiling'])
    .execute();
}
