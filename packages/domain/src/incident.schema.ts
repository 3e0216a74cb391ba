import { z } from 'zod';
import {
  CLASSIFICATIONS, CREDIBILITY_GRADES, GEO_PRECISIONS, INCIDENT_STATUSES, RELIABILITY_GRADES,
  SHARING_SCOPES, SOURCE_KINDS, TIME_PRECISIONS,
} from './classification.js';
import { EVENT_TYPE_SLUGS, SUB_EVENT_TYPE_SLUGS, eventTypeOf } from './taxonomy.js';

const isoInstant = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time; stored in UTC');
const count = z.number().int().min(0).max(100_000);
const code = z.string().trim().min(1).max(64);

export const sourceSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SOURCE_KINDS),
  reliability: z.enum(RELIABILITY_GRADES).describe('Admiralty reliability A (completely reliable) … E (unreliable), F (cannot be judged)'),
  credibility: z.union(CREDIBILITY_GRADES.map((g) => z.literal(g))).describe('Admiralty credibility 1 (confirmed) … 5 (improbable), 6 (cannot be judged)'),
  reported_at: isoInstant.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** The earliest date an incident may have: UCDP's coverage starts on 1 January 1989. */
export const EARLIEST_OCCURRED = '1989-01-01T00:00:00Z';
const DAY_MS = 86_400_000;

/** When an incident happened: from 1989 to at most a day ahead (a time zone's worth of leeway). */
const occurredInstant = (which: 'start' | 'end') =>
  isoInstant
    // A malformed date already has its own message: these bounds say nothing about it.
    .refine((v) => !(Date.parse(v) < Date.parse(EARLIEST_OCCURRED)), `validation.${which}_too_early`)
    .refine((v) => !(Date.parse(v) > Date.now() + DAY_MS), `validation.${which}_in_future`)
    .describe(`ISO 8601 date-time, stored in UTC; on or after ${EARLIEST_OCCURRED.slice(0, 10)} and at most a day ahead`);

/** Fields a client sets on an incident (create and full edit). */
const incidentFields = {
  occurred_start: occurredInstant('start'),
  occurred_end: occurredInstant('end').nullish(),
  time_precision: z.union(TIME_PRECISIONS.map((p) => z.literal(p))).default(1),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  geo_precision: z.union(GEO_PRECISIONS.map((p) => z.literal(p))).default(1),
  place_name: z.string().trim().max(200).nullish(),
  admin1_code: code.nullish().describe('Derived from the location when omitted'),
  admin2_code: code.nullish().describe('Derived from the location when omitted'),
  event_type: z.enum(EVENT_TYPE_SLUGS),
  sub_event_type: z.enum(SUB_EVENT_TYPE_SLUGS),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  narrative: z.string().max(20_000).default(''),
  actor1: code.nullish().describe('Actor code from the actor list'),
  actor2: code.nullish(),
  associated_actors: z.array(code).max(20).default([]),
  fatalities_best: count.default(0),
  fatalities_low: count.nullish(),
  fatalities_high: count.nullish(),
  civilian_fatalities: count.default(0),
  injured: count.default(0),
  abducted: count.default(0),
  sources: z.array(sourceSchema).max(50).default([]),
  classification: z.enum(CLASSIFICATIONS).default('restricted'),
  sharing_scope: z.enum(SHARING_SCOPES).default('national'),
  exact_location_classification: z
    .enum(CLASSIFICATIONS)
    .nullish()
    .describe('Readers cleared below this level see the location coarsened to the admin-2 area; null: everyone who may read the record sees the exact point'),
};

type Check = { value: Record<string, unknown>; issues: z.core.$ZodRawIssue[] };

/** Cross-field rules shared by create and edit: sub-type within type, time order, toll bounds. */
function crossFieldRules(ctx: Check): void {
  const v = ctx.value;
  const add = (path: string, message: string) =>
    ctx.issues.push({ code: 'custom', path: [path], message, input: v[path] });
  if (typeof v.sub_event_type === 'string' && typeof v.event_type === 'string' && eventTypeOf(v.sub_event_type) !== v.event_type) {
    add('sub_event_type', 'validation.sub_type_mismatch');
  }
  if (typeof v.occurred_start === 'string' && typeof v.occurred_end === 'string' && Date.parse(v.occurred_end) < Date.parse(v.occurred_start)) {
    add('occurred_end', 'validation.end_before_start');
  }
  const best = v.fatalities_best as number | undefined;
  const low = v.fatalities_low as number | null | undefined;
  const high = v.fatalities_high as number | null | undefined;
  if (best !== undefined && low != null && low > best) add('fatalities_low', 'validation.low_above_best');
  if (best !== undefined && high != null && high < best) add('fatalities_high', 'validation.high_below_best');
  if (best !== undefined && typeof v.civilian_fatalities === 'number' && v.civilian_fatalities > best) {
    add('civilian_fatalities', 'validation.civilians_above_total');
  }
}

export const incidentCreateSchema = z
  .strictObject({
    id: z.uuid().describe('Chosen by the client (UUIDv7 recommended) so that a retried submission never duplicates'),
    status: z.enum(['draft', 'submitted']).default('draft'),
    ...incidentFields,
  })
  .check(crossFieldRules);
export type IncidentCreate = z.input<typeof incidentCreateSchema>;
export type IncidentCreateParsed = z.output<typeof incidentCreateSchema>;

/** A patch names only what changes: every field optional and without its create-time default. */
const patchFields = Object.fromEntries(
  Object.entries(incidentFields).map(([k, s]) => [k, (s instanceof z.ZodDefault ? (s.def.innerType as z.ZodType) : (s as z.ZodType)).optional()]),
) as { [K in keyof typeof incidentFields]: z.ZodOptional<z.ZodType<z.output<(typeof incidentFields)[K]>, z.input<(typeof incidentFields)[K]>>> };

export const incidentPatchSchema = z
  .strictObject({
    version: z.number().int().min(1).describe('The version the client edited; a stale one gets 409'),
    change_reason: z.string().trim().max(500).optional(),
    ...patchFields,
  })
  .check(crossFieldRules);
export type IncidentPatch = z.input<typeof incidentPatchSchema>;

export const incidentSchema = z.object({
  id: z.uuid(),
  reporting_state: z.string(),
  reporter: z.string().nullable(),
  status: z.enum(INCIDENT_STATUSES),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  occurred_start: z.string(),
  occurred_end: z.string().nullable(),
  time_precision: z.number().int(),
  latitude: z.number(),
  longitude: z.number(),
  location_coarsened: z.boolean().describe('True when the reader sees the admin-2 area instead of the exact point'),
  geo_precision: z.number().int(),
  place_name: z.string().nullable(),
  admin1_code: z.string().nullable(),
  admin2_code: z.string().nullable(),
  event_type: z.string(),
  sub_event_type: z.string(),
  interaction: z.number().int().nullable(),
  tags: z.array(z.string()),
  narrative: z.string(),
  actor1: z.string().nullable(),
  actor2: z.string().nullable(),
  associated_actors: z.array(z.string()),
  fatalities_best: z.number().int(),
  fatalities_low: z.number().int().nullable(),
  fatalities_high: z.number().int().nullable(),
  civilian_fatalities: z.number().int(),
  injured: z.number().int(),
  abducted: z.number().int(),
  sources: z.array(sourceSchema),
  classification: z.enum(CLASSIFICATIONS),
  sharing_scope: z.enum(SHARING_SCOPES),
  exact_location_classification: z.enum(CLASSIFICATIONS).nullable(),
  rejection_reason: z.string().nullable(),
  merged_into: z.string().nullable(),
  assigned_to: z.string().nullable(),
  /** Set on a record received from another node (federation, read-only here): the node that owns it. */
  origin_node: z.string().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(item).max(100),
  );

export const INCIDENT_SORTS = ['-occurred_start', 'occurred_start', '-updated_at', 'updated_at', '-fatalities_best'] as const;

export const incidentListQuerySchema = z.strictObject({
  from: z.iso.date().or(isoInstant).optional().describe('Occurred on or after (date or instant)'),
  to: z.iso.date().or(isoInstant).optional().describe('Occurred on or before (a date includes the whole day)'),
  states: csv(z.string().regex(/^[A-Z]{3,4}$/)).optional(),
  admin1: csv(code).optional(),
  admin2: csv(code).optional(),
  event_types: csv(z.enum(EVENT_TYPE_SLUGS)).optional(),
  sub_event_types: csv(z.enum(SUB_EVENT_TYPE_SLUGS)).optional(),
  actors: csv(code).optional(),
  status: csv(z.enum(INCIDENT_STATUSES)).optional(),
  classification: csv(z.enum(CLASSIFICATIONS)).optional(),
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'validation.bbox')
    .optional()
    .describe('min_lon,min_lat,max_lon,max_lat'),
  q: z.string().trim().min(2).max(200).optional().describe('French full-text search, accents folded'),
  assigned_to: z.string().optional().describe('"me", a user id, or "none"'),
  reporter: z.literal('me').optional().describe('"me": only the reports the caller filed ("Mes signalements")'),
  updated_since: isoInstant.optional(),
  sort: z.enum(INCIDENT_SORTS).default('-occurred_start'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  with_total: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('"true": the answer carries `total`, how many records match the filter'),
});
export type IncidentListQuery = z.output<typeof incidentListQuerySchema>;
export type IncidentFilter = Omit<IncidentListQuery, 'sort' | 'limit' | 'cursor' | 'with_total'>;

export const incidentPageSchema = z.object({
  items: z.array(incidentSchema),
  next_cursor: z.string().nullable(),
  total: z.number().int().optional().describe('How many records match the filter (with `with_total=true`)'),
});

export const rejectSchema = z.strictObject({
  reason: z.string().trim().min(3).max(2000),
  version: z.number().int().min(1).optional(),
});
export const transitionSchema = z.strictObject({
  version: z.number().int().min(1).optional(),
  comment: z.string().trim().max(2000).optional(),
});

const readableVersionSchema = z.object({
  version: z.number().int(),
  changed_at: z.string(),
  accessible: z.literal(true),
  changed_by: z.string().nullable(),
  changed_by_login: z.string().nullable(),
  action: z.string(),
  reason: z.string().nullable(),
  changed_fields: z.array(z.string()),
  snapshot: incidentSchema,
  related_incident: z.string().nullable().optional().describe('The other record of a merge or of its undo'),
});

/** A version the reader was not cleared for: its number and date only. */
const withheldVersionSchema = z.object({
  version: z.number().int(),
  changed_at: z.string(),
  accessible: z.literal(false),
});

export const incidentVersionSchema = z
  .discriminatedUnion('accessible', [readableVersionSchema, withheldVersionSchema])
  .describe('A past version; `accessible: false` when that version was not visible to the reader (classification, scope or status at the time)');
export type IncidentVersion = z.infer<typeof incidentVersionSchema>;
export type ReadableIncidentVersion = z.infer<typeof readableVersionSchema>;
