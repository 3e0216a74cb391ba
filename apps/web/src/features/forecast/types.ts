/** GET /api/v1/forecast, as the domain package declares it. */
export type { AreaForecastView as AreaForecast, ForecastView, Quantiles } from '@vigie/domain';
