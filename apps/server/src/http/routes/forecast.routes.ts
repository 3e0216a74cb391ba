import { forecastQuerySchema, getForecast } from '../../services/forecast.service.js';
import { route, type RouteDef } from '../route.js';

export const forecastRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/forecast', tags: ['forecast'], auth: 'user', query: forecastQuerySchema,
    summary: "Next month's fatalities per admin-1 area (typical value; method and evaluation in docs/forecast.md), from the incidents the reader may see",
    handler: (req) => getForecast(req.ctx, req.principal, req.query),
  }),
];
