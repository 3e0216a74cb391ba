import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * An alert's figures per audience. A rule alert (rule, areas, week) stays one object that states acknowledge and
 * answer; what it says — severity, summary, statistics, classification — is computed once per audience from the
 * records that audience may read, and a reader sees the alert only through their audience's row
 * (docs/early-warning.md, "Who sees which figures").
 *
 * audience: a member state's code (its own records and everything shared), '*' (the confederation's view: shared
 * records only) or 'all' (every validated record: the local operator); ceiling: the clearance the figures stop at.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('alert_figures')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('ceiling', 'integer', (c) => c.notNull().check(sql`ceiling between 0 and 3`))
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('low','medium','high','critical')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('statistics', 'text', (c) => c.notNull())
    .addColumn('classification_level', 'integer', (c) => c.notNull().check(sql`classification_level between 0 and 3`))
    .addColumn('sharing_scope', 'text', (c) => c.notNull().check(sql`sharing_scope in ('national','confederation','public')`))
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_figures_pk', ['alert_id', 'audience', 'ceiling'])
    .addCheckConstraint('alert_figures_within_ceiling', sql`classification_level <= ceiling`)
    .execute();
  await db.schema.createIndex('alert_figures_audience').on('alert_figures').columns(['audience', 'ceiling', 'alert_id']).execute();

  // The audiences whose figures are up to date for every alert: a reader of an audience not listed here (a new
  // organisation or clearance) has theirs computed before their first read.
  await db.schema
    .createTable('alert_audiences')
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('ceiling', 'integer', (c) => c.notNull().check(sql`ceiling between 0 and 3`))
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_audiences_pk', ['audience', 'ceiling'])
    .execute();
}
