/** Row types of the strategy and coordination tables (migration 20261129T1400-strategy). */
export interface StrategiesTable {
  id: string;
  code: string;
  title_fr: string;
  title_en: string;
  description_fr: string;
  description_en: string;
  valid_from: string;
  valid_to: string;
  status: string;
  supersedes_id: string | null;
  /** JSON { on_track, at_risk }. */
  thresholds: string;
  classification_level: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface StrategyAxesTable {
  id: string;
  strategy_id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
  civilian_protection: number;
}

export interface StrategyObjectivesTable {
  id: string;
  strategy_id: string;
  axis_id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
}

export interface StrategyIndicatorsTable {
  id: string;
  strategy_id: string;
  objective_id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
  unit: string;
  direction: string;
  frequency: string;
  baseline_value: number | null;
  baseline_period: string | null;
  source: string;
  /** JSON definition of a computed indicator; null for hand-entered ones. */
  definition: string | null;
  civilian_harm: number;
  thresholds: string | null;
  version: number;
  updated_at: string;
}

export interface IndicatorTargetsTable {
  indicator_id: string;
  period: string;
  /** '' for the confederation-wide target. */
  state: string;
  value: number;
}

export interface IndicatorValuesTable {
  id: string;
  indicator_id: string;
  period: string;
  state: string;
  value: number;
  comment: string;
  evidence: string;
  status: string;
  return_reason: string | null;
  entered_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  version: number;
  updated_at: string;
}

export interface EvaluationsTable {
  id: string;
  strategy_id: string;
  period: string;
  status: string;
  narrative: string;
  created_by: string | null;
  /** The organisation whose view the figures are (CONF or a member state) and the classification ceiling (level). */
  audience: string;
  ceiling: number;
  /** When a final evaluation's figures were computed, and those figures (JSON); null while draft. */
  as_of: string | null;
  frozen: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EvaluationRatingsTable {
  evaluation_id: string;
  objective_id: string;
  rating: string | null;
  justification: string;
  comment: string;
}

export interface MeetingsTable {
  id: string;
  title: string;
  date: string;
  place: string;
  states: string;
  bodies: string;
  agenda: string;
  minutes: string;
  /** 0 public … 3 secret: a reader sees it when cleared at or above. */
  classification_level: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MeetingDecisionsTable {
  id: string;
  meeting_id: string;
  code: string;
  position: number;
  text: string;
  /** Never below its meeting's. */
  classification_level: number;
  created_at: string;
}

export interface CoordinationActionsTable {
  id: string;
  decision_id: string;
  title: string;
  description: string;
  owner_state: string | null;
  owner_body: string | null;
  due_date: string;
  status: string;
  progress: number;
  alert_id: string | null;
  completed_at: string | null;
  /** Never below its decision's. */
  classification_level: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ActionObjectivesTable {
  action_id: string;
  objective_id: string;
}

export interface ActionNotesTable {
  id: string;
  action_id: string;
  at: string;
  author_id: string | null;
  organisation: string;
  text: string;
  progress: number | null;
  status: string | null;
  evidence: string;
}

export interface StrategyTables {
  strategies: StrategiesTable;
  strategy_axes: StrategyAxesTable;
  strategy_objectives: StrategyObjectivesTable;
  strategy_indicators: StrategyIndicatorsTable;
  indicator_targets: IndicatorTargetsTable;
  indicator_values: IndicatorValuesTable;
  evaluations: EvaluationsTable;
  evaluation_ratings: EvaluationRatingsTable;
  meetings: MeetingsTable;
  meeting_decisions: MeetingDecisionsTable;
  coordination_actions: CoordinationActionsTable;
  action_objectives: ActionObjectivesTable;
  action_notes: ActionNotesTable;
}
