/**
 * Every table that holds data, in an order that satisfies foreign keys, for backup and restore.
 * `key` orders rows and pages through them; `deferred` columns reference the same table and are restored in a
 * second pass. A test fails when a migration adds a table that is missing here.
 */
export interface TableSpec {
  name: string;
  key: string[];
  deferred?: string[];
}

export const DATA_TABLES: TableSpec[] = [
  { name: 'organisations', key: ['code'] },
  { name: 'member_states', key: ['code'] },
  { name: 'admin_areas', key: ['level', 'code'] },
  { name: 'actors', key: ['code'] },
  { name: 'users', key: ['id'] },
  { name: 'api_tokens', key: ['id'] },
  { name: 'incidents', key: ['seq'], deferred: ['merged_into'] },
  { name: 'incident_actors', key: ['incident_id', 'actor_code'] },
  { name: 'incident_versions', key: ['incident_id', 'version'] },
  { name: 'audit_events', key: ['seq'] },
];

/** Tables deliberately not backed up: sessions are short-lived secrets; the rest is engine bookkeeping. */
export const UNSAVED_TABLES = ['sessions', 'vigie_migrations', 'vigie_migrations_lock', 'incident_search'];
