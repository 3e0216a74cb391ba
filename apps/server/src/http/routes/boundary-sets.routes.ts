import { z } from 'zod';
import { listBoundarySetsWithCrosswalk } from '../../services/geography/boundary-sets.service.js';
import { incidentPlacement } from '../../services/geography/incident-placement.service.js';
import { getReplacementJob, listReplacementJobs, retryReplacementJob, runReplacementJob } from '../../services/geography/replacement-job.service.js';
import { route, type RouteDef } from '../route.js';

const boundarySetSchema = z.object({
  code: z.string(), state: z.string(), name_fr: z.string(), name_en: z.string(),
  valid_from: z.string().nullable(), valid_to: z.string().nullable(), source: z.string().nullable(), created_at: z.string(),
});
const crosswalkSchema = z.object({
  from_set: z.string(), from_code: z.string(), from_level: z.number().int(), to_set: z.string(), to_code: z.string(), to_level: z.number().int(),
  overlap_km2: z.number(), share_of_from: z.number(), share_of_to: z.number(),
});
const jobSchema = z.object({
  id: z.string(), reason: z.string(), status: z.enum(['running', 'done', 'failed']), total: z.number().int(), done: z.number().int(), moved: z.number().int(),
  percent: z.number().int(), started_at: z.string(), updated_at: z.string(), finished_at: z.string().nullable(), error: z.string().nullable(),
});
const areaRef = z.object({ code: z.string(), name_fr: z.string(), name_en: z.string() }).nullable();
const setRef = z.object({ code: z.string(), name_fr: z.string(), name_en: z.string(), valid_from: z.string().nullable(), valid_to: z.string().nullable() }).nullable();
const placementSchema = z.object({
  method: z.string().nullable().describe('polygon, nearest_polygon (within the tolerance), centroid_precision (admin-2 precision), nearest_centroid, none'),
  at_date: z.object({ set: setRef, admin1: areaRef, admin2: areaRef }).describe('In the boundary set valid at the incident’s date'),
  current: z.object({ set: setRef, admin1: areaRef, admin2: areaRef }).describe('In the current boundary set, which every figure uses'),
});
const setsQuery = z.strictObject({ state: z.string().regex(/^[A-Z]{3}$/).optional() });

export const boundarySetRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/boundary-sets', tags: ['reference'], auth: 'user', query: setsQuery,
    summary: 'Boundary sets by state with their validity, and the area-overlap crosswalk from older sets to the current ones',
    responses: { 200: z.object({ sets: z.array(boundarySetSchema), crosswalk: z.array(crosswalkSchema) }) },
    async handler(req) {
      return listBoundarySetsWithCrosswalk(req.ctx, req.principal, req.input.query.state);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/gazetteer/jobs', tags: ['reference'], auth: 'user',
    summary: 'Re-placement jobs after boundary imports, newest first, with their progress',
    responses: { 200: z.object({ items: z.array(jobSchema) }) },
    async handler(req) {
      return { items: await listReplacementJobs(req.ctx, req.principal) };
    },
  }),
  route({
    method: 'GET', url: '/api/v1/gazetteer/jobs/:id', tags: ['reference'], auth: 'user', params: z.object({ id: z.string().min(1).max(64) }),
    summary: 'A re-placement job: status, incidents done out of total, incidents moved',
    responses: { 200: jobSchema },
    async handler(req) {
      return getReplacementJob(req.ctx, req.principal, req.input.params.id);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/gazetteer/jobs/:id/retry', tags: ['reference'], auth: 'user', params: z.object({ id: z.string().min(1).max(64) }),
    summary: 'Retry a failed re-placement job (or one a stopped server left running): it resumes in the background from its last committed batch (202, audited); 409 for a finished job',
    responses: { 202: jobSchema },
    async handler(req, reply) {
      const job = await retryReplacementJob(req.ctx, req.principal, req.input.params.id);
      // The job runs after the answer; its progress (or a new failure) is read at GET /api/v1/gazetteer/jobs/:id.
      void runReplacementJob(req.ctx, req.principal, job.id, { log: (m) => req.log.error(m) }).catch((e: unknown) => req.log.error(e));
      return reply.status(202).send(job);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id/placement', tags: ['reference'], auth: 'user', params: z.object({ id: z.string().min(1).max(64) }),
    summary: 'Where an incident was placed: the method recorded on it, its areas in the boundary set valid at its date and in the current set (404 when the reader may not see it)',
    responses: { 200: placementSchema },
    async handler(req) {
      return incidentPlacement(req.ctx, req.principal, req.input.params.id);
    },
  }),
];
