import { CLASSIFICATIONS, DEFAULT_THRESHOLDS, type Definition, type Thresholds } from '@vigie/domain';
import type { AxisRow, EvaluationRow, IndicatorRow, ObjectiveRow, StrategyRow, TargetRow, ValueRow } from '../../repositories/strategy.repository.js';

/** API shapes of the strategy records (rows with JSON decoded, booleans as booleans). */
export interface StrategyView {
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
  superseded_by: string | null;
  thresholds: Thresholds;
  classification: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TargetView { period: string; state: string | null; value: number }

export interface IndicatorView {
  id: string;
  strategy_id: string;
  objective_id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
  unit: string;
  direction: 'increase' | 'decrease';
  frequency: 'month' | 'quarter' | 'year';
  baseline_value: number | null;
  baseline_period: string | null;
  source: 'manual' | 'computed';
  definition: Definition | null;
  civilian_harm: boolean;
  thresholds: Thresholds | null;
  targets: TargetView[];
  version: number;
}

export interface ObjectiveView {
  id: string;
  axis_id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
  indicators: IndicatorView[];
}

export interface AxisView {
  id: string;
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  description_fr: string;
  civilian_protection: boolean;
  objectives: ObjectiveView[];
}

export interface StrategyTree extends StrategyView { axes: AxisView[] }

export function toStrategyView(r: StrategyRow, supersededBy: string | null = null): StrategyView {
  return {
    id: r.id, code: r.code, title_fr: r.title_fr, title_en: r.title_en, description_fr: r.description_fr, description_en: r.description_en,
    valid_from: r.valid_from, valid_to: r.valid_to, status: r.status, supersedes_id: r.supersedes_id, superseded_by: supersededBy,
    thresholds: { ...DEFAULT_THRESHOLDS, ...(JSON.parse(r.thresholds) as Partial<Thresholds>) },
    classification: CLASSIFICATIONS[r.classification_level] ?? 'secret', version: r.version, created_at: r.created_at, updated_at: r.updated_at,
  };
}

export const toTargetView = (t: Pick<TargetRow, 'period' | 'state' | 'value'>): TargetView => ({ period: t.period, state: t.state === '' ? null : t.state, value: Number(t.value) });

export function toIndicatorView(r: IndicatorRow, targets: TargetView[]): IndicatorView {
  return {
    id: r.id, strategy_id: r.strategy_id, objective_id: r.objective_id, code: r.code, position: r.position, name_fr: r.name_fr, name_en: r.name_en,
    description_fr: r.description_fr, unit: r.unit, direction: r.direction as IndicatorView['direction'], frequency: r.frequency as IndicatorView['frequency'],
    baseline_value: r.baseline_value === null ? null : Number(r.baseline_value), baseline_period: r.baseline_period,
    source: r.source as IndicatorView['source'], definition: r.definition ? (JSON.parse(r.definition) as Definition) : null,
    civilian_harm: Number(r.civilian_harm) === 1, thresholds: r.thresholds ? (JSON.parse(r.thresholds) as Thresholds) : null, targets, version: r.version,
  };
}

export const toObjectiveView = (r: ObjectiveRow, indicators: IndicatorView[]): ObjectiveView => ({
  id: r.id, axis_id: r.axis_id, code: r.code, position: r.position, name_fr: r.name_fr, name_en: r.name_en, description_fr: r.description_fr, indicators,
});

export const toAxisView = (r: AxisRow, objectives: ObjectiveView[]): AxisView => ({
  id: r.id, code: r.code, position: r.position, name_fr: r.name_fr, name_en: r.name_en, description_fr: r.description_fr,
  civilian_protection: Number(r.civilian_protection) === 1, objectives,
});

export interface ValueView {
  id: string;
  indicator_id: string;
  period: string;
  state: string;
  value: number;
  comment: string;
  evidence: { title: string; reference?: string }[];
  status: string;
  return_reason: string | null;
  entered_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  version: number;
  updated_at: string;
}

export const toValueView = (r: ValueRow): ValueView => ({
  id: r.id, indicator_id: r.indicator_id, period: r.period, state: r.state, value: Number(r.value), comment: r.comment,
  evidence: JSON.parse(r.evidence) as ValueView['evidence'], status: r.status, return_reason: r.return_reason, entered_by: r.entered_by,
  submitted_at: r.submitted_at, approved_by: r.approved_by, approved_at: r.approved_at, version: r.version, updated_at: r.updated_at,
});

export interface EvaluationHead {
  id: string;
  strategy_id: string;
  period: string;
  status: string;
  narrative: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export const toEvaluationHead = (r: EvaluationRow): EvaluationHead => ({
  id: r.id, strategy_id: r.strategy_id, period: r.period, status: r.status, narrative: r.narrative, version: r.version, created_at: r.created_at, updated_at: r.updated_at,
});
