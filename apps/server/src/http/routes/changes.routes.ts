import { changesPageSchema, changesQuerySchema } from '@vigie/domain';
import { readChanges } from '../../services/exchange/changes.service.js';
import { route, type RouteDef } from '../route.js';

export const changesRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/changes', tags: ['sync'], auth: 'user', query: changesQuerySchema,
    summary: 'What changed after a seq, as the reader sees it now (records, and tombstones for those that left their view); resumable, with a long poll',
    responses: { 200: changesPageSchema },
    async handler(req, reply) {
      // A follower that goes away stops the wait.
      const gone = new AbortController();
      reply.raw.on('close', () => gone.abort());
      return readChanges(req.ctx, req.principal, req.query, gone.signal);
    },
  }),
];
