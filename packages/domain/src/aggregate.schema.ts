import { z } from 'zod';
import { incidentListQuerySchema } from './incident.schema.js';

/** What an aggregate can be grouped by. Periods are those of `occurred_start`, in UTC. */
export const AGGREGATE_DIMENSIONS = [
  'state', 'admin1', 'admin2', 'event_type', 'sub_event_type', 'actor_kind', 'week', 'month', 'quarter', 'year',
] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];

/** The sums every aggregate carries; civilian harm always next to the rest. */
export const AGGREGATE_MEASURES = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;
export type AggregateMeasure = (typeof AGGREGATE_MEASURES)[number];

export const AGGREGATE_ORDERS = AGGREGATE_MEASURES.flatMap((m) => [m, `-${m}`] as const);

/** The incident filters an aggregate accepts: the same as GET /api/v1/incidents. Status defaults to validated. */
export const aggregateFilterSchema = incidentListQuerySchema.pick({
  from: true, to: true, states: true, admin1: true, admin2: true, event_types: true, sub_event_types: true,
  actors: true, bbox: true, q: true, status: true,
});
export type AggregateFilter = z.output<typeof aggregateFilterSchema>;

const dimensionList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.enum(AGGREGATE_DIMENSIONS)).max(AGGREGATE_DIMENSIONS.length).refine((d) => new Set(d).size === d.length, 'dimension en double'),
);

export const aggregateQuerySchema = aggregateFilterSchema.extend({
  group_by: dimensionList.default([]).describe(`Comma list of ${AGGREGATE_DIMENSIONS.join(', ')}; week is ISO 'YYYY-Www', month 'YYYY-MM', quarter 'YYYY-Qn', year 'YYYY'`),
  order: z.enum(AGGREGATE_ORDERS).optional().describe('Sort by a measure (prefix - for descending) instead of by the dimensions, e.g. -fatalities'),
  limit: z.coerce.number().int().min(1).max(10_000).optional().describe('Keep the first N groups (top-N with order)'),
});
export type AggregateQuery = z.output<typeof aggregateQuerySchema>;

const measures = {
  incidents: z.number().int(),
  fatalities: z.number().int(),
  civilian_fatalities: z.number().int(),
  injured: z.number().int(),
  abducted: z.number().int(),
};
export const aggregateTotalsSchema = z.object(measures);
export type AggregateTotals = z.infer<typeof aggregateTotalsSchema>;

/** One group: its dimension values (null where the record has none, e.g. no admin-2 area) and its sums. */
export const aggregateItemSchema = z
  .object({
    ...measures,
    state: z.string().nullable().optional(),
    admin1: z.string().nullable().optional(),
    admin2: z.string().nullable().optional(),
    event_type: z.string().nullable().optional(),
    sub_event_type: z.string().nullable().optional(),
    actor_kind: z.number().int().nullable().optional().describe('ACLED kind of actor 1'),
    week: z.string().optional(),
    month: z.string().optional(),
    quarter: z.string().optional(),
    year: z.string().optional(),
  });
export type AggregateItem = z.infer<typeof aggregateItemSchema>;

export const aggregateResultSchema = z.object({
  group_by: z.array(z.enum(AGGREGATE_DIMENSIONS)),
  items: z.array(aggregateItemSchema),
  totals: aggregateTotalsSchema,
});
export type AggregateResult = z.infer<typeof aggregateResultSchema>;

export const gridQuerySchema = aggregateFilterSchema.extend({
  cell: z.coerce.number().min(0.1).max(2).default(0.5).describe('Cell size in degrees (0.1 to 2)'),
});
export type GridQuery = z.output<typeof gridQuerySchema>;

const cellMeasures = { incidents: z.number().int(), fatalities: z.number().int(), civilian_fatalities: z.number().int() };

export const gridResultSchema = z.object({
  cell: z.number(),
  items: z.array(z.object({ lat: z.number(), lon: z.number(), ...cellMeasures }).describe('A cell by its centre')),
});
export type GridResult = z.infer<typeof gridResultSchema>;

export const h3QuerySchema = aggregateFilterSchema.extend({
  res: z.coerce.number().int().min(3).max(7).default(5).describe('H3 resolution (3 to 7)'),
});
export type H3Query = z.output<typeof h3QuerySchema>;

export const h3ResultSchema = z.object({
  res: z.number().int(),
  items: z.array(z.object({ h3: z.string(), lat: z.number(), lon: z.number(), ...cellMeasures }).describe('A hexagon by its index and centre')),
});
export type H3Result = z.infer<typeof h3ResultSchema>;
