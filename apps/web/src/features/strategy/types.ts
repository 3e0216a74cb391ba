/** The strategy API's shapes as the pages use them (see /api/v1/openapi.json, tag "strategy"). */
export type Rating = 'on_track' | 'at_risk' | 'off_track';

export interface Strategy {
  id: string; code: string; title_fr: string; title_en: string; valid_from: string; valid_to: string; status: string;
  supersedes_id: string | null; superseded_by: string | null; version: number;
}
export interface Indicator {
  id: string; code: string; name_fr: string; name_en: string; unit: string; direction: 'increase' | 'decrease'; frequency: 'month' | 'quarter' | 'year';
  source: 'manual' | 'computed'; civilian_harm: boolean; baseline_value: number | null; baseline_period: string | null;
  definition: Record<string, unknown> | null; targets: { period: string; state: string | null; value: number }[]; version: number;
}
export interface Objective { id: string; code: string; name_fr: string; name_en: string; indicators: Indicator[] }
export interface Axis { id: string; code: string; name_fr: string; name_en: string; civilian_protection: boolean; objectives: Objective[] }
export interface StrategyTree extends Strategy { axes: Axis[] }

export interface Cell { state: string | null; value: number | null; target: number | null; achievement: number | null; status: Rating | null }
export interface IndicatorProgress {
  id: string; code: string; name_fr: string; name_en: string; unit: string; source: string; civilian_harm: boolean; assessed_period: string;
  cells: Cell[]; achievement: number | null; status: Rating | null;
}
export interface ObjectiveProgress { id: string; code: string; name_fr: string; name_en: string; achievement: number | null; status: Rating | null; indicators: IndicatorProgress[] }
export interface Progress { strategy: Strategy; period: string; states: string[]; axes: { id: string; code: string; name_fr: string; name_en: string; civilian_protection: boolean; objectives: ObjectiveProgress[] }[] }

export interface Value {
  id: string; indicator_id: string; period: string; state: string; value: number; comment: string; status: string;
  return_reason: string | null; version: number; indicator_code?: string;
}
export interface ReportingCell { indicator_id: string; indicator_code: string; period: string; state: string; status: string; late: boolean; due_date: string }
export interface EvaluationHead { id: string; period: string; status: string; narrative: string; version: number }
export interface Evaluation extends EvaluationHead {
  ratings: { objective_id: string; derived: Rating | null; rating: Rating | null; final: Rating | null; justification: string; comment: string }[];
  progress: Progress;
}
export interface Trend { indicator: Indicator; periods: string[]; series: { state: string | null; values: (number | null)[]; targets: (number | null)[] }[] }
