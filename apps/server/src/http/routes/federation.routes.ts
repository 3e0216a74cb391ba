import { z } from 'zod';
import type { Permission } from '@vigie/domain';
import { acknowledgeAlertSchema, respondAlertSchema } from '@vigie/domain/alert.schema';
import { actionNoteSchema } from '@vigie/domain/coordination.schema';
import { actionReportSchema, alertReplySchema, federationStatusSchema, heldObjectsQuerySchema, heldObjectsSchema } from '@vigie/domain/federation.schema';
import { Problem } from '../../lib/problem.js';
import type { Ctx } from '../../services/context.js';
import type { FederationConfig } from '../../services/federation/federation-config.js';
import { runningFederation } from '../../services/federation/federation-link.js';
import { federationStatus } from '../../services/federation/federation-status.service.js';
import { reportOnForeignAction } from '../../services/federation/foreign-actions.js';
import { acknowledgeForeignAlert, respondToForeignAlert } from '../../services/federation/foreign-alerts.js';
import { listHeldObjects } from '../../services/federation/held-objects.js';
import { requirePermission, type Principal } from '../../services/principal.js';
import { route, type RouteDef, type RouteRequest } from '../route.js';
import { deadLetterRoutes } from './federation-dead-letters.routes.js';

const tags = ['federation'];
const idParams = z.object({ id: z.string().min(1).max(100) });

/** This node's federation link; a single node (or one whose link is not running) has none to send a reply over. */
function linkOf(req: RouteRequest) {
  const running = runningFederation(req.ctx);
  if (!running || running.fed.role !== 'national') throw new Problem('conflict', "ce serveur n'est pas un nœud national fédéré / this server is not a federated national node");
  return running.fed;
}

/** A national node's reply to an object it holds from the confederation: sent over its link to the owner. */
function replyRoute(o: {
  url: string; summary: string; verb: Permission; body: z.ZodType; response: z.ZodType;
  act(ctx: Ctx, principal: Principal, fed: FederationConfig, id: string, body: unknown): Promise<unknown>;
}): RouteDef {
  return route({
    method: 'POST', url: o.url, tags, auth: 'user', params: idParams, body: o.body, summary: o.summary, responses: { 200: o.response },
    async handler(req) {
      requirePermission(req.principal, o.verb);
      return o.act(req.ctx, req.principal, linkOf(req), req.input.params.id, req.input.body);
    },
  });
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
  replyRoute({
    url: '/api/v1/federation/alerts/:id/acknowledge', verb: 'alert.acknowledge', body: acknowledgeAlertSchema, response: alertReplySchema, act: acknowledgeForeignAlert,
    summary: "A national node: acknowledge for its state an alert held from the confederation (sent to the confederation, which owns it)",
  }),
  replyRoute({
    url: '/api/v1/federation/alerts/:id/respond', verb: 'alert.respond', body: respondAlertSchema, response: alertReplySchema, act: respondToForeignAlert,
    summary: "A national node: answer for its state an alert held from the confederation",
  }),
  replyRoute({
    url: '/api/v1/federation/actions/:id/report', verb: 'action.update', body: actionNoteSchema, response: actionReportSchema, act: reportOnForeignAction,
    summary: "A national node: report for its state on an action held from the confederation and assigned to it (a note: text, progress, status)",
  }),
  ...deadLetterRoutes,
];
