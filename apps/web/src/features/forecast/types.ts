/** GET /api/v1/forecast (apps/server/src/services/forecast.service.ts). */
export interface Quantiles { q05: number; q25: number; q50: number; q75: number; q95: number }

export interface AreaForecast {
  admin1_code: string;
  state: string;
  fatalities: number;
  last_month: number;
  mean3: number;
  fatalities_quantiles: Quantiles;
  fatalities_exceedance: Record<string, number>;
  incidents: number;
  incidents_quantiles: Quantiles;
  incidents_exceedance: Record<string, number>;
}

export interface ForecastView {
  month: string;
  generated_at: string;
  source: string;
  thresholds: { fatalities: number[]; incidents: number[] };
  horizons: Array<{ month: string; horizon: number; areas: AreaForecast[] }>;
  areas: AreaForecast[];
}
