import { z } from 'zod';
import { aggregateFilterSchema, aggregateTotalsSchema } from './aggregate.schema.js';
import { COMPARE_PERIODS, daysBetween, isPeriodKey } from './compare-period.js';

/** The longest custom period compared (five years of days). */
export const MAX_CUSTOM_DAYS = 5 * 366;

/** GET /api/v1/aggregates/compare: a period, the one before and the same a year earlier, with the usual filters. */
export const compareQuerySchema = aggregateFilterSchema
  .pick({ states: true, admin1: true, admin2: true, event_types: true, sub_event_types: true, actors: true, status: true })
  .extend({
    period: z.enum(COMPARE_PERIODS).default('week').describe('week (ISO), month, quarter, year, or custom (from and to)'),
    anchor: z.string().max(10).optional().describe("The period to compare: '2026-W48', '2026-11', '2026-Q4' or '2026' (default: the current one)"),
    from: z.iso.date().optional().describe('custom: first day'),
    to: z.iso.date().optional().describe('custom: last day (included)'),
  })
  .superRefine((q, ctx) => {
    if (q.period === 'custom') {
      if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'requis pour une période personnalisée' });
      if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'requis pour une période personnalisée' });
      if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'la fin précède le début' });
      if (q.from && q.to && q.to >= q.from && daysBetween(q.from, q.to) > MAX_CUSTOM_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'période de plus de cinq ans' });
      if (q.anchor !== undefined) ctx.addIssue({ code: 'custom', path: ['anchor'], message: 'sans objet pour une période personnalisée' });
    } else {
      if (q.anchor !== undefined && !isPeriodKey(q.period, q.anchor)) ctx.addIssue({ code: 'custom', path: ['anchor'], message: `pas une période de type ${q.period}` });
      if (q.from || q.to) ctx.addIssue({ code: 'custom', path: [q.from ? 'from' : 'to'], message: 'seulement pour une période personnalisée (period=custom)' });
    }
  });
export type CompareQuery = z.output<typeof compareQuerySchema>;

const spanSchema = z.object({ key: z.string(), from: z.string(), to: z.string() });

/** One of the three periods: its days, its totals, and the days counted for the comparison. */
const sideSchema = spanSchema.extend({
  totals: aggregateTotalsSchema.describe('The whole period (for the current one: its days so far)'),
  compared: spanSchema.extend({ totals: aggregateTotalsSchema })
    .describe('What the comparison counts: the whole period, or, while the current one is not over, its first days as many as have passed'),
});

export const compareResultSchema = z.object({
  period: z.enum(COMPARE_PERIODS),
  today: z.string(),
  complete: z.boolean().describe('False while the current period is not over: changes are then like for like (same number of first days)'),
  days: z.number().int(),
  elapsed_days: z.number().int(),
  current: sideSchema,
  previous: sideSchema,
  last_year: sideSchema,
  by_state: z.array(z.object({
    state: z.string().nullable(), current: aggregateTotalsSchema, previous: aggregateTotalsSchema, last_year: aggregateTotalsSchema,
  })).describe("Per reporting state, the compared days of each period (the reader's visible records only)"),
});
export type CompareResult = z.infer<typeof compareResultSchema>;
