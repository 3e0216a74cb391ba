/** Row types of the alert tables (migration 20261129T1300-alerts). */
export interface AlertsTable {
  id: string;
  rule: string;
  /** rule:area(s):window — the same rule, area and window never raise twice (unique); null for flash alerts. */
  dedup_key: string | null;
  severity: string;
  status: string;
  title: string;
  summary: string;
  /** JSON array of admin area codes. */
  areas: string;
  window_start: string;
  window_end: string;
  /** JSON statistics (observed, expected, quantile, p-value, baseline), null for flash alerts. */
  statistics: string | null;
  /** Highest classification of the evidence (or as raised): a reader below it does not see the alert. */
  classification_level: number;
  sharing_scope: string;
  raised_by: string | null;
  raised_org: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  closure_note: string | null;
}

/** The states an alert concerns, each with its acknowledgement. */
export interface AlertStatesTable {
  alert_id: string;
  state: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  note: string | null;
}

export interface AlertEvidenceTable {
  alert_id: string;
  incident_id: string;
}

export interface AlertResponsesTable {
  id: string;
  alert_id: string;
  state: string | null;
  responded_at: string;
  responded_by: string | null;
  text: string;
  link: string | null;
}

/** An alert's figures for one audience (a view of the data at a clearance ceiling): migration 20261201T1000. */
export interface AlertFiguresTable {
  alert_id: string;
  /** A member state's code (its records + shared), '*' (shared records only) or 'all' (every record: the operator). */
  audience: string;
  ceiling: number;
  severity: string;
  title: string;
  summary: string;
  /** JSON statistics computed from the audience's records only. */
  statistics: string;
  /** Highest classification among the records the figures count (≤ ceiling). */
  classification_level: number;
  /** 'national' when any counted record is national. */
  sharing_scope: string;
  computed_at: string;
}

/** The audiences whose figures are computed for every alert. */
export interface AlertAudiencesTable {
  audience: string;
  ceiling: number;
  computed_at: string;
}

export interface AlertTables {
  alerts: AlertsTable;
  alert_states: AlertStatesTable;
  alert_evidence: AlertEvidenceTable;
  alert_responses: AlertResponsesTable;
  alert_figures: AlertFiguresTable;
  alert_audiences: AlertAudiencesTable;
}
