/** Types of the strategy API's JSON, derived from the shared domain schemas (never hand-copied). */
import type {
  Cell, Evaluation, EvaluationHead, IndicatorProgress, IndicatorTrend, IndicatorView, ObjectiveProgress, ReportingCell, StrategyProgress,
  StrategyTree, StrategyView, ValueView,
} from '@vigie/domain/strategy-output.schema';
import type { StatusRating } from '@vigie/domain/strategy.schema';

export type Rating = StatusRating;
export type Strategy = StrategyView;
export type Indicator = IndicatorView;
export type Progress = StrategyProgress;
export type Value = ValueView;
export type Trend = IndicatorTrend;
export type { Cell, Evaluation, EvaluationHead, IndicatorProgress, ObjectiveProgress, ReportingCell, StrategyTree };
