import { z } from 'zod';
import { CLASSIFICATIONS, CONFEDERATION_ORG } from './classification.js';
import { isoWeekOf } from './compare-period.js';
import { boundaryFrameSchema } from './geography.schema.js';

/** A situation report covers an ISO week ('2026-W48') or a calendar month ('2026-11'), in UTC days. */
export const SITREP_KINDS = ['week', 'month'] as const;
export type SitrepKind = (typeof SITREP_KINDS)[number];
export const SITREP_LANGS = ['fr', 'en'] as const;
export type SitrepLang = (typeof SITREP_LANGS)[number];

const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** Monday of ISO week 1 of a year (the week holding 4 January), as a UTC timestamp. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - dow * DAY;
}

/** Whether a string is a period of that kind that exists (week 53 only in long years). */
export function isSitrepPeriod(kind: SitrepKind, period: string): boolean {
  if (kind === 'month') return MONTH.test(period);
  return ISO_WEEK.test(period) && isoWeekOf(sitrepBounds('week', period).from) === period;
}

/** First and last day (inclusive) of a report's period. */
export function sitrepBounds(kind: SitrepKind, period: string): { from: string; to: string } {
  const year = Number(period.slice(0, 4));
  if (kind === 'week') {
    const monday = week1Monday(year) + (Number(period.slice(6)) - 1) * 7 * DAY;
    return { from: dayOf(monday), to: dayOf(monday + 6 * DAY) };
  }
  const m = Number(period.slice(5, 7));
  return { from: `${year}-${pad(m)}-01`, to: dayOf(Date.UTC(year, m, 1) - DAY) };
}

/** The period `n` periods before (negative: after) this one. */
export function sitrepShift(kind: SitrepKind, period: string, n: number): string {
  if (kind === 'week') return isoWeekOf(dayOf(Date.parse(`${sitrepBounds('week', period).from}T00:00:00Z`) - n * 7 * DAY));
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7)) - 1 - n;
  const d = new Date(Date.UTC(y, m, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

const orgCode = z.string().regex(/^[A-Z]{3,4}$/);

/** POST /api/v1/sitreps: which period, for whom, up to which classification. */
export const sitrepCreateSchema = z.strictObject({
  kind: z.enum(SITREP_KINDS).default('week'),
  period: z.string().max(8).describe("ISO week 'YYYY-Www' for a weekly report, 'YYYY-MM' for a monthly one"),
  audience: orgCode.default(CONFEDERATION_ORG).describe('Whose view the figures are: CONF or a member state code'),
  ceiling: z.enum(CLASSIFICATIONS).default('restricted').describe('The highest classification the figures may count'),
}).superRefine((v, ctx) => {
  if (!isSitrepPeriod(v.kind, v.period)) {
    ctx.addIssue({ code: 'custom', path: ['period'], message: v.kind === 'week' ? `semaine ISO attendue (AAAA-Snn, p. ex. 2026-W48) : ${v.period}` : `mois attendu (AAAA-MM) : ${v.period}` });
  }
});
export type SitrepCreate = z.output<typeof sitrepCreateSchema>;

export const sitrepListQuerySchema = z.strictObject({
  kind: z.enum(SITREP_KINDS).optional(),
  period: z.string().max(8).optional().describe("An exact period, e.g. 2026-W48 or 2026-11"),
  audience: orgCode.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Words of the report text (highlights, paragraphs), French or English'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const sitrepTotalsSchema = z.object({
  incidents: z.number(), fatalities: z.number(), civilian_fatalities: z.number(), injured: z.number(), abducted: z.number(),
});
export type SitrepTotals = z.infer<typeof sitrepTotalsSchema>;

const keyFigure = z.object({
  state: z.string().nullable().describe('null: all states of the audience'),
  current: sitrepTotalsSchema,
  previous: sitrepTotalsSchema,
  avg_short: sitrepTotalsSchema.describe('Mean of the 4 previous weeks (3 previous months)'),
  avg_long: sitrepTotalsSchema.describe('Mean of the 12 previous weeks (12 previous months)'),
});

const area = z.object({
  state: z.string(), code: z.string(), name_fr: z.string(), name_en: z.string(), lat: z.number(), lon: z.number(),
  current: sitrepTotalsSchema, previous: sitrepTotalsSchema,
  history_incidents: z.number().describe('Incidents of the 12 previous periods'),
});

/** Everything a report shows, computed once for its audience and frozen with it. */
export const sitrepFiguresSchema = z.object({
  kind: z.enum(SITREP_KINDS),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  states: z.array(z.object({ code: z.string(), name_fr: z.string(), name_en: z.string() })),
  alliance: z.object({ name_fr: z.string(), name_en: z.string() }),
  key_figures: z.array(keyFigure),
  areas: z.array(area),
  series: z.object({ periods: z.array(z.string()), incidents: z.array(z.number()), fatalities: z.array(z.number()), civilian_fatalities: z.array(z.number()) }),
  actors: z.array(z.object({ code: z.string(), name: z.string(), kind: z.number(), incidents: z.number(), fatalities: z.number() })),
  alerts: z.array(z.object({
    id: z.string(), title_fr: z.string(), title_en: z.string(), severity: z.string(), status: z.string(), created_at: z.string(),
    states: z.array(z.object({ state: z.string(), acknowledged_at: z.string().nullable() })),
  })),
  forecast: z.array(z.object({ state: z.string(), code: z.string(), name_fr: z.string(), name_en: z.string(), month: z.string(), fatalities: z.number() })).nullable(),
  actions: z.array(z.object({
    id: z.string(), title: z.string(), owner_state: z.string().nullable(), owner_body: z.string().nullable(), due_date: z.string(), status: z.string(),
    progress: z.number(), overdue: z.boolean(),
  })),
  map: z.object({
    outlines: z.array(z.object({ code: z.string(), state: z.string(), d: z.string() })), width: z.number(), height: z.number(),
    bbox: z.array(z.number()).length(4).describe('[west, south, east, north] of the projection'),
  })
    .describe('The boundaries projected once, as SVG paths (the map is redrawn from them)'),
  boundary_frame: boundaryFrameSchema.optional()
    .describe('The boundary sets the figures by area were counted in, frozen with them (reports stored before it: the sets current at their "as of" time)'),
});
export type SitrepFigures = z.infer<typeof sitrepFiguresSchema>;

/** A report in lists: what it covers, for whom, when its figures were taken. */
export const sitrepHeadSchema = z.object({
  id: z.string(),
  kind: z.enum(SITREP_KINDS),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  audience: z.string(),
  ceiling: z.enum(CLASSIFICATIONS),
  as_of: z.string().describe('When the figures were computed and frozen'),
  created_by: z.string().nullable().describe('Login of whoever asked; null for the schedule or the CLI'),
  created_at: z.string(),
  headline_fr: z.string(),
  headline_en: z.string(),
  totals: sitrepTotalsSchema,
});
export type SitrepHead = z.infer<typeof sitrepHeadSchema>;

export const sitrepSchema = sitrepHeadSchema.extend({ figures: sitrepFiguresSchema });
export type Sitrep = z.infer<typeof sitrepSchema>;

export const sitrepListSchema = z.object({ items: z.array(sitrepHeadSchema) });
