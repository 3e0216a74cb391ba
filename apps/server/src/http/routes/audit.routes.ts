import { auditListQuerySchema, auditPageSchema } from '@vigie/domain';
import { listAuditEvents } from '../../services/audit/audit.service.js';
import { route, type RouteDef } from '../route.js';

/** A date bound covers its whole day: `to=2026-03-14` ends before the 15th. */
function upperBound(to: string | undefined): string | undefined {
  if (!to) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) return new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  return new Date(Date.parse(to) + 1).toISOString();
}
const lowerBound = (from: string | undefined): string | undefined => (from ? new Date(Date.parse(from.length === 10 ? `${from}T00:00:00Z` : from)).toISOString() : undefined);

export const auditRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/audit', tags: ['audit'], auth: 'user', query: auditListQuerySchema,
    summary: 'The audit trail, newest first, filtered by user, record, action and period, limited to what the reviewer may see',
    responses: { 200: auditPageSchema },
    async handler(req) {
      const q = req.input.query;
      const page = await listAuditEvents(req.ctx.engine, req.principal, {
        user: q.user, objectType: q.object_type, objectId: q.object_id, action: q.action,
        from: lowerBound(q.from), to: upperBound(q.to), limit: q.limit, beforeSeq: q.cursor ? Number(q.cursor) : undefined,
      });
      return {
        items: page.items.map((r) => ({ ...r, seq: Number(r.seq), details: JSON.parse(r.details) as unknown })),
        next_cursor: page.next === null ? null : String(page.next),
      };
    },
  }),
];
