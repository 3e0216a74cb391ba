import { z } from 'zod';
import { acknowledgeAlertSchema, respondAlertSchema } from '@vigie/domain/alert.schema';
import { alertReplySchema, federationStatusSchema, heldObjectsQuerySchema, heldObjectsSchema } from '@vigie/domain/federation.schema';
import { Problem } from '../../lib/problem.js';
import { runningFederation } from '../../services/federation/federation-link.js';
import { federationStatus } from '../../services/federation/federation-status.service.js';
import { acknowledgeForeignAlert, respondToForeignAlert } from '../../services/federation/foreign-alerts.js';
import { listHeldObjects } from '../../services/federation/held-objects.js';
import { requirePermission } from '../../services/principal.js';
import { route, type RouteDef, type RouteRequest } from '../route.js';

const tags = ['federation'];
const idParams = z.object({ id: z.string().min(1).max(100) });

/** This node's federation link; a single node (or one whose link is not running) has none to send a reply over. */
function linkOf(req: RouteRequest) {
  const running = runningFederation(req.ctx);
  if (!running || running.fed.role !== 'national') throw new Problem('conflict', "ce serveur n'est pas un nœud national fédéré / this server is not a federated national node");
  return running.fed;
}

export const federationRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/federation/status', tags, auth: 'user',
    summary: "The federation links of this node: last seq sent or received, lag, backlog, link state, last error, keys",
    responses: { 200: federationStatusSchema },
    async handler(req) {
      const running = runningFederation(req.ctx);
      return federationStatus(req.ctx, req.principal, running?.fed, running?.nc);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/federation/objects', tags, auth: 'user', query: heldObjectsQuerySchema,
    summary: "Objects held read-only from their owner node (a national node: the confederation's alerts, strategies, meetings, decisions, actions), those the reader may see",
    responses: { 200: heldObjectsSchema },
    async handler(req) {
      return listHeldObjects(req.ctx, req.principal, req.input.query);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/federation/alerts/:id/acknowledge', tags, auth: 'user', params: idParams, body: acknowledgeAlertSchema,
    summary: "A national node: acknowledge for its state an alert held from the confederation (sent to the confederation, which owns it)",
    responses: { 200: alertReplySchema },
    async handler(req) {
      requirePermission(req.principal, 'alert.acknowledge');
      return acknowledgeForeignAlert(req.ctx, req.principal, linkOf(req), (req.params as { id: string }).id, req.input.body);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/federation/alerts/:id/respond', tags, auth: 'user', params: idParams, body: respondAlertSchema,
    summary: "A national node: answer for its state an alert held from the confederation",
    responses: { 200: alertReplySchema },
    async handler(req) {
      requirePermission(req.principal, 'alert.respond');
      return respondToForeignAlert(req.ctx, req.principal, linkOf(req), (req.params as { id: string }).id, req.input.body);
    },
  }),
];
