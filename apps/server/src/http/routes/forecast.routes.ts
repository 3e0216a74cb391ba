import { forecastViewSchema } from '@vigie/domain';
import { forecastQuerySchema, getForecast } from '../../services/forecast/forecast.service.js';
import { route, type RouteDef } from '../route.js';

export const forecastRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/forecast', tags: ['forecast'], auth: 'user', query: forecastQuerySchema,
    summary: "Probabilistic forecasts (quantiles, typical value, probability of reaching thresholds) of fatalities and incidents per admin-1 area for the next 1–3 months, from the validated incidents the reader may see (method and evaluation: docs/forecast.md)",
    responses: { 200: forecastViewSchema },
    handler: (req) => getForecast(req.ctx, req.principal, req.input.query),
  }),
];
