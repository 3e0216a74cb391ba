/**
 * Every table that holds data, in an order that satisfies foreign keys, for backup and restore.
 * `key` orders rows and pages through them; `deferred` columns reference the same table and are restored in a
 * second pass. A test fails when a migration adds a table that is missing here.
 */
export interface TableSpec {
  name: string;
  key: string[];
  deferred?: string[];
  /** Columns an engine derives itself (generated), left out of the portable file. */
  derived?: string[];
  /** Binary columns (Buffer), written base64 in the portable file. */
  binary?: string[];
  /** Rows per page when read or restored, for tables whose rows are large (files). */
  page?: number;
}

export const DATA_TABLES: TableSpec[] = [
  { name: 'organisations', key: ['code'] },
  { name: 'member_states', key: ['code'] },
  { name: 'admin_areas', key: ['level', 'code'] },
  { name: 'actors', key: ['code'] },
  { name: 'users', key: ['id'] },
  { name: 'api_tokens', key: ['id'] },
  { name: 'incidents', key: ['seq'], deferred: ['merged_into'], derived: ['search_vector'] },
  { name: 'incident_actors', key: ['incident_id', 'actor_code'] },
  { name: 'incident_versions', key: ['incident_id', 'version'] },
  { name: 'incident_merges', key: ['id'] },
  { name: 'audit_events', key: ['seq'] },
  { name: 'change_log', key: ['seq'] },
  { name: 'alerts', key: ['id'] },
  { name: 'alert_states', key: ['alert_id', 'state'] },
  { name: 'alert_evidence', key: ['alert_id', 'incident_id'] },
  { name: 'alert_responses', key: ['id'] },
  { name: 'alert_figures', key: ['alert_id', 'audience', 'ceiling'] },
  { name: 'strategies', key: ['id'], deferred: ['supersedes_id'] },
  { name: 'strategy_axes', key: ['id'] },
  { name: 'strategy_objectives', key: ['id'] },
  { name: 'strategy_indicators', key: ['id'] },
  { name: 'indicator_targets', key: ['indicator_id', 'period', 'state'] },
  { name: 'indicator_values', key: ['id'] },
  { name: 'evaluations', key: ['id'] },
  { name: 'evaluation_ratings', key: ['evaluation_id', 'objective_id'] },
  { name: 'meetings', key: ['id'] },
  { name: 'meeting_decisions', key: ['id'] },
  { name: 'coordination_actions', key: ['id'] },
  { name: 'action_objectives', key: ['action_id', 'objective_id'] },
  { name: 'action_notes', key: ['id'] },
  { name: 'notifications', key: ['id'] },
  { name: 'openrosa_submissions', key: ['instance_id'] },
  { name: 'incident_attachments', key: ['id'] },
  { name: 'notification_settings', key: ['user_id'] },
  { name: 'notification_emails', key: ['notification_id'] },
  { name: 'federation_keys', key: ['node_id', 'key_id'] },
  { name: 'federation_cursors', key: ['link'] },
  { name: 'federation_objects', key: ['entity_type', 'entity_id'] },
  { name: 'situation_reports', key: ['id'] },
  { name: 'boundary_sets', key: ['code'] },
  { name: 'boundary_set_areas', key: ['set_code', 'code'] },
  { name: 'boundary_crosswalk', key: ['from_set', 'from_code', 'to_set', 'to_code'] },
  { name: 'replacement_jobs', key: ['id'] },
  { name: 'situation_report_maps', key: ['hash'] },
  { name: 'situation_report_schedule', key: ['audience', 'ceiling'] },
  { name: 'attachment_contents', key: ['attachment_id'], binary: ['content'], page: 20 },
  { name: 'federation_dead_letters', key: ['id'] },
  { name: 'federation_sent', key: ['entity_type', 'entity_id'] },
];

/** Tables deliberately not backed up: sessions are short-lived secrets; the rest is engine bookkeeping. */
export const UNSAVED_TABLES = ['sessions', 'vigie_migrations', 'vigie_migrations_lock', 'incident_search', 'incident_rollup', 'incident_rollup_month', 'alert_audiences', 'incident_rollup_area', 'incident_rollup_cell', 'incident_rollup_type', 'rollup_deferral'];
