/**
 * GET /api/v1/forecast: probabilistic forecasts of fatalities and incidents per admin-1 area for the next 1–3
 * months (method and evaluation: docs/forecast.md), computed ONLY from the validated incidents the reader may see
 * (visibility applied in SQL; no other source enters the server's forecast). Readers who see the same records
 * (same organisation and clearance) share a cache entry per month and thresholds; any incident change empties it.
 */
import { parseInput, type AreaForecastView, type ForecastView, type Quantiles } from '@vigie/domain';
import { z } from 'zod';
import { visibleMonthlyFatalities } from '../../repositories/forecast.repository.js';
import { listAdminAreas } from '../../repositories/reference.repository.js';
import type { Ctx } from '../context.js';
import { admin1Key, type ForecastEvent } from './forecast.js';
import { forecastDistributions, type AreaDistribution } from './model.js';
import { type Centroid } from './panel.js';
import { requirePermission, type Principal } from '../principal.js';

const thresholdList = z
  .string()
  .regex(/^\d{1,6}(,\d{1,6}){0,9}$/, 'seuils attendus : entiers séparés par des virgules (10 au plus)')
  .transform((s) => [...new Set(s.split(',').map(Number))].sort((a, b) => a - b));

export const forecastQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu : AAAA-MM').optional().describe('First month to forecast (default: next month)'),
  thresholds: thresholdList.optional().describe('Fatality thresholds whose exceedance probability is given, e.g. 1,25,100 (default: the deployment\'s, VIGIE_FORECAST_THRESHOLDS, else 1,25,100)'),
  incident_thresholds: thresholdList.optional().describe('Incident-count thresholds (default: VIGIE_FORECAST_INCIDENT_THRESHOLDS, else 1,5,10)'),
});

const caches = new WeakMap<Ctx, Map<string, ForecastView>>();

function cacheOf(ctx: Ctx): Map<string, ForecastView> {
  let cache = caches.get(ctx);
  if (!cache) {
    const fresh = new Map<string, ForecastView>();
    ctx.events.on('incident.changed', () => fresh.clear());
    caches.set(ctx, fresh);
    cache = fresh;
  }
  return cache;
}

const nextMonth = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);

/** The deployment's thresholds, from the environment; malformed values fall back to the defaults. */
function deploymentThresholds(variable: string, fallback: number[]): number[] {
  const parsed = thresholdList.safeParse(process.env[variable] ?? '');
  return parsed.success ? parsed.data : fallback;
}

const round = (x: number) => Math.round(x * 10) / 10;
const roundP = (x: number) => Math.round(x * 1000) / 1000;
const roundQ = (q: AreaDistribution['quantiles']): Quantiles => ({ q05: round(q.q05), q25: round(q.q25), q50: round(q.q50), q75: round(q.q75), q95: round(q.q95) });
const roundE = (e: Record<string, number>) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, roundP(v)]));

/** Forecasts from `month` (default next month) per admin-1 area, over the incidents the reader may see. */
export async function getForecast(ctx: Ctx, principal: Principal, input: z.input<typeof forecastQuerySchema> | z.output<typeof forecastQuerySchema>): Promise<ForecastView> {
  requirePermission(principal, 'aggregate.read');
  const query = parseInput(forecastQuerySchema, input ?? {});
  const month = query.month ?? nextMonth();
  const thresholds = {
    fatalities: query.thresholds ?? deploymentThresholds('VIGIE_FORECAST_THRESHOLDS', [1, 25, 100]),
    incidents: query.incident_thresholds ?? deploymentThresholds('VIGIE_FORECAST_INCIDENT_THRESHOLDS', [1, 5, 10]),
  };
  const key = `${principal.kind}:${principal.organisation}:${principal.clearance}:${month}:${thresholds.fatalities.join(',')}:${thresholds.incidents.join(',')}`;
  const cache = cacheOf(ctx);
  const hit = cache.get(key);
  if (hit) return hit;
  const areasConfigured = await listAdminAreas(ctx.engine.db, { level: 1 });
  const stateOf = new Map(areasConfigured.map((a) => [a.code, a.state]));
  const rows = (await visibleMonthlyFatalities(ctx.engine, principal, `${month}-01T00:00:00.000Z`))
    .filter((r) => stateOf.has(r.area))
    .map((r) => ({ ...r, state: stateOf.get(r.area) ?? '' }));
  const centroids = new Map<string, Centroid>(areasConfigured.map((a) => [admin1Key(a.state, a.code), { lat: a.centroid_lat, lon: a.centroid_lon }]));
  const codes = new Map<string, string>();
  const events: ForecastEvent[] = rows.map((r) => {
    const k = admin1Key(r.state, r.area);
    codes.set(k, r.area);
    return { dateStart: `${r.month}-01T00:00:00.000Z`, admin1: k, fatalities: r.fatalities, count: r.incidents };
  });
  const result = forecastDistributions(events, month, { horizons: 3, thresholds, centroids });
  // Context columns: last month and mean of the last three, per area, from the same rows.
  const monthly = new Map<string, number>();
  for (const r of rows) monthly.set(`${admin1Key(r.state, r.area)}|${r.month}`, r.fatalities);
  const back = (k: number) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1 - k, 1)).toISOString().slice(0, 7);
  const horizons = [1, 2, 3].map((h) => {
    const fat = result.horizons.find((x) => x.target === 'fatalities' && x.horizon === h);
    const inc = result.horizons.find((x) => x.target === 'incidents' && x.horizon === h);
    const areas: AreaForecastView[] = (fat?.areas ?? []).map((a, i) => {
      const incidents = inc?.areas[i];
      const last3 = [1, 2, 3].map((k) => monthly.get(`${a.admin1}|${back(k)}`) ?? 0);
      return {
        admin1_code: codes.get(a.admin1) ?? a.admin1,
        state: a.state,
        fatalities: round(a.point),
        last_month: last3[0],
        mean3: round((last3[0] + last3[1] + last3[2]) / 3),
        fatalities_quantiles: roundQ(a.quantiles),
        fatalities_exceedance: roundE(a.exceedance),
        incidents: round(incidents?.point ?? 0),
        incidents_quantiles: roundQ(incidents?.quantiles ?? { q05: 0, q25: 0, q50: 0, q75: 0, q95: 0 }),
        incidents_exceedance: roundE(incidents?.exceedance ?? {}),
      };
    });
    return { month: back(-(h - 1)), horizon: h, areas };
  });
  const view: ForecastView = {
    month,
    generated_at: new Date().toISOString(),
    source: 'visible_validated_incidents',
    thresholds,
    params: { decay: null, penalty: result.horizons[0]?.penalty ?? null },
    horizons,
    areas: horizons[0].areas,
  };
  cache.set(key, view);
  return view;
}
