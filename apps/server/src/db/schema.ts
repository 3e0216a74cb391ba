import type { Generated } from 'kysely';
import type { StrategyTables } from './strategy-schema.js';
import type { AlertTables } from './alert-schema.js';

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

export interface Database extends StrategyTables, AlertTables {
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
  notifications: NotificationsTable;
  openrosa_submissions: OpenRosaSubmissionsTable;
  incident_attachments: IncidentAttachmentsTable;
  attachment_contents: AttachmentContentsTable;
  notification_settings: NotificationSettingsTable;
  notification_emails: NotificationEmailsTable;
  federation_keys: FederationKeysTable;
  federation_cursors: FederationCursorsTable;
  federation_objects: FederationObjectsTable;
  federation_dead_letters: FederationDeadLettersTable;
  federation_sent: FederationSentTable;
  situation_reports: SituationReportsTable;
  situation_report_maps: SituationReportMapsTable;
  situation_report_schedule: SituationReportScheduleTable;
}

/** A frozen situation report (migration 20261202T1930-situation-reports): figures as JSON text. */
export interface SituationReportsTable {
  id: string;
  kind: string;
  period: string;
  period_from: string;
  period_to: string;
  audience: string;
  ceiling: number;
  as_of: string;
  created_by: string | null;
  created_by_login: string | null;
  created_at: string;
  headline_fr: string;
  headline_en: string;
  search_text: string;
  figures: string;
  /** The map's outlines in situation_report_maps (migration 20261203T0000-sitrep-maps); null: inside `figures`. */
  map_hash: string | null;
}

/** A situation report map's projected outlines (JSON), stored once per distinct set and named by its SHA-256. */
export interface SituationReportMapsTable {
  hash: string;
  outlines: string;
}

/** When the reports' schedule first ran for an audience and ceiling (migration 20261203T0010-sitrep-schedule). */
export interface SituationReportScheduleTable {
  audience: string;
  ceiling: number;
  armed_at: string;
}

/** One entry of a user's in-app inbox (migration 20261201T1600-notifications). */
export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  object_type: string;
  object_id: string;
  reason: string | null;
  classification_level: number;
  dedupe_key: string;
  created_at: string;
  read_at: string | null;
}

/** A submission received over OpenRosa (migration 20261202T1940-openrosa). */
export interface OpenRosaSubmissionsTable {
  instance_id: string;
  incident_id: string;
  xml_hash: string;
  deprecated_id: string | null;
  form_version: string;
  user_id: string | null;
  token_id: string | null;
  device: string | null;
  received_at: string;
}

/** A file kept as evidence of its record (received with a submission, or added on the web page); its bytes in attachment_contents. */
export interface IncidentAttachmentsTable {
  id: string;
  incident_id: string;
  instance_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  metadata_stripped: number;
  created_by: string | null;
  created_at: string;
  /** pending | clean | held | released (migration 20261203T0400-attachment-cleaning); served only when clean or released. */
  clean_state: Generated<AttachmentCleanState>;
  /** The cleaner version that decided clean_state (CLEANER_VERSION). */
  cleaned_with: string | null;
  cleaned_at: string | null;
  /** Why it is held (a message key), or the administrator's reason for releasing it. */
  clean_note: string | null;
}

export type AttachmentCleanState = 'pending' | 'clean' | 'held' | 'released';

/** The bytes of an attachment, binary (migration 20261203T0300-attachment-contents). */
export interface AttachmentContentsTable {
  attachment_id: string;
  content: Buffer;
}

/** A user's notification choices (migration 20261202T1930-notification-settings). */
export interface NotificationSettingsTable {
  user_id: string;
  email: string | null;
  email_since: string | null;
  /** JSON: topic → { in_app, email }. */
  topics: string;
  updated_at: string;
}

/** The e-mail of one notification, once handled (migration 20261202T1930-notification-settings). */
export interface NotificationEmailsTable {
  notification_id: string;
  user_id: string;
  status: 'sent' | 'failed' | 'skipped';
  attempts: number;
  /** 'full': the subject and reason were in the mail; 'link': only a link (content above the mail ceiling). */
  detail: 'full' | 'link';
  last_error: string | null;
  updated_at: string;
}

/** A node's signing key in the federation's key registry (migration 20261202T1945-federation). */
export interface FederationKeysTable {
  node_id: string;
  key_id: string;
  /** SPKI PEM of the ed25519 public key. */
  public_key: string;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
}

/** A replication cursor: `out` (last change-log seq published) or `in:<node>` (last origin seq applied from a peer). */
export interface FederationCursorsTable {
  link: string;
  last_seq: number;
  last_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** An object owned by another node, held read-only: its latest received state (or tombstone) and where it came from. */
export interface FederationObjectsTable {
  entity_type: string;
  entity_id: string;
  origin_node: string;
  version: number | null;
  origin_seq: number;
  deleted: number;
  reason: string | null;
  record: string | null;
  received_at: string;
}

/** A received message that could not be applied after bounded retries, parked until retried or discarded (migration 20261203T0300). */
export interface FederationDeadLettersTable {
  id: string;
  subject: string;
  origin_node: string | null;
  entity_type: string | null;
  entity_id: string | null;
  /** The message as received (the signed JSON), applied again on a retry. */
  data: string;
  error: string;
  attempts: number;
  status: 'parked' | 'applied' | 'discarded';
  parked_at: string;
  resolved_at: string | null;
}

/** One of this node's own objects it has sent over its link (withdrawn from the receivers when it may no longer go). */
export interface FederationSentTable {
  entity_type: string;
  entity_id: string;
  sent_at: string;
}
