import { z } from 'zod';
import { CLASSIFICATIONS, CONFEDERATION_ORG } from './classification.js';
import { VALIDATION_MESSAGES } from './messages.js';
import { FREQUENCIES, isPeriodOf, periodFrequency } from './period.js';
import { EVENT_TYPE_SLUGS, SUB_EVENT_TYPE_SLUGS } from './taxonomy.js';

/** Validation messages of the strategy schemas, registered in the shared catalogue (fr first). */
export const STRATEGY_MESSAGES: Record<string, { fr: string; en: string }> = {
  'validation.unknown_measure': {
    fr: 'Mesure inconnue : attendu incidents, fatalities, civilian_fatalities ou ratio',
    en: 'Unknown measure: expected incidents, fatalities, civilian_fatalities or ratio',
  },
  'validation.period_format': { fr: 'Période attendue : AAAA, AAAA-Tn (AAAA-Qn) ou AAAA-MM', en: 'Period expected: YYYY, YYYY-Qn or YYYY-MM' },
  'validation.date_format': { fr: 'Date attendue : AAAA-MM-JJ', en: 'Date expected: YYYY-MM-DD' },
  'validation.valid_to_before_from': { fr: 'La fin de validité précède son début', en: 'The end of validity is before its start' },
  'validation.definition_required': { fr: 'Un indicateur calculé exige une définition', en: 'A computed indicator needs a definition' },
  'validation.definition_forbidden': { fr: 'Un indicateur saisi à la main ne porte pas de définition', en: 'A hand-entered indicator has no definition' },
  'validation.thresholds_order': { fr: 'Le seuil « en bonne voie » doit dépasser le seuil « à risque »', en: 'The on-track threshold must exceed the at-risk threshold' },
  'validation.justification_required': { fr: 'Une justification écrite est requise pour modifier le statut calculé', en: 'A written justification is needed to override the derived status' },
};
Object.assign(VALIDATION_MESSAGES, STRATEGY_MESSAGES);

const day = z.iso.date({ error: 'validation.date_format' });
const text = (max: number) => z.string().trim().max(max);
const name = z.string().trim().min(1).max(300);
const code = z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/, 'Code : 1 à 32 caractères parmi A-Z a-z 0-9 . _ -');
export const periodString = z.string().refine((p) => periodFrequency(p) !== undefined, { error: 'validation.period_format' });

export const STATUS_RATINGS = ['on_track', 'at_risk', 'off_track'] as const;
export type StatusRating = (typeof STATUS_RATINGS)[number];
export const RATING_LABELS: Record<StatusRating, { fr: string; en: string }> = {
  on_track: { fr: 'En bonne voie', en: 'On track' },
  at_risk: { fr: 'À risque', en: 'At risk' },
  off_track: { fr: 'Hors trajectoire', en: 'Off track' },
};

/** Achievement (0…1 and beyond) from which a status is derived: ≥ on_track → on track, ≥ at_risk → at risk, else off track. */
export const thresholdsSchema = z
  .strictObject({
    on_track: z.number().min(0).max(2).default(0.9),
    at_risk: z.number().min(0).max(2).default(0.6),
  })
  .check((ctx) => {
    if (ctx.value.on_track <= ctx.value.at_risk) ctx.issues.push({ code: 'custom', path: ['on_track'], message: 'validation.thresholds_order', input: ctx.value });
  });
export type Thresholds = z.output<typeof thresholdsSchema>;
export const DEFAULT_THRESHOLDS: Thresholds = { on_track: 0.9, at_risk: 0.6 };

// ---------------------------------------------------------------------------------------------- strategy

export const strategyCreateSchema = z
  .strictObject({
    code: code,
    title_fr: name,
    title_en: name,
    description_fr: text(5000).default(''),
    description_en: text(5000).default(''),
    valid_from: day.describe('First day of validity'),
    valid_to: day.describe('Last day of validity (inclusive)'),
    thresholds: thresholdsSchema.default(DEFAULT_THRESHOLDS),
    classification: z.enum(CLASSIFICATIONS).default('restricted').describe('Readers need this clearance'),
  })
  .check((ctx) => {
    if (ctx.value.valid_to < ctx.value.valid_from) ctx.issues.push({ code: 'custom', path: ['valid_to'], message: 'validation.valid_to_before_from', input: ctx.value.valid_to });
  });
export type StrategyCreate = z.input<typeof strategyCreateSchema>;

export const strategyPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  title_fr: name.optional(),
  title_en: name.optional(),
  description_fr: text(5000).optional(),
  description_en: text(5000).optional(),
  valid_to: day.optional(),
  thresholds: thresholdsSchema.optional(),
  status: z.enum(['draft', 'active']).optional(),
  classification: z.enum(CLASSIFICATIONS).optional().describe('Re-classified: readers (and federation links) above it lose it; at most the editor\'s clearance'),
});

export const strategyReviseSchema = z.strictObject({
  code: code,
  title_fr: name.optional(),
  title_en: name.optional(),
  valid_from: day,
  valid_to: day,
});

export const STRATEGY_STATUSES = ['draft', 'active', 'superseded'] as const;

export const axisCreateSchema = z.strictObject({
  code: code,
  name_fr: name,
  name_en: name,
  description_fr: text(5000).default(''),
  position: z.number().int().min(0).max(1000).optional(),
  civilian_protection: z.boolean().default(false).describe('The axis on protection of civilians; the report always shows it'),
});
export const axisPatchSchema = axisCreateSchema.partial().strict();

export const objectiveCreateSchema = z.strictObject({
  code: code,
  name_fr: name,
  name_en: name,
  description_fr: text(5000).default(''),
  position: z.number().int().min(0).max(1000).optional(),
});
export const objectivePatchSchema = objectiveCreateSchema.partial().strict();

// ---------------------------------------------------------------------------------------------- indicators

/** What a hand-entered value is: a count (whole, ≥ 0), a percentage (0–100), a number of days (≥ 0), a ratio (≥ 0) or any number. */
export const UNITS = ['count', 'percent', 'ratio', 'days', 'number'] as const;
export type Unit = (typeof UNITS)[number];
export const UNIT_LABELS: Record<Unit, { fr: string; en: string }> = {
  count: { fr: 'nombre', en: 'count' },
  percent: { fr: '%', en: '%' },
  ratio: { fr: 'ratio', en: 'ratio' },
  days: { fr: 'jours', en: 'days' },
  number: { fr: 'valeur', en: 'value' },
};

/** A value's type and range for its unit: the message names what is wrong, or undefined when it fits. */
export function unitProblem(unit: Unit, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'la valeur doit être un nombre fini';
  if (unit === 'count' && (!Number.isInteger(value) || value < 0)) return 'un nombre (unité « count ») est un entier positif ou nul';
  if (unit === 'percent' && (value < 0 || value > 100)) return 'un pourcentage est compris entre 0 et 100';
  if ((unit === 'days' || unit === 'ratio') && value < 0) return `une valeur en ${UNIT_LABELS[unit].fr} est positive ou nulle`;
  return undefined;
}

export const DIRECTIONS = ['increase', 'decrease'] as const;
export const INDICATOR_SOURCES = ['manual', 'computed'] as const;

/** The measures a computed indicator may use: the same ones the aggregates (and dashboards) give. */
export const BASE_MEASURES = ['incidents', 'fatalities', 'civilian_fatalities'] as const;
export type BaseMeasure = (typeof BASE_MEASURES)[number];
export const MEASURE_LABELS: Record<BaseMeasure | 'ratio', { fr: string; en: string }> = {
  incidents: { fr: 'nombre d’incidents', en: 'number of incidents' },
  fatalities: { fr: 'nombre de tués', en: 'fatalities' },
  civilian_fatalities: { fr: 'civils tués', en: 'civilians killed' },
  ratio: { fr: 'rapport', en: 'ratio' },
};

const list = <T extends z.ZodType>(item: T) => z.array(item).max(100).optional();

/** Which incidents a measure counts; the same filters as the incident list and the aggregates. */
export const measureFilterSchema = z.strictObject({
  states: list(z.string().regex(/^[A-Z]{3,4}$/)),
  admin1: list(z.string().trim().min(1).max(64)),
  admin2: list(z.string().trim().min(1).max(64)),
  event_types: list(z.enum(EVENT_TYPE_SLUGS)),
  sub_event_types: list(z.enum(SUB_EVENT_TYPE_SLUGS)),
  actors: list(z.string().trim().min(1).max(64)),
});
export type MeasureFilter = z.infer<typeof measureFilterSchema>;

const baseMeasure = z.enum(BASE_MEASURES, { error: 'validation.unknown_measure' });

export const measureSchema = z.strictObject({ measure: baseMeasure, filter: measureFilterSchema.default({}) });
export type Measure = z.infer<typeof measureSchema>;

/**
 * A computed indicator's declared definition: one measure over filtered incidents, or a ratio of two
 * (× scale, e.g. 100 for a percentage). The period and state come from the value being computed.
 */
export const definitionSchema = z
  .strictObject({
    measure: z.enum([...BASE_MEASURES, 'ratio'], { error: 'validation.unknown_measure' }),
    filter: measureFilterSchema.default({}),
    numerator: measureSchema.optional(),
    denominator: measureSchema.optional(),
    scale: z.number().positive().max(1_000_000).default(1),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.measure === 'ratio') {
      if (!v.numerator) ctx.issues.push({ code: 'custom', path: ['numerator'], message: 'un rapport exige un numérateur', input: v });
      if (!v.denominator) ctx.issues.push({ code: 'custom', path: ['denominator'], message: 'un rapport exige un dénominateur', input: v });
    } else if (v.numerator || v.denominator) {
      ctx.issues.push({ code: 'custom', path: ['measure'], message: 'numérateur et dénominateur ne valent que pour measure = ratio', input: v });
    }
  });
export type Definition = z.output<typeof definitionSchema>;

export const targetSchema = z.strictObject({
  period: periodString,
  state: z.string().regex(/^[A-Z]{3,4}$/).nullable().default(null).describe('Member state, or null for the confederation-wide target'),
  value: z.number(),
});
export type Target = z.output<typeof targetSchema>;

const indicatorFields = {
  code: code,
  name_fr: name,
  name_en: name,
  description_fr: text(5000).default(''),
  unit: z.enum(UNITS),
  direction: z.enum(DIRECTIONS).describe('increase: higher is better; decrease: lower is better'),
  frequency: z.enum(FREQUENCIES),
  baseline_value: z.number().nullable().default(null),
  baseline_period: periodString.nullable().default(null),
  source: z.enum(INDICATOR_SOURCES),
  definition: definitionSchema.nullable().default(null),
  civilian_harm: z.boolean().default(false).describe('A civilian-harm measure: always shown in the report'),
  thresholds: thresholdsSchema.nullable().default(null).describe("Overrides the strategy's thresholds"),
  position: z.number().int().min(0).max(1000).optional(),
  targets: z.array(targetSchema).max(2000).default([]),
};

type Ctx = { value: Record<string, unknown>; issues: z.core.$ZodRawIssue[] };
function indicatorRules(ctx: Ctx): void {
  const v = ctx.value;
  if (v.source === 'computed' && !v.definition) ctx.issues.push({ code: 'custom', path: ['definition'], message: 'validation.definition_required', input: v.definition });
  if (v.source === 'manual' && v.definition) ctx.issues.push({ code: 'custom', path: ['definition'], message: 'validation.definition_forbidden', input: v.definition });
  const freq = v.frequency as (typeof FREQUENCIES)[number] | undefined;
  if (freq && Array.isArray(v.targets)) {
    (v.targets as Target[]).forEach((t, i) => {
      if (typeof t.period === 'string' && periodFrequency(t.period) && !isPeriodOf(t.period, freq)) {
        ctx.issues.push({ code: 'custom', path: ['targets', i, 'period'], message: `période ${t.period} : l'indicateur est de fréquence ${freq}`, input: t.period });
      }
    });
  }
}

export const indicatorCreateSchema = z.strictObject(indicatorFields).check(indicatorRules);
export type IndicatorCreate = z.input<typeof indicatorCreateSchema>;

export const indicatorPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  name_fr: name.optional(),
  name_en: name.optional(),
  description_fr: text(5000).optional(),
  unit: z.enum(UNITS).optional(),
  direction: z.enum(DIRECTIONS).optional(),
  baseline_value: z.number().nullable().optional(),
  baseline_period: periodString.nullable().optional(),
  definition: definitionSchema.nullable().optional(),
  civilian_harm: z.boolean().optional(),
  thresholds: thresholdsSchema.nullable().optional(),
  targets: z.array(targetSchema).max(2000).optional().describe('Replaces every target'),
});

// ---------------------------------------------------------------------------------------------- values

export const VALUE_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ValueStatus = (typeof VALUE_STATUSES)[number];

export const evidenceSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  reference: z.string().trim().max(1000).optional().describe('Document reference or link'),
});

export const valueEntrySchema = z.strictObject({
  period: periodString,
  state: z.string().regex(/^[A-Z]{3,4}$/).optional().describe("Defaults to the user's state"),
  value: z.number({ error: 'la valeur doit être un nombre' }),
  unit: z.enum(UNITS).optional().describe("When given, must be the indicator's unit"),
  comment: text(5000).default(''),
  evidence: z.array(evidenceSchema).max(20).default([]),
  submit: z.boolean().default(false).describe('Submit to the focal point right away'),
});

export const valueReturnSchema = z.strictObject({ reason: z.string().trim().min(3).max(2000) });
export const valueQuerySchema = z.strictObject({
  status: z.enum(VALUE_STATUSES).optional(),
  state: z.string().regex(/^[A-Z]{3,4}$/).optional(),
  period: periodString.optional(),
});

// ---------------------------------------------------------------------------------------------- evaluations

export const ratingInputSchema = z.strictObject({
  objective_id: z.string().min(1),
  rating: z.enum(STATUS_RATINGS).nullable().default(null).describe('null: keep the status derived from targets'),
  justification: text(5000).default(''),
  comment: text(5000).default(''),
});

export const evaluationCreateSchema = z.strictObject({
  period: periodString,
  audience: z.string().regex(/^[A-Z]{3,4}$/).default(CONFEDERATION_ORG).describe('Whose view the figures are: CONF or a member state code'),
  ceiling: z.enum(CLASSIFICATIONS).default('restricted').describe('The highest classification the figures may count'),
  narrative: text(50_000).default(''),
  ratings: z.array(ratingInputSchema).max(500).default([]),
});
export const evaluationPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  narrative: text(50_000).optional(),
  ratings: z.array(ratingInputSchema).max(500).optional(),
  status: z.enum(['draft', 'final']).optional(),
});

export const progressQuerySchema = z.strictObject({ period: periodString.optional() });
