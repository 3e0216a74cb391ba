import { z } from 'zod';

/** The 5 %, 25 %, 50 %, 75 % and 95 % quantiles of a predictive distribution. */
export const quantilesSchema = z.object({ q05: z.number(), q25: z.number(), q50: z.number(), q75: z.number(), q95: z.number() });
export type Quantiles = z.infer<typeof quantilesSchema>;

/** One admin-1 area's forecast for one month. */
export const areaForecastSchema = z.object({
  admin1_code: z.string(),
  state: z.string(),
  /** Typical fatalities (expm1 of the mean log1p of the forecast distribution). */
  fatalities: z.number(),
  last_month: z.number(),
  mean3: z.number(),
  fatalities_quantiles: quantilesSchema,
  /** Probability of at least N deaths, keyed by N. */
  fatalities_exceedance: z.record(z.string(), z.number()),
  incidents: z.number(),
  incidents_quantiles: quantilesSchema,
  incidents_exceedance: z.record(z.string(), z.number()),
});
export type AreaForecastView = z.infer<typeof areaForecastSchema>;

/** `GET /api/v1/forecast`: the next months' forecasts per admin-1 area, from the records the reader may see. */
export const forecastViewSchema = z.object({
  month: z.string(),
  generated_at: z.string(),
  /** Where the forecast comes from, for the reader. */
  source: z.literal('visible_validated_incidents'),
  thresholds: z.object({ fatalities: z.array(z.number()), incidents: z.array(z.number()) }),
  /**
   * The hyper-parameter chosen for this forecast on the months before it: `penalty`, the ridge penalty of the model.
   * `decay` is always null since the model weighs the past at three fixed time scales (kept for older clients).
   */
  params: z.object({ decay: z.number().nullable(), penalty: z.number().nullable().optional() }),
  /** Month 1 (same as `month`/`areas`), 2 and 3. */
  horizons: z.array(z.object({ month: z.string(), horizon: z.number(), areas: z.array(areaForecastSchema) })),
  areas: z.array(areaForecastSchema),
});
export type ForecastView = z.infer<typeof forecastViewSchema>;
