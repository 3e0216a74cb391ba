import { incidentSchema } from '@vigie/domain';
import { z } from 'zod';
import { DUPLICATE_REASONS, findDuplicates } from '../../services/incidents/duplicate.service.js';
import { route, type RouteDef } from '../route.js';

export const duplicateRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/incidents/:id/duplicates', tags: ['incidents'], auth: 'user', params: z.object({ id: z.uuid() }),
    summary: 'Likely duplicates: same event type within 25 km and 3 days, weighed by sub-type, actors and tolls, among what the reader may see (likeliest first, with the reasons)',
    responses: { 200: z.object({ items: z.array(z.object({ incident: incidentSchema, distance_km: z.number(), days_apart: z.number(), score: z.number().describe('0 to 1'), reasons: z.array(z.enum(DUPLICATE_REASONS)) })) }) },
    handler: async (req) => ({ items: await findDuplicates(req.ctx, req.principal, req.input.params.id) }),
  }),
];
