import { z } from 'zod';
import { CLASSIFICATIONS } from './classification.js';
import { STATUS_RATINGS, thresholdsSchema, definitionSchema } from './strategy.schema.js';

/** What the strategy API returns: one definition for the server's answers, the OpenAPI document and the web's types. */
const rating = z.enum(STATUS_RATINGS).nullable();

export const strategyViewSchema = z.object({
  id: z.string(), code: z.string(), title_fr: z.string(), title_en: z.string(), description_fr: z.string(), description_en: z.string(),
  valid_from: z.string(), valid_to: z.string(), status: z.enum(['draft', 'active', 'superseded']), supersedes_id: z.string().nullable(),
  superseded_by: z.string().nullable(), thresholds: thresholdsSchema, classification: z.string(), version: z.number().int(),
  created_at: z.string(), updated_at: z.string(),
});
export type StrategyView = z.infer<typeof strategyViewSchema>;

export const targetViewSchema = z.object({ period: z.string(), state: z.string().nullable(), value: z.number() });
export type TargetView = z.infer<typeof targetViewSchema>;

export const indicatorViewSchema = z.object({
  id: z.string(), strategy_id: z.string(), objective_id: z.string(), code: z.string(), position: z.number().int(), name_fr: z.string(),
  name_en: z.string(), description_fr: z.string(), unit: z.string(), direction: z.enum(['increase', 'decrease']),
  frequency: z.enum(['month', 'quarter', 'year']), baseline_value: z.number().nullable(), baseline_period: z.string().nullable(),
  source: z.enum(['manual', 'computed']), definition: z.lazy(() => definitionSchema).nullable(), civilian_harm: z.boolean(),
  thresholds: thresholdsSchema.nullable(), targets: z.array(targetViewSchema), version: z.number().int(),
});
export type IndicatorView = z.output<typeof indicatorViewSchema>;

export const objectiveViewSchema = z.object({
  id: z.string(), axis_id: z.string(), code: z.string(), position: z.number().int(), name_fr: z.string(), name_en: z.string(),
  description_fr: z.string(), indicators: z.array(indicatorViewSchema),
});
export type ObjectiveView = z.output<typeof objectiveViewSchema>;

export const axisViewSchema = z.object({
  id: z.string(), code: z.string(), position: z.number().int(), name_fr: z.string(), name_en: z.string(), description_fr: z.string(),
  civilian_protection: z.boolean(), objectives: z.array(objectiveViewSchema),
});
export type AxisView = z.output<typeof axisViewSchema>;

export const strategyTreeSchema = strategyViewSchema.extend({ axes: z.array(axisViewSchema) });
export type StrategyTree = z.output<typeof strategyTreeSchema>;

export const valueViewSchema = z.object({
  id: z.string(), indicator_id: z.string(), period: z.string(), state: z.string(), value: z.number(), comment: z.string(),
  evidence: z.array(z.object({ title: z.string(), reference: z.string().optional() })), status: z.enum(['draft', 'submitted', 'approved', 'returned']),
  return_reason: z.string().nullable(), entered_by: z.string().nullable(), submitted_at: z.string().nullable(), approved_by: z.string().nullable(),
  approved_at: z.string().nullable(), version: z.number().int(), updated_at: z.string(),
  indicator_code: z.string().optional(), unit: z.string().optional(),
});
export type ValueView = z.infer<typeof valueViewSchema>;

export const reportingCellSchema = z.object({
  indicator_id: z.string(), indicator_code: z.string(), period: z.string(), state: z.string(),
  status: z.enum(['missing', 'draft', 'submitted', 'returned', 'approved']), late: z.boolean(), due_date: z.string(),
});
export type ReportingCell = z.infer<typeof reportingCellSchema>;

export const cellSchema = z.object({
  state: z.string().nullable(), value: z.number().nullable(), target: z.number().nullable(), achievement: z.number().nullable(), status: rating,
  coverage: z.object({ reported: z.number().int(), expected: z.number().int() }).optional()
    .describe('The confederation cell of a hand-entered indicator: how many member states have an approved value. Not rated unless all have.'),
});
export type Cell = z.infer<typeof cellSchema>;

export const indicatorProgressSchema = z.object({
  id: z.string(), code: z.string(), name_fr: z.string(), name_en: z.string(), unit: z.string(), direction: z.string(), frequency: z.string(),
  source: z.string(), civilian_harm: z.boolean(), baseline_value: z.number().nullable(), baseline_period: z.string().nullable(),
  assessed_period: z.string(), cells: z.array(cellSchema).describe('The confederation first, then each member state'),
  achievement: z.number().nullable(), status: rating,
});
export type IndicatorProgress = z.infer<typeof indicatorProgressSchema>;

export const objectiveProgressSchema = z.object({
  id: z.string(), code: z.string(), name_fr: z.string(), name_en: z.string(), achievement: z.number().nullable(), status: rating,
  indicators: z.array(indicatorProgressSchema),
});
export type ObjectiveProgress = z.infer<typeof objectiveProgressSchema>;

export const axisProgressSchema = z.object({
  id: z.string(), code: z.string(), name_fr: z.string(), name_en: z.string(), civilian_protection: z.boolean(), objectives: z.array(objectiveProgressSchema),
});
export type AxisProgress = z.infer<typeof axisProgressSchema>;

export const strategyProgressSchema = z.object({ strategy: strategyViewSchema, period: z.string(), states: z.array(z.string()), axes: z.array(axisProgressSchema) });
export type StrategyProgress = z.infer<typeof strategyProgressSchema>;

export const trendSchema = z.object({
  indicator: indicatorViewSchema, periods: z.array(z.string()),
  series: z.array(z.object({
    state: z.string().nullable(), values: z.array(z.number().nullable()), targets: z.array(z.number().nullable()),
    reported: z.array(z.number().int()).optional().describe('The confederation series of a hand-entered indicator: states with an approved value, per period'),
  })),
});
export type IndicatorTrend = z.output<typeof trendSchema>;

export const evaluationHeadSchema = z.object({
  id: z.string(), strategy_id: z.string(), period: z.string(), status: z.enum(['draft', 'final']), narrative: z.string(), version: z.number().int(),
  created_at: z.string(), updated_at: z.string(),
  audience: z.string().describe('Whose view the figures are: the confederation (CONF) or one member state'),
  ceiling: z.enum(CLASSIFICATIONS).describe('The highest classification of the incidents the figures count'),
  as_of: z.string().nullable().describe('When a final evaluation\'s figures were computed and frozen; null while draft (computed on each read)'),
});
export type EvaluationHead = z.infer<typeof evaluationHeadSchema>;

export const objectiveRatingSchema = z.object({
  objective_id: z.string(), derived: rating, rating, final: rating.describe('The rating the experts set, else the derived status'),
  justification: z.string(), comment: z.string(),
});
export type ObjectiveRating = z.infer<typeof objectiveRatingSchema>;

export const evaluationSchema = evaluationHeadSchema.extend({ ratings: z.array(objectiveRatingSchema), progress: strategyProgressSchema });
export type Evaluation = z.infer<typeof evaluationSchema>;
