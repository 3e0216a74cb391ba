import { z } from 'zod';
import { aggregateQuerySchema, aggregateResultSchema, boundaryFrameSchema, compareQuerySchema, compareResultSchema, gridQuerySchema, gridResultSchema, h3QuerySchema, h3ResultSchema } from '@vigie/domain';
import { comparePeriods } from '../../services/aggregate-compare.service.js';
import { aggregateGrid, aggregateH3, aggregateIncidents } from '../../services/aggregate.service.js';
import { withBoundaryFrame } from '../../services/geography/boundary-sets.service.js';
import { route, type RouteDef } from '../route.js';

/** Figures by area say which boundary sets they are in (docs/geography.md, "Boundary versions"). */
const framed = <T extends z.ZodObject>(schema: T) => schema.extend({ boundary_frame: boundaryFrameSchema });

const tags = ['aggregates'];

export const aggregateRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/aggregates', tags, auth: 'user', query: aggregateQuerySchema,
    summary: 'Counts, fatalities (civilian too), injured and abducted of the visible incidents, grouped by dimensions and periods (status validated unless `status=`)',
    responses: { 200: framed(aggregateResultSchema) },
    handler: async (req) => withBoundaryFrame(req.ctx, await aggregateIncidents(req.ctx, req.principal, req.input.query), req.input.query.states),
  }),
  route({
    method: 'GET', url: '/api/v1/aggregates/grid', tags, auth: 'user', query: gridQuerySchema,
    summary: 'Visible incidents per square cell (cell centres; coarsened records in their coarse cell), for map clusters',
    responses: { 200: gridResultSchema },
    handler: (req) => aggregateGrid(req.ctx, req.principal, req.input.query),
  }),
  route({
    method: 'GET', url: '/api/v1/aggregates/h3', tags, auth: 'user', query: h3QuerySchema,
    summary: 'Visible incidents per H3 hexagon (equal-area), with each hexagon’s centre',
    responses: { 200: h3ResultSchema },
    handler: (req) => aggregateH3(req.ctx, req.principal, req.input.query),
  }),
  route({
    method: 'GET', url: '/api/v1/aggregates/compare', tags, auth: 'user', query: compareQuerySchema,
    summary: 'A period (ISO week, month, quarter, year or custom) beside the period before and the same period last year, in total and per state; a period not over yet is compared on as many first days',
    responses: { 200: framed(compareResultSchema) },
    handler: async (req) => withBoundaryFrame(req.ctx, await comparePeriods(req.ctx, req.principal, req.input.query), req.input.query.states),
  }),
];
