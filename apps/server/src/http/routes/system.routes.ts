import { ACTOR_KINDS, EVENT_TYPES } from '@vigie/domain';
import { z } from 'zod';
import { pingDatabase } from '../../repositories/health.repository.js';
import { referenceSnapshot } from '../../services/geography/reference.service.js';
import { route, type RouteDef } from '../route.js';

export const systemRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/health', tags: ['system'], auth: 'public', summary: 'Liveness and database reachability',
    responses: { 200: z.object({ status: z.literal('ok'), engine: z.string(), version: z.string() }) },
    async handler(req) {
      await pingDatabase(req.ctx.engine.db);
      return { status: 'ok', engine: req.ctx.engine.kind, version: process.env.npm_package_version ?? '0.1.0' };
    },
  }),
  route({
    method: 'GET', url: '/api/v1/reference', tags: ['reference'], auth: 'user',
    summary: 'Member states, admin areas, actors, event taxonomy and actor kinds',
    async handler(req) {
      return { alliance: req.ctx.reference.alliance, ...(await referenceSnapshot(req.ctx.engine)), event_types: EVENT_TYPES, actor_kinds: ACTOR_KINDS };
    },
  }),
];
