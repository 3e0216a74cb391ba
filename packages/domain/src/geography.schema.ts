import { z } from 'zod';

/** One populated place of `GET /api/v1/places`, tied to its admin-1 and admin-2 by polygon. */
export const placeSchema = z.object({
  id: z.string(),
  name: z.string(),
  alternate_names: z.array(z.string()),
  latitude: z.number(),
  longitude: z.number(),
  state: z.string(),
  admin1_code: z.string().nullable(),
  admin1_name: z.string().nullable(),
  admin2_code: z.string().nullable(),
  admin2_name: z.string().nullable(),
  population: z.number().int(),
});
export type Place = z.infer<typeof placeSchema>;

/**
 * The boundary sets a figure is computed in (docs/geography.md, "Boundary versions"): the current set of each state it
 * covers. Aggregates, alerts, indicator trends and reports carry it; pages show it as « Découpage : … ».
 */
export const boundaryFrameSchema = z.object({
  sets: z.array(z.object({ code: z.string(), state: z.string(), name_fr: z.string(), name_en: z.string(), valid_from: z.string().nullable() })),
});
export type BoundaryFrame = z.infer<typeof boundaryFrameSchema>;
