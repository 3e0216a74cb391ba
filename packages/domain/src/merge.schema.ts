import { z } from 'zod';
import { incidentSchema } from './incident.schema.js';

/**
 * The fields of a merge an analyst chooses: each takes the value of the record kept (`into`) or of the one merged into
 * it (`this`). A group moves together (the place with its point and areas, the type with its sub-type, a toll with its
 * range). Sources and tags are always united; the classification takes the higher and the sharing scope the narrower of
 * the two, so a merge never lowers a protection.
 */
export const MERGE_FIELDS = ['occurred', 'location', 'event', 'actors', 'fatalities_best', 'civilian_fatalities', 'injured', 'abducted', 'narrative'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** The incident columns each merge field moves. */
export const MERGE_FIELD_COLUMNS: Record<MergeField, readonly string[]> = {
  occurred: ['occurred_start', 'occurred_end', 'time_precision'],
  location: ['latitude', 'longitude', 'geo_precision', 'place_name', 'admin1_code', 'admin2_code'],
  event: ['event_type', 'sub_event_type'],
  actors: ['actor1', 'actor2', 'associated_actors'],
  fatalities_best: ['fatalities_best', 'fatalities_low', 'fatalities_high'],
  civilian_fatalities: ['civilian_fatalities'],
  injured: ['injured'],
  abducted: ['abducted'],
  narrative: ['narrative'],
};

const side = z.enum(['into', 'this']);
export const mergeChoicesSchema = z.strictObject({
  occurred: side.optional(),
  location: side.optional(),
  event: side.optional(),
  actors: side.optional(),
  fatalities_best: side.optional(),
  civilian_fatalities: side.optional(),
  injured: side.optional(),
  abducted: side.optional(),
  narrative: z.enum(['into', 'this', 'both']).optional(),
}).describe('Per field, whose value the kept record takes: `into` (its own), `this` (the merged one); the narrative may keep `both`. Omitted: tolls take the higher value (civilians killed follow the killed toll), the narrative keeps both, the rest stays as the kept record has it');
export type MergeChoices = z.infer<typeof mergeChoicesSchema>;

export const mergeSchema = z.strictObject({
  into: z.uuid().describe('The incident this one duplicates: it is kept and takes the chosen values'),
  version: z.number().int().min(1).optional().describe('The version of this record the analyst saw'),
  into_version: z.number().int().min(1).optional().describe('The version of the kept record the analyst saw'),
  choices: mergeChoicesSchema.default({}),
  comment: z.string().trim().max(2000).optional(),
});
export type MergeRequest = z.input<typeof mergeSchema>;

export const unmergeSchema = z.strictObject({
  version: z.number().int().min(1).optional(),
  reason: z.string().trim().max(2000).optional(),
});

/** One row of the merge comparison: both values and the one the kept record will have. */
export const mergeFieldSchema = z.object({
  field: z.enum([...MERGE_FIELDS, 'sources', 'tags', 'classification', 'sharing_scope', 'exact_location_classification']),
  into: z.unknown(),
  this: z.unknown(),
  result: z.unknown(),
  choice: z.enum(['into', 'this', 'both', 'union', 'stricter']),
});

export const mergePreviewSchema = z.object({
  into: incidentSchema.describe('The kept record as it is'),
  this: incidentSchema.describe('The record merged into it, as it is'),
  result: incidentSchema.describe('The kept record as it would be after the merge'),
  fields: z.array(mergeFieldSchema),
});
export type MergePreview = z.infer<typeof mergePreviewSchema>;
