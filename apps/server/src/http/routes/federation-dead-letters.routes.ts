import { z } from 'zod';
import { deadLetterRetrySchema, deadLetterSchema, deadLettersQuerySchema, deadLettersSchema } from '@vigie/domain/federation.schema';
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from '../../services/federation/dead-letters.js';
import { runningFederation } from '../../services/federation/federation-link.js';
import { route, type RouteDef } from '../route.js';

const tags = ['federation'];
const idParams = z.object({ id: z.string().min(1).max(100) });

/** Received messages that could not be applied, parked for this node's administrators (docs/federation.md). */
export const deadLetterRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/federation/dead-letters', tags, auth: 'user', query: deadLettersQuerySchema,
    summary: 'Received messages that could not be applied after bounded retries (parked by default), newest first',
    responses: { 200: deadLettersSchema },
    async handler(req) {
      return listDeadLetters(req.ctx, req.principal, req.input.query);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/federation/dead-letters/:id/retry', tags, auth: 'user', params: idParams,
    summary: 'Apply a parked message again: applied, it leaves the list; failing again, it stays parked with the new error (audited)',
    responses: { 200: deadLetterRetrySchema },
    async handler(req) {
      return retryDeadLetter(req.ctx, req.principal, runningFederation(req.ctx)?.fed, req.input.params.id);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/federation/dead-letters/:id/discard', tags, auth: 'user', params: idParams,
    summary: 'Give up on a parked message: kept, marked discarded (audited)',
    responses: { 200: deadLetterSchema },
    async handler(req) {
      return discardDeadLetter(req.ctx, req.principal, req.input.params.id);
    },
  }),
];
