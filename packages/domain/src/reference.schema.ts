import { z } from 'zod';

export const memberStateSchema = z.object({
  code: z.string().regex(/^[A-Z]{3}$/).describe('ISO 3166-1 alpha-3'),
  iso2: z.string().regex(/^[A-Z]{2}$/),
  iso_numeric: z.string().regex(/^\d{3}$/).optional().describe('ISO 3166-1 numeric, used to find the country outline'),
  name_fr: z.string(),
  name_en: z.string(),
  time_zone: z.string(),
});
export type MemberState = z.infer<typeof memberStateSchema>;

export const adminAreaSchema = z.object({
  code: z.string(),
  state: z.string(),
  level: z.number().int().min(1).max(3),
  parent_code: z.string().nullable(),
  name_fr: z.string(),
  name_en: z.string(),
  centroid_lat: z.number(),
  centroid_lon: z.number(),
  has_polygon: z.boolean(),
});
export type AdminArea = z.infer<typeof adminAreaSchema>;

export const actorSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.number().int().min(1).max(8),
  state: z.string().nullable().describe('Member state the actor is tied to, if any'),
});
export type Actor = z.infer<typeof actorSchema>;

/** A deployment's reference configuration: the alliance, its states, admin-1 areas and actors. */
export const referenceConfigSchema = z.object({
  alliance: z.object({ code: z.string(), name_fr: z.string(), name_en: z.string() }),
  languages: z.array(z.enum(['fr', 'en'])).min(1),
  states: z.array(memberStateSchema).min(1),
  admin_areas: z.array(adminAreaSchema.omit({ has_polygon: true })),
  actors: z.array(actorSchema),
});
export type ReferenceConfig = z.infer<typeof referenceConfigSchema>;

const labelSchema = z.object({ fr: z.string(), en: z.string() });
/** One event type of the taxonomy (EVENT_TYPES) with its sub-types, as the reference answer gives it. */
export const eventTypeSchema = z.object({
  slug: z.string(), label: labelSchema, subTypes: z.array(z.object({ slug: z.string(), label: labelSchema }).readonly()).readonly(),
}).readonly();
/** One actor kind (ACTOR_KINDS): its numeric code and its label. */
export const actorKindSchema = z.object({ code: z.number().int(), label: labelSchema }).readonly();
