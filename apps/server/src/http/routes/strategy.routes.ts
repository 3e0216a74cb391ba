import {
  axisCreateSchema, axisPatchSchema, evaluationCreateSchema, evaluationPatchSchema, indicatorCreateSchema, indicatorPatchSchema, objectiveCreateSchema,
  objectivePatchSchema, progressQuerySchema, strategyCreateSchema, strategyPatchSchema, strategyReviseSchema, valueEntrySchema, valueQuerySchema,
  valueReturnSchema, strategyViewSchema, strategyTreeSchema, axisViewSchema, objectiveViewSchema, indicatorViewSchema, trendSchema, valueViewSchema,
  reportingCellSchema, strategyProgressSchema, evaluationHeadSchema, evaluationSchema, boundaryFrameSchema,
} from '@vigie/domain';
import { z } from 'zod';
import { createEvaluation, getEvaluation, listStrategyEvaluations, patchEvaluation } from '../../services/strategy/strategy.evaluation.service.js';
import { indicatorTrend, strategyProgress } from '../../services/strategy/strategy.progress.service.js';
import {
  addAxis, addIndicator, addObjective, createStrategy, getIndicator, getStrategy, listStrategies, patchAxis, patchIndicator, patchObjective,
  patchStrategy, reviseStrategy,
} from '../../services/strategy/strategy.service.js';
import { approveValue, enterValue, listStrategyValues, reportingStatus, returnValue, submitValue } from '../../services/strategy/strategy.values.service.js';
import { produceReport } from '../../services/strategy/report.service.js';
import { withBoundaryFrame } from '../../services/geography/boundary-sets.service.js';
import { route, type RouteDef } from '../route.js';

const id = z.object({ id: z.string().min(1).max(64) });
const tags = ['strategy'];

export const strategyRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/strategies', tags, auth: 'user', summary: 'Strategies the reader may see, current and revised ones',
    responses: { 200: z.object({ items: z.array(strategyViewSchema) }) }, handler: async (req) => ({ items: await listStrategies(req.ctx, req.principal) }),
  }),
  route({
    method: 'POST', url: '/api/v1/strategies', tags, auth: 'user', body: strategyCreateSchema, summary: 'Create a strategy (draft)',
    responses: { 201: strategyTreeSchema },
    handler: async (req, reply) => reply.status(201).send(await createStrategy(req.ctx, req.principal, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/strategies/:id', tags, auth: 'user', params: id, summary: 'A strategy with axes → objectives → indicators and targets',
    responses: { 200: strategyTreeSchema }, handler: (req) => getStrategy(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/strategies/:id', tags, auth: 'user', params: id, body: strategyPatchSchema,
    summary: 'Edit a strategy (titles, end of validity, thresholds, draft → active); a revised strategy is frozen',
    responses: { 200: strategyTreeSchema }, handler: (req) => patchStrategy(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/strategies/:id/revise', tags, auth: 'user', params: id, body: strategyReviseSchema,
    summary: 'Revise: a new draft strategy copying the structure; the old one stays readable, frozen',
    responses: { 201: strategyTreeSchema }, handler: async (req, reply) => reply.status(201).send(await reviseStrategy(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'POST', url: '/api/v1/strategies/:id/axes', tags, auth: 'user', params: id, body: axisCreateSchema, summary: 'Add an axis',
    responses: { 201: axisViewSchema }, handler: async (req, reply) => reply.status(201).send(await addAxis(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'PATCH', url: '/api/v1/axes/:id', tags, auth: 'user', params: id, body: axisPatchSchema, summary: 'Edit an axis',
    responses: { 200: axisViewSchema }, handler: (req) => patchAxis(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/axes/:id/objectives', tags, auth: 'user', params: id, body: objectiveCreateSchema, summary: 'Add an objective to an axis',
    responses: { 201: objectiveViewSchema }, handler: async (req, reply) => reply.status(201).send(await addObjective(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'PATCH', url: '/api/v1/objectives/:id', tags, auth: 'user', params: id, body: objectivePatchSchema, summary: 'Edit an objective',
    responses: { 200: objectiveViewSchema }, handler: (req) => patchObjective(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/objectives/:id/indicators', tags, auth: 'user', params: id, body: indicatorCreateSchema,
    summary: 'Add an indicator (hand-entered, or computed from incidents by a declared definition validated when saved)',
    responses: { 201: indicatorViewSchema }, handler: async (req, reply) => reply.status(201).send(await addIndicator(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/indicators/:id', tags, auth: 'user', params: id, summary: 'An indicator with its targets',
    responses: { 200: indicatorViewSchema }, handler: (req) => getIndicator(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/indicators/:id', tags, auth: 'user', params: id, body: indicatorPatchSchema,
    summary: 'Edit an indicator; `targets` replaces every target', responses: { 200: indicatorViewSchema },
    handler: (req) => patchIndicator(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'GET', url: '/api/v1/indicators/:id/trend', tags, auth: 'user', params: id,
    summary: 'Values and targets per period for the confederation and each state', responses: { 200: trendSchema.extend({ boundary_frame: boundaryFrameSchema }) },
    handler: async (req) => withBoundaryFrame(req.ctx, await indicatorTrend(req.ctx, req.principal, req.input.params.id)),
  }),
  route({
    method: 'POST', url: '/api/v1/indicators/:id/values', tags, auth: 'user', params: id, body: valueEntrySchema,
    summary: "Enter or correct the reader's state's value for a period (draft, or submitted with submit: true)",
    responses: { 200: valueViewSchema }, handler: (req) => enterValue(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/indicator-values/:id/submit', tags, auth: 'user', params: id, summary: 'Submit a value to the focal point',
    responses: { 200: valueViewSchema }, handler: (req) => submitValue(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'POST', url: '/api/v1/indicator-values/:id/approve', tags, auth: 'user', params: id, summary: "Approve a submitted value (the state's focal point)",
    responses: { 200: valueViewSchema }, handler: (req) => approveValue(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'POST', url: '/api/v1/indicator-values/:id/return', tags, auth: 'user', params: id, body: valueReturnSchema,
    summary: 'Return a submitted value with the reason', responses: { 200: valueViewSchema },
    handler: (req) => returnValue(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'GET', url: '/api/v1/strategies/:id/values', tags, auth: 'user', params: id, query: valueQuerySchema,
    summary: "Hand-entered values: approved ones for all readers, the others for their own state's users", responses: { 200: z.object({ items: z.array(valueViewSchema) }) },
    handler: async (req) => ({ items: await listStrategyValues(req.ctx, req.principal, req.input.params.id, req.input.query) }),
  }),
  route({
    method: 'GET', url: '/api/v1/strategies/:id/reporting', tags, auth: 'user', params: id,
    summary: 'Reporting status of hand-entered values per indicator, period and state: missing and late ones visible', responses: { 200: z.object({ items: z.array(reportingCellSchema) }) },
    handler: async (req) => ({ items: await reportingStatus(req.ctx, req.principal, req.input.params.id) }),
  }),
  route({
    method: 'GET', url: '/api/v1/strategies/:id/progress', tags, auth: 'user', params: id, query: progressQuerySchema,
    summary: 'Achievement against targets and status per indicator and objective at a period', responses: { 200: strategyProgressSchema },
    handler: (req) => strategyProgress(req.ctx, req.principal, req.input.params.id, req.input.query.period),
  }),
  route({
    method: 'GET', url: '/api/v1/strategies/:id/evaluations', tags, auth: 'user', params: id, summary: 'Evaluations of a strategy, newest first',
    responses: { 200: z.object({ items: z.array(evaluationHeadSchema) }) }, handler: async (req) => ({ items: await listStrategyEvaluations(req.ctx, req.principal, req.input.params.id) }),
  }),
  route({
    method: 'POST', url: '/api/v1/strategies/:id/evaluations', tags, auth: 'user', params: id, body: evaluationCreateSchema,
    summary: 'Evaluate a period: ratings per objective (override with a justification) and a narrative', responses: { 201: evaluationSchema },
    handler: async (req, reply) => reply.status(201).send(await createEvaluation(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/evaluations/:id', tags, auth: 'user', params: id, summary: 'An evaluation with progress and ratings',
    responses: { 200: evaluationSchema }, handler: (req) => getEvaluation(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/evaluations/:id', tags, auth: 'user', params: id, body: evaluationPatchSchema, summary: 'Edit an evaluation',
    responses: { 200: evaluationSchema }, handler: (req) => patchEvaluation(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'GET', url: '/api/v1/evaluations/:id/report.html', tags, auth: 'user', params: id,
    summary: "The ministers' report, printable HTML (French, one section per axis, civilian harm always included)",
    responses: { 200: { description: 'text/html', contentType: 'text/html' } },
    async handler(req, reply) {
      const { body } = await produceReport(req.ctx, req.principal, req.input.params.id, 'html');
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/evaluations/:id/report.pdf', tags, auth: 'user', params: id, summary: "The ministers' report as PDF",
    responses: { 200: { description: 'application/pdf', contentType: 'application/pdf' } },
    async handler(req, reply) {
      const { period, body } = await produceReport(req.ctx, req.principal, req.input.params.id, 'pdf');
      return reply.type('application/pdf').header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="rapport-${period}.pdf"`).send(body);
    },
  }),
];
