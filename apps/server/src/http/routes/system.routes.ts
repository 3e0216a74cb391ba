import { ACTOR_KINDS, EVENT_TYPES } from '@vigie/domain';
import { sql } from 'kysely';
import { z } from 'zod';
import { listAuditEvents } from '../../services/audit.service.js';
import { referenceSnapshot } from '../../services/reference.service.js';
import { route, type RouteDef } from '../route.js';

const auditQuery = z.strictObject({
  object_type: z.string().optional(),
  object_id: z.string().optional(),
  action: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().optional(),
});

export const systemRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/health', tags: ['system'], auth: 'public', summary: 'Liveness and database reachability',
    responses: { 200: z.object({ status: z.literal('ok'), engine: z.string(), version: z.string() }) },
    async handler(req) {
      await sql`select 1`.execute(req.ctx.engine.db);
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
  route({
    method: 'GET', url: '/api/v1/audit', tags: ['audit'], auth: 'user', query: auditQuery,
    summary: 'The audit trail, newest first, limited to what the reader may see',
    async handler(req) {
      const q = auditQuery.parse(req.query);
      const items = await listAuditEvents(req.ctx.engine, req.principal, { objectType: q.object_type, objectId: q.object_id, action: q.action, limit: q.limit, beforeSeq: q.before });
      return { items: items.map((r) => ({ ...r, seq: Number(r.seq), details: JSON.parse(r.details) as unknown })) };
    },
  }),
];
