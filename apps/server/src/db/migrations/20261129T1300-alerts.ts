import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/** Alerts (rule and flash), the states each concerns with their acknowledgement, evidence and responses. */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull().check(sql`rule in ('count_spike','fatality_spike','new_hotspot','cross_border','civilian_harm','flash')`))
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('low','medium','high','critical')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('issued','acknowledged','responded','closed')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('areas', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('statistics', 'text')
    .addColumn('classification_level', 'integer', (c) => c.notNull().check(sql`classification_level between 0 and 3`))
    .addColumn('sharing_scope', 'text', (c) => c.notNull().check(sql`sharing_scope in ('national','confederation','public')`))
    .addColumn('raised_by', 'text', (c) => c.references('users.id'))
    .addColumn('raised_org', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closure_note', 'text')
    .execute();
  await db.schema.createIndex('alerts_created').on('alerts').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('alerts_status').on('alerts').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('alert_states')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().references('member_states.code'))
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('alert_states_pk', ['alert_id', 'state'])
    .execute();
  await db.schema.createIndex('alert_states_state').on('alert_states').columns(['state', 'alert_id']).execute();

  await db.schema
    .createTable('alert_evidence')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addPrimaryKeyConstraint('alert_evidence_pk', ['alert_id', 'incident_id'])
    .execute();

  await db.schema
    .createTable('alert_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('state', 'text')
    .addColumn('responded_at', 'text', (c) => c.notNull())
    .addColumn('responded_by', 'text', (c) => c.references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .execute();
  await db.schema.createIndex('alert_responses_alert').on('alert_responses').columns(['alert_id', 'responded_at']).execute();
}
