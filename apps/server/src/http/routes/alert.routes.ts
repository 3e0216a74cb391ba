import {
  acknowledgeAlertSchema, alertListQuerySchema, alertPageSchema, alertPatchSchema, alertSchema, closeAlertSchema, flashAlertSchema, respondAlertSchema,
} from '@vigie/domain/alert.schema';
import { boundaryFrameSchema, CLASSIFICATIONS } from '@vigie/domain';
import { z } from 'zod';
import {
  acknowledgeAlert, alertEvidence, closeAlert, getAlert, listAlerts, raiseFlashAlert, reclassifyAlert, respondToAlert, subscribeAlerts,
} from '../../services/alerts/alert.service.js';
import { runAlertRules } from '../../services/alerts/alert-rules.service.js';
import { authenticate } from '../auth.plugin.js';
import { negotiateLang } from '../problem-handler.js';
import { withBoundaryFrame } from '../../services/geography/boundary-sets.service.js';
import { route, type RouteDef } from '../route.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['alerts'];
/** A comment line every 25 s keeps proxies and mobile links from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Bytes a stream may hold unsent before its reader is taken for gone. */
const MAX_BUFFERED = 1_000_000;

export const alertRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/alerts', tags, auth: 'user', query: alertListQuerySchema,
    summary: 'List the alerts the reader may see (newest first), with filters', responses: { 200: alertPageSchema },
    handler: (req) => listAlerts(req.ctx, req.principal, req.input.query, negotiateLang(req.headers['accept-language'])),
  }),
  route({
    method: 'GET', url: '/api/v1/alerts/stream', tags, auth: 'user',
    summary: 'Live alerts (server-sent events: alert.issued, alert.acknowledged, alert.responded, alert.closed, alert.updated), only those the reader may see, with their figures; alert.withdrawn ({ id, origin_node }) when an alert held from the confederation that the reader could see is gone from what they may see; at most VIGIE_ALERT_STREAMS_PER_USER (5) per user, then 429',
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream' } },
    async handler(req, reply) {
      const raw = reply.raw;
      // Throws 429 rate_limited (answered as problem+json) before anything is written when the user holds too many.
      // A reader who does not read (a dead link) is dropped rather than buffered without end; EventSource reconnects.
      const write = (message: string) => {
        if (raw.writableLength > MAX_BUFFERED) raw.destroy();
        else raw.write(message);
      };
      const stop = subscribeAlerts(req.ctx, req.principal, (change, alert) => {
        write(`event: alert.${change.action}\nid: ${alert.id}:${alert.updated_at}\ndata: ${JSON.stringify(alert)}\n\n`);
      }, {
        withdrawn: (gone) => write(`event: alert.withdrawn\ndata: ${JSON.stringify(gone)}\n\n`),
        // The session is checked again at each change: after sign-out or expiry the stream ends.
        current: () => authenticate(req.ctx, req).catch(() => null),
        end: () => raw.end(),
      });
      reply.hijack();
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write(': vigie alerts\nretry: 5000\n\n');
      const beat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      beat.unref();
      // The response closes when the reader goes, the link drops or the stream is ended: the slot is freed then.
      raw.once('close', () => {
        clearInterval(beat);
        stop();
      });
    },
  }),
  route({
    method: 'POST', url: '/api/v1/alerts', tags, auth: 'user', body: flashAlertSchema,
    summary: 'Raise a flash alert by hand (analysts, focal points, confederation analysts)', responses: { 201: alertSchema },
    async handler(req, reply) {
      const alert = await raiseFlashAlert(req.ctx, req.principal, req.input.body);
      return reply.status(201).header('location', `/api/v1/alerts/${alert.id}`).send(alert);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/alerts/run', tags, auth: 'user',
    summary: 'Run the escalation rules now (alert.run)',
    handler: (req) => runAlertRules(req.ctx, req.principal),
  }),
  route({
    method: 'GET', url: '/api/v1/alerts/:id', tags, auth: 'user', params: idParams, summary: "Read one alert: one of this node's own, or one it holds read-only from the confederation (origin_node, read_only), under the list's who-sees-what; 404 to a reader who may not see it", responses: { 200: alertSchema.extend({ boundary_frame: boundaryFrameSchema }) },
    handler: async (req) => {
      const alert = await getAlert(req.ctx, req.principal, req.input.params.id, negotiateLang(req.headers['accept-language']));
      return withBoundaryFrame(req.ctx, alert, alert.states.map((s) => s.state));
    },
  }),
  route({
    method: 'GET', url: '/api/v1/alerts/:id/evidence', tags, auth: 'user', params: idParams,
    summary: "The alert's evidence incidents that the reader may see, with the coordinates they may see",
    responses: {
      200: z.object({ items: z.array(z.object({
        id: z.string(), reporting_state: z.string(), occurred_start: z.string(), admin1_code: z.string().nullable(), admin2_code: z.string().nullable(),
        event_type: z.string(), sub_event_type: z.string(), fatalities_best: z.number().int(), civilian_fatalities: z.number().int(),
        latitude: z.number(), longitude: z.number(), classification: z.enum(CLASSIFICATIONS),
      })) }),
    },
    handler: async (req) => ({ items: await alertEvidence(req.ctx, req.principal, req.input.params.id) }),
  }),
  route({
    method: 'POST', url: '/api/v1/alerts/:id/acknowledge', tags, auth: 'user', params: idParams, body: acknowledgeAlertSchema,
    summary: "Acknowledge for the caller's state (each concerned state acknowledges once)", responses: { 200: alertSchema },
    handler: (req) => acknowledgeAlert(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/alerts/:id/respond', tags, auth: 'user', params: idParams, body: respondAlertSchema,
    summary: 'Record a response (free text, optional link)', responses: { 200: alertSchema },
    handler: (req) => respondToAlert(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/alerts/:id/close', tags, auth: 'user', params: idParams, body: closeAlertSchema,
    summary: 'Close an alert', responses: { 200: alertSchema },
    handler: (req) => closeAlert(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'PATCH', url: '/api/v1/alerts/:id', tags, auth: 'user', params: idParams, body: alertPatchSchema,
    summary: "Re-classify an alert: up to the editor's own clearance, never below its evidence (audited; a federation link that may no longer see it withdraws it)",
    responses: { 200: alertSchema },
    handler: (req) => reclassifyAlert(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
];
