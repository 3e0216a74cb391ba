import {
  CLASSIFICATIONS, DEFAULT_THRESHOLDS, type AxisView, type Definition, type EvaluationHead, type IndicatorView, type ObjectiveView, type StrategyView,
  type TargetView, type Thresholds, type ValueView,
} from '@vigie/domain';

export type { AxisView, EvaluationHead, IndicatorView, ObjectiveView, StrategyTree, StrategyView, TargetView, ValueView } from '@vigie/domain';
import type { AxisRow, EvaluationRow, IndicatorRow, ObjectiveRow, StrategyRow, TargetRow, ValueRow } from '../../repositories/strategy.repository.js';

export function toStrategyView(r: StrategyRow, supersededBy: string | null = null): StrategyView {
  return {
    id: r.id, code: r.code, title_fr: r.title_fr, title_en: r.title_en, description_fr: r.description_fr, description_en: r.description_en,
    valid_from: r.valid_from, valid_to: r.valid_to, status: r.status as StrategyView['status'], supersedes_id: r.supersedes_id, superseded_by: supersededBy,
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

export const toValueView = (r: ValueRow): ValueView => ({
  id: r.id, indicator_id: r.indicator_id, period: r.period, state: r.state, value: Number(r.value), comment: r.comment,
  evidence: JSON.parse(r.evidence) as ValueView['evidence'], status: r.status as ValueView['status'], return_reason: r.return_reason, entered_by: r.entered_by,
  submitted_at: r.submitted_at, approved_by: r.approved_by, approved_at: r.approved_at, version: r.version, updated_at: r.updated_at,
});

export const toEvaluationHead = (r: EvaluationRow): EvaluationHead => ({
  id: r.id, strategy_id: r.strategy_id, period: r.period, status: r.status as EvaluationHead['status'], narrative: r.narrative, version: r.version, created_at: r.created_at, updated_at: r.updated_at,
  audience: r.audience, ceiling: CLASSIFICATIONS[Number(r.ceiling)] ?? 'secret', as_of: r.status === 'final' ? r.as_of : null,
});
