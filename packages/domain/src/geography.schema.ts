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
