import type { Generated } from 'kysely';
import type { StrategyTables } from './strategy-schema.js';
import type { AlertTables } from './alert-schema.js';
import type { FederationTables } from './federation-schema.js';
import type { IntakeTables } from './intake-schema.js';
import type { ReportTables } from './report-schema.js';

/** Row types of every table. Instants are ISO 8601 UTC text on both engines (see docs/schema-conventions.md). */
export interface OrganisationsTable {
  code: string;
  kind: 'state' | 'confederation';
  name_fr: string;
  name_en: string;
}

export interface MemberStatesTable {
  code: string;
  iso2: string;
  iso_numeric: string | null;
  name_fr: string;
  name_en: string;
  time_zone: string;
  position: number;
}

export interface AdminAreasTable {
  code: string;
  state: string;
  level: number;
  parent_code: string | null;
  name_fr: string;
  name_en: string;
  name_folded: string;
  centroid_lat: number;
  centroid_lon: number;
  /** GeoJSON geometry (Polygon or MultiPolygon) as text, when an official boundary was imported. */
  geometry: string | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  source: string | null;
  /** The boundary set the area belongs to (boundary_sets.code); null for configured areas without a set. */
  boundary_set: string | null;
  /** From this date (YYYY-MM-DD) the area belongs to no current set: kept for the codes older records use. */
  retired_on: string | null;
}

export interface ActorsTable {
  code: string;
  name: string;
  kind: number;
  state: string | null;
}

export interface UsersTable {
  id: string;
  login: string;
  display_name: string | null;
  organisation: string;
  role: string;
  clearance: number;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: number;
  disabled: number;
  locale: string;
  created_at: string;
  last_login_at: string | null;
  /** Failed sign-ins since the last successful one (told to the owner, and what locks the account). */
  failed_logins: Generated<number>;
  /** Consecutive failures that count towards the lock (reset by a success or by an administrator's unlock). */
  lock_failures: Generated<number>;
  locked_until: string | null;
  /** The TOTP time-step of the last accepted code: a code at or before it is refused (no replay). */
  totp_last_step: number | null;
  /** 1 while the password is a one-time one set by someone else. */
  password_change_required: Generated<number>;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  second_factor: number;
  failed_attempts: Generated<number>;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IncidentsTable {
  seq: Generated<number>;
  id: string;
  reporting_state: string;
  reporter_id: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
  create_hash: string;
  occurred_start: string;
  occurred_end: string | null;
  time_precision: number;
  latitude: number;
  longitude: number;
  coarse_latitude: number;
  coarse_longitude: number;
  /** Clearance needed to see the exact point; null when everyone who reads the record may. */
  exact_location_level: number | null;
  geo_precision: number;
  place_name: string | null;
  admin1_code: string | null;
  admin2_code: string | null;
  /** How the admin areas were found (polygon, nearest_polygon, centroid_precision, nearest_centroid); null before 2026-12. */
  placement_method: string | null;
  /** The boundary set valid at the incident's date and its areas there (admin1_code/admin2_code: the current set). */
  placed_boundary_set: string | null;
  placed_admin1_code: string | null;
  placed_admin2_code: string | null;
  event_type: string;
  sub_event_type: string;
  interaction: number | null;
  tags: string;
  narrative: string;
  search_text: string;
  actor1: string | null;
  actor2: string | null;
  associated_actors: string;
  fatalities_best: number;
  fatalities_low: number | null;
  fatalities_high: number | null;
  civilian_fatalities: number;
  injured: number;
  abducted: number;
  sources: string;
  /** The sources' names joined by ' | ' (the exports' column), written with `sources` (incident-codec.ts, contentColumns). */
  source_names: string;
  classification_level: number;
  sharing_scope: string;
  rejection_reason: string | null;
  merged_into: string | null;
  assigned_to: string | null;
  external_source: string | null;
  external_id: string | null;
  /** The node a federated record comes from (read-only here); null for this node's own records. */
  origin_node: string | null;
}

export interface IncidentActorsTable {
  incident_id: string;
  actor_code: string;
}

export interface IncidentVersionsTable {
  incident_id: string;
  version: number;
  changed_at: string;
  changed_by: string | null;
  action: string;
  reason: string | null;
  changed_fields: string;
  snapshot: string;
  /** The who-sees-what columns of this version, as they were when it was written (see the version-visibility migration). */
  classification_level: number;
  sharing_scope: string;
  status: string;
  reporting_state: string;
  reporter_id: string | null;
  exact_location_level: number | null;
  /** The other record of a merge or an undo, for the history's link. */
  related_id?: string | null;
}

/** A merge that can be undone (migration 20261201T1700-incident-merges). */
export interface IncidentMergesTable {
  id: string;
  merged_id: string;
  into_id: string;
  request_hash: string;
  choices: string;
  merged_status: string;
  into_version_before: number;
  into_version_after: number;
  merged_by: string | null;
  merged_at: string;
  undone_by: string | null;
  undone_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  at: string;
  user_id: string | null;
  login: string | null;
  organisation: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  classification_level: number;
  sharing_scope: string | null;
  owner_state: string | null;
  before_digest: string | null;
  after_digest: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Daily sums of incidents per visibility class and dimension (kept by triggers; see the aggregate-rollups migration). */
export interface IncidentRollupTable {
  day: string;
  reporting_state: string;
  /** '' when the incident has no admin-1 area. */
  admin1_code: string;
  /** '' when the incident has no admin-2 area. */
  admin2_code: string;
  event_type: string;
  sub_event_type: string;
  /** Kind of actor 1; 0 when there is none. */
  actor_kind: number;
  classification_level: number;
  sharing_scope: string;
  status: string;
  incidents: number;
  fatalities: number;
  civilian_fatalities: number;
  injured: number;
  abducted: number;
}

/** Monthly sums per visibility class, admin-1 area and event type (kept by triggers, like the daily rollup). */
export interface IncidentRollupMonthTable {
  /** 'YYYY-MM' of occurred_start in UTC. */
  month: string;
  reporting_state: string;
  admin1_code: string;
  event_type: string;
  classification_level: number;
  sharing_scope: string;
  status: string;
  incidents: number;
  fatalities: number;
  civilian_fatalities: number;
  injured: number;
  abducted: number;
}

/** One committed change to a record (docs/changes.md): what changed and in which order, never its content. */
export interface ChangeLogTable {
  seq: Generated<number>;
  entity_type: string;
  entity_id: string;
  op: string;
  changed_at: string;
}

/** A state's boundary set and its validity (calendar dates, inclusive; null = open). */
export interface BoundarySetsTable {
  code: string;
  state: string;
  name_fr: string;
  name_en: string;
  valid_from: string | null;
  valid_to: string | null;
  source: string | null;
  created_at: string;
}

/** An area of a closed boundary set (the current set's areas are admin_areas). */
export interface BoundarySetAreasTable {
  set_code: string;
  code: string;
  state: string;
  level: number;
  parent_code: string | null;
  name_fr: string;
  name_en: string;
  centroid_lat: number;
  centroid_lon: number;
  geometry: string | null;
}

/** How much of an area of a closed set lies in an area of the current set. */
export interface BoundaryCrosswalkTable {
  from_set: string;
  from_code: string;
  from_level: number;
  to_set: string;
  to_code: string;
  to_level: number;
  overlap_km2: number;
  share_of_from: number;
  share_of_to: number;
}

/** A background re-placement of the incidents after a boundary import (resumable from `cursor`). */
export interface ReplacementJobsTable {
  id: string;
  reason: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  moved: number;
  /** The id of the last incident handled (incidents are taken in id order). */
  cursor: string | null;
  started_by: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  error: string | null;
}

export interface Database extends StrategyTables, AlertTables, ReportTables, IntakeTables, FederationTables {
  boundary_sets: BoundarySetsTable;
  boundary_set_areas: BoundarySetAreasTable;
  boundary_crosswalk: BoundaryCrosswalkTable;
  replacement_jobs: ReplacementJobsTable;
  organisations: OrganisationsTable;
  member_states: MemberStatesTable;
  admin_areas: AdminAreasTable;
  actors: ActorsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  incidents: IncidentsTable;
  incident_actors: IncidentActorsTable;
  incident_versions: IncidentVersionsTable;
  incident_merges: IncidentMergesTable;
  audit_events: AuditEventsTable;
  change_log: ChangeLogTable;
  incident_rollup: IncidentRollupTable;
  incident_rollup_month: IncidentRollupMonthTable;
}

// The tables of other wings, re-exported so that `db/schema.js` names every row type.
export type { SituationReportsTable, SituationReportMapsTable, SituationReportScheduleTable, NotificationsTable, NotificationSettingsTable, NotificationEmailsTable } from './report-schema.js';
export type { OpenRosaSubmissionsTable, IncidentAttachmentsTable, AttachmentCleanState, AttachmentContentsTable } from './intake-schema.js';
export type { FederationKeysTable, FederationCursorsTable, FederationObjectsTable, FederationDeadLettersTable, FederationSentTable } from './federation-schema.js';
