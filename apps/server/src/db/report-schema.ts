/** Situation reports and the notifications inbox (their row types; instants are ISO 8601 UTC text, see docs/schema-conventions.md). */
export interface ReportTables {
  situation_reports: SituationReportsTable;
  situation_report_maps: SituationReportMapsTable;
  situation_report_schedule: SituationReportScheduleTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  notification_emails: NotificationEmailsTable;
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
