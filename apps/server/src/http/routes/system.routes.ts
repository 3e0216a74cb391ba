import { createHash } from 'node:crypto';
import { ACTOR_KINDS, actorKindSchema, actorSchema, adminAreaSchema, EVENT_TYPES, eventTypeSchema, memberStateSchema } from '@vigie/domain';
import { z } from 'zod';
import { pingDatabase } from '../../repositories/health.repository.js';
import { notModified } from '../../services/geography/geography.service.js';
import { referenceSnapshot } from '../../services/geography/reference.service.js';
import { route, type RouteDef } from '../route.js';

export const systemRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/health', tags: ['system'], auth: 'public', summary: 'Liveness and database reachability',
    responses: { 200: z.object({ status: z.literal('ok'), engine: z.string(), version: z.string() }) },
    async handler(req) {
      await pingDatabase(req.ctx.engine.db);
      return { status: 'ok' as const, engine: req.ctx.engine.kind, version: process.env.npm_package_version ?? '0.1.0' };
    },
  }),
  route({
    method: 'GET', url: '/api/v1/reference', tags: ['reference'], auth: 'user',
    summary: 'Member states, admin areas, actors, event taxonomy and actor kinds',
    responses: {
      200: z.object({
        alliance: z.object({ code: z.string(), name_fr: z.string(), name_en: z.string() }),
        states: z.array(memberStateSchema), admin_areas: z.array(adminAreaSchema), actors: z.array(actorSchema),
        event_types: z.array(eventTypeSchema).readonly(), actor_kinds: z.array(actorKindSchema).readonly(),
      }),
      304: { description: 'Not modified (If-None-Match)' },
    },
    async handler(req, reply) {
      const body = { alliance: req.ctx.reference.alliance, ...(await referenceSnapshot(req.ctx.engine)), event_types: EVENT_TYPES, actor_kinds: ACTOR_KINDS };
      // Changes only with an import or an edit of the reference data: revalidated by its ETag on every page load, a 304
      // of a few bytes instead of the whole set on a slow link. Private: it is behind sign-in.
      const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
      if (notModified(req.headers['if-none-match'], etag)) return reply.status(304).send(undefined);
      return body;
    },
  }),
];
