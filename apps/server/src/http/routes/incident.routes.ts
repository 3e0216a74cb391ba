import { incidentCreateSchema, incidentListQuerySchema, incidentPageSchema, incidentPatchSchema, incidentSchema, incidentVersionSchema, mergePreviewSchema, mergeSchema, rejectSchema, transitionSchema, unmergeSchema } from '@vigie/domain';
import { z } from 'zod';
import { assignIncident, rejectIncident, submitIncident, validateIncident } from '../../services/incidents/incident-workflow.js';
import { createIncident, patchIncident } from '../../services/incidents/incident.service.js';
import { getIncident, incidentHistory, listIncidents } from '../../services/incidents/incident-reads.js';
import { mergeIncident, previewMerge, unmergeIncident } from '../../services/incidents/merge.service.js';
import { param, route, type RouteDef } from '../route.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['incidents'];
const transitions = [
  ['submit', 'Submit a draft for review', submitIncident, transitionSchema],
  ['validate', 'Validate a submitted report', validateIncident, transitionSchema],
  ['reject', 'Reject a submitted report, with a reason', rejectIncident, rejectSchema],
  ['merge', 'Merge this record into another it duplicates: the kept one takes the chosen values, sources united (idempotent on retry)', mergeIncident, mergeSchema],
  ['unmerge', 'Undo a merge: this record is reopened and the kept one gets back its content from before the merge', unmergeIncident, unmergeSchema],
] as const;

export const incidentRoutes: RouteDef[] = [
  route({
    method: 'POST', url: '/api/v1/incidents', tags, auth: 'user', body: incidentCreateSchema,
    summary: 'Create an incident (idempotent by client-chosen id: same content again → 200, other content → 409)',
    responses: { 201: incidentSchema, 200: incidentSchema },
    async handler(req, reply) {
      const { incident, created } = await createIncident(req.ctx, req.principal, req.body);
      return reply.status(created ? 201 : 200).header('location', `/api/v1/incidents/${incident.id}`).send(incident);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/incidents', tags, auth: 'user', query: incidentListQuerySchema,
    summary: 'List the incidents the reader may see, filtered, with cursor pagination',
    responses: { 200: incidentPageSchema },
    handler: (req) => listIncidents(req.ctx, req.principal, req.query),
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id', tags, auth: 'user', params: idParams, summary: 'Read one incident',
    responses: { 200: incidentSchema },
    handler: (req) => getIncident(req.ctx, req.principal, param(req, 'id')),
  }),
  route({
    method: 'PATCH', url: '/api/v1/incidents/:id', tags, auth: 'user', params: idParams, body: incidentPatchSchema,
    summary: 'Edit fields; `version` must be the current one or the answer is 409 with the current version',
    responses: { 200: incidentSchema },
    handler: (req) => patchIncident(req.ctx, req.principal, param(req, 'id'), req.body),
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id/history', tags, auth: 'user', params: idParams,
    summary: 'Every version, with who changed which fields and why',
    responses: { 200: z.object({ items: z.array(incidentVersionSchema) }) },
    handler: async (req) => ({ items: await incidentHistory(req.ctx, req.principal, param(req, 'id')) }),
  }),
  ...transitions.map(([name, summary, fn, body]) =>
    route({
      method: 'POST', url: `/api/v1/incidents/:id/${name}`, tags, auth: 'user', params: idParams, body, summary,
      responses: { 200: incidentSchema },
      handler: (req) => fn(req.ctx, req.principal, param(req, 'id'), req.body ?? {}),
    }),
  ),
  route({
    method: 'POST', url: '/api/v1/incidents/:id/merge/preview', tags, auth: 'user', params: idParams, body: mergeSchema,
    summary: 'What a merge would give, field by field, without writing anything', responses: { 200: mergePreviewSchema },
    handler: (req) => previewMerge(req.ctx, req.principal, param(req, 'id'), req.body),
  }),
  route({
    method: 'POST', url: '/api/v1/incidents/:id/assign', tags, auth: 'user', params: idParams,
    summary: 'Take a submitted report for review ("take it")', responses: { 200: incidentSchema },
    handler: (req) => assignIncident(req.ctx, req.principal, param(req, 'id'), true),
  }),
  route({
    method: 'DELETE', url: '/api/v1/incidents/:id/assign', tags, auth: 'user', params: idParams,
    summary: 'Release a report taken for review', responses: { 200: incidentSchema },
    handler: (req) => assignIncident(req.ctx, req.principal, param(req, 'id'), false),
  }),
];
