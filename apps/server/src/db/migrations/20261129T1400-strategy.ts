import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Strategy monitoring & evaluation (strategies → axes → objectives → indicators, targets, values, evaluations)
 * and coordination follow-up (meetings → decisions → actions, with notes and links to objectives).
 * Booleans are integers 0/1 and lists are JSON text, as in the core migration, so a backup restores on either engine.
 * Computed indicator values are not stored: they are computed from the incident aggregates on read.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const real = kind === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('strategies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title_fr', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('description_fr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','active','superseded')`))
    .addColumn('supersedes_id', 'text', (c) => c.references('strategies.id'))
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('classification_level', 'integer', (c) => c.notNull().check(sql`classification_level between 0 and 3`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('strategies_validity', sql`valid_to >= valid_from`)
    .execute();

  await db.schema
    .createTable('strategy_axes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy_id', 'text', (c) => c.notNull().references('strategies.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_fr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('civilian_protection', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('strategy_axes_code', ['strategy_id', 'code'])
    .execute();

  await db.schema
    .createTable('strategy_objectives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy_id', 'text', (c) => c.notNull().references('strategies.id'))
    .addColumn('axis_id', 'text', (c) => c.notNull().references('strategy_axes.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_fr', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('strategy_objectives_code', ['strategy_id', 'code'])
    .execute();
  await db.schema.createIndex('strategy_objectives_axis').on('strategy_objectives').column('axis_id').execute();

  await db.schema
    .createTable('strategy_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy_id', 'text', (c) => c.notNull().references('strategies.id'))
    .addColumn('objective_id', 'text', (c) => c.notNull().references('strategy_objectives.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_fr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit in ('count','percent','ratio','days','number')`))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('increase','decrease')`))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('month','quarter','year')`))
    .addColumn('baseline_value', real)
    .addColumn('baseline_period', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','computed')`))
    .addColumn('definition', 'text')
    .addColumn('civilian_harm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('thresholds', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('strategy_indicators_code', ['strategy_id', 'code'])
    .addCheckConstraint('strategy_indicators_definition', sql`(source = 'computed') = (definition is not null)`)
    .execute();
  await db.schema.createIndex('strategy_indicators_objective').on('strategy_indicators').column('objective_id').execute();

  await db.schema
    .createTable('indicator_targets')
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('strategy_indicators.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    // '' is the confederation-wide target (keys are never NULL so both engines find the row).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('value', real, (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_targets_pk', ['indicator_id', 'period', 'state'])
    .execute();

  await db.schema
    .createTable('indicator_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('strategy_indicators.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().references('member_states.code'))
    .addColumn('value', real, (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','approved','returned')`))
    .addColumn('return_reason', 'text')
    .addColumn('entered_by', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('indicator_values_key', ['indicator_id', 'period', 'state'])
    .execute();
  await db.schema.createIndex('indicator_values_state_status').on('indicator_values').columns(['state', 'status']).execute();

  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy_id', 'text', (c) => c.notNull().references('strategies.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','final')`))
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evaluations_period', ['strategy_id', 'period'])
    .execute();

  await db.schema
    .createTable('evaluation_ratings')
    .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
    .addColumn('objective_id', 'text', (c) => c.notNull().references('strategy_objectives.id'))
    .addColumn('rating', 'text', (c) => c.check(sql`rating in ('on_track','at_risk','off_track')`))
    .addColumn('justification', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('evaluation_ratings_pk', ['evaluation_id', 'objective_id'])
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('states', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('bodies', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('agenda', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meeting_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('meeting_decisions_code', ['meeting_id', 'code'])
    .execute();

  await db.schema
    .createTable('coordination_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('meeting_decisions.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_state', 'text', (c) => c.references('member_states.code'))
    .addColumn('owner_body', 'text')
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('planned','in_progress','done','blocked','cancelled')`))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0).check(sql`progress between 0 and 100`))
    // The early-warning alert the action answers: no foreign key, alerts live in another capability's tables.
    .addColumn('alert_id', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('coordination_actions_owner', sql`owner_state is not null or owner_body is not null`)
    .execute();
  await db.schema.createIndex('coordination_actions_due').on('coordination_actions').columns(['status', 'due_date']).execute();
  await db.schema.createIndex('coordination_actions_owner').on('coordination_actions').columns(['owner_state', 'due_date']).execute();
  await db.schema.createIndex('coordination_actions_alert').on('coordination_actions').column('alert_id').execute();

  await db.schema
    .createTable('action_objectives')
    .addColumn('action_id', 'text', (c) => c.notNull().references('coordination_actions.id').onDelete('cascade'))
    .addColumn('objective_id', 'text', (c) => c.notNull().references('strategy_objectives.id'))
    .addPrimaryKeyConstraint('action_objectives_pk', ['action_id', 'objective_id'])
    .execute();

  await db.schema
    .createTable('action_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('coordination_actions.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer')
    .addColumn('status', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('action_notes_action').on('action_notes').columns(['action_id', 'at']).execute();
}
