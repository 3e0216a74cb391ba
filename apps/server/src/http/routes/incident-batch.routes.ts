/** Several reports in one request: the outbox's way to send a queue (services/incidents/incident-batch.service.ts). */
import { parseInput } from '@vigie/domain';
import { z } from 'zod';
import { BATCH_MAX, createIncidentBatch } from '../../services/incidents/incident-batch.service.js';
import { problemOf } from '../problem-handler.js';
import { route, type RouteDef } from '../route.js';

const itemResultSchema = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  status: z.number().int().describe('201 created, 200 already received with the same content, 409 the id holds other content, 400 invalid, 403 refused'),
  problem: z.record(z.string(), z.unknown()).optional().describe('For a refused report: the problem+json the single create would have answered'),
});

const batchBodySchema = z.object({ items: z.array(z.unknown()).min(1).max(BATCH_MAX).describe('Create bodies, each with its client-chosen id') }).strict();

export const incidentBatchRoutes: RouteDef[] = [
  route({
    method: 'POST', url: '/api/v1/incidents/batch', tags: ['incidents'], auth: 'user',
    body: batchBodySchema,
    summary: `Create up to ${BATCH_MAX} incidents in one request, each judged alone (per-item 201/200/409/400/403; idempotent on retry)`,
    responses: { 200: z.object({ items: z.array(itemResultSchema) }) },
    async handler(req) {
      const { items } = parseInput(batchBodySchema, req.input.body);
      const results = await createIncidentBatch(req.ctx, req.principal, items);
      return {
        items: results.map(({ problem, ...r }) => ({ ...r, ...(problem ? { problem: problemOf(problem, req, req.lang) } : {}) })),
      };
    },
  }),
];
