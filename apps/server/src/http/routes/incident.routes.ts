import { incidentCreateSchema, incidentListQuerySchema, incidentPageSchema, incidentPatchSchema, incidentSchema, incidentVersionSchema, mergePreviewSchema, mergeSchema, rejectSchema, transitionSchema, unmergeSchema, type Incident } from '@vigie/domain';
import { z } from 'zod';
import { assignIncident, rejectIncident, submitIncident, validateIncident } from '../../services/incidents/incident-workflow.js';
import { createIncident, patchIncident } from '../../services/incidents/incident.service.js';
import { getIncident, incidentHistory, listIncidents } from '../../services/incidents/incident-reads.js';
import { mergeIncident, previewMerge, unmergeIncident } from '../../services/incidents/merge.service.js';
import type { Ctx } from '../../services/context.js';
import type { Principal } from '../../services/principal.js';
import { route, type RouteDef } from '../route.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['incidents'];
type Transition<B extends z.ZodType> = (ctx: Ctx, principal: Principal, id: string, input: z.output<B>) => Promise<Incident>;
/** A workflow step on one record: its body schema and the service that takes it, typed together. */
const transition = <B extends z.ZodType>(name: string, summary: string, body: B, fn: Transition<B>): RouteDef =>
  route({
    method: 'POST', url: `/api/v1/incidents/:id/${name}`, tags, auth: 'user', params: idParams, body, summary,
    responses: { 200: incidentSchema },
    handler: (req) => fn(req.ctx, req.principal, req.input.params.id, req.input.body as z.output<B>),
  });

export const incidentRoutes: RouteDef[] = [
  route({
    method: 'POST', url: '/api/v1/incidents', tags, auth: 'user', body: incidentCreateSchema,
    summary: 'Create an incident (idempotent by client-chosen id: same content again → 200, other content → 409)',
    responses: { 201: incidentSchema, 200: incidentSchema },
    async handler(req, reply) {
      const { incident, created } = await createIncident(req.ctx, req.principal, req.input.body);
      return reply.status(created ? 201 : 200).header('location', `/api/v1/incidents/${incident.id}`).send(incident);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/incidents', tags, auth: 'user', query: incidentListQuerySchema,
    summary: 'List the incidents the reader may see, filtered, with cursor pagination',
    responses: { 200: incidentPageSchema },
    handler: (req) => listIncidents(req.ctx, req.principal, req.input.query),
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id', tags, auth: 'user', params: idParams, summary: 'Read one incident',
    responses: { 200: incidentSchema },
    handler: (req) => getIncident(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/incidents/:id', tags, auth: 'user', params: idParams, body: incidentPatchSchema,
    summary: 'Edit fields; `version` must be the current one or the answer is 409 with the current version',
    responses: { 200: incidentSchema },
    handler: (req) => patchIncident(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id/history', tags, auth: 'user', params: idParams,
    summary: 'Every version, with who changed which fields and why',
    responses: { 200: z.object({ items: z.array(incidentVersionSchema) }) },
    handler: async (req) => ({ items: await incidentHistory(req.ctx, req.principal, req.input.params.id) }),
  }),
  transition('submit', 'Submit a draft for review', transitionSchema, submitIncident),
  transition('validate', 'Validate a submitted report', transitionSchema, validateIncident),
  transition('reject', 'Reject a submitted report, with a reason', rejectSchema, rejectIncident),
  transition('merge', 'Merge this record into another it duplicates: the kept one takes the chosen values, sources united (idempotent on retry)', mergeSchema, mergeIncident),
  transition('unmerge', 'Undo a merge: this record is reopened and the kept one gets back its content from before the merge', unmergeSchema, unmergeIncident),
  route({
    method: 'POST', url: '/api/v1/incidents/:id/merge/preview', tags, auth: 'user', params: idParams, body: mergeSchema,
    summary: 'What a merge would give, field by field, without writing anything', responses: { 200: mergePreviewSchema },
    handler: (req) => previewMerge(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/incidents/:id/assign', tags, auth: 'user', params: idParams,
    summary: 'Take a submitted report for review ("take it")', responses: { 200: incidentSchema },
    handler: (req) => assignIncident(req.ctx, req.principal, req.input.params.id, true),
  }),
  route({
    method: 'DELETE', url: '/api/v1/incidents/:id/assign', tags, auth: 'user', params: idParams,
    summary: 'Release a report taken for review', responses: { 200: incidentSchema },
    handler: (req) => assignIncident(req.ctx, req.principal, req.input.params.id, false),
  }),
];
