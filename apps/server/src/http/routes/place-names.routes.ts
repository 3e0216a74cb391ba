import { z } from 'zod';
import { namePoints } from '../../services/geography/geography.service.js';
import { route, type RouteDef } from '../route.js';

const coordinate = z.tuple([z.coerce.number().min(-90).max(90), z.coerce.number().min(-180).max(180)]);
const pointsQuery = z.strictObject({
  points: z.string().max(2000).transform((s, c) => {
    const out: { latitude: number; longitude: number }[] = [];
    for (const pair of s.split(';').filter(Boolean)) {
      const parsed = coordinate.safeParse(pair.split(','));
      if (!parsed.success || pair.split(',').length !== 2) {
        c.addIssue({ code: 'custom', message: `« ${pair} » : attendu latitude,longitude (ex. 14.25,-0.75)` });
        return z.NEVER;
      }
      out.push({ latitude: parsed.data[0], longitude: parsed.data[1] });
    }
    if (!out.length || out.length > 50) {
      c.addIssue({ code: 'custom', message: 'de 1 à 50 points latitude,longitude séparés par « ; »' });
      return z.NEVER;
    }
    return out;
  }).describe('latitude,longitude pairs separated by ";" (1 to 50)'),
});

const areaRef = z.object({ code: z.string(), name_fr: z.string(), name_en: z.string() }).nullable();

/** Names for points (a map cluster's centre): reference geography only, so to any signed-in user. */
export const placeNameRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/places/nearest', tags: ['reference'], auth: 'user', query: pointsQuery,
    summary: 'For each point: its member state, admin-1 and admin-2 areas and the nearest named place (within 75 km)',
    responses: {
      200: z.object({ items: z.array(z.object({
        latitude: z.number(), longitude: z.number(), state: z.string().nullable(), admin1: areaRef, admin2: areaRef,
        place: z.object({ name: z.string(), distance_km: z.number() }).nullable(),
      })) }),
    },
    async handler(req) {
      const q = req.input.query;
      return { items: await namePoints(req.ctx, q.points) };
    },
  }),
];
