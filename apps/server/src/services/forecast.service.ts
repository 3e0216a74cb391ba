/**
 * GET /api/v1/forecast: next month's fatalities per admin-1 area (docs/forecast.md), computed from the validated
 * incidents the reader may see. Readers who see the same records (same organisation and clearance) share a cache
 * entry per month; any incident change empties the cache.
 */
import { z } from 'zod';
import { visibleMonthlyFatalities } from '../repositories/forecast.repository.js';
import type { Ctx } from './context.js';
import { admin1Key, forecastNextMonth, type ForecastEvent, type MonthForecast } from './forecast/forecast.js';
import { requirePermission, type Principal } from './principal.js';

export const forecastQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu : AAAA-MM').optional().describe('Month to forecast (default: next month)'),
});

export interface AreaForecastView {
  admin1_code: string;
  state: string;
  fatalities: number;
  last_month: number;
  mean3: number;
}

export interface ForecastView {
  month: string;
  generated_at: string;
  params: MonthForecast['params'];
  areas: AreaForecastView[];
}

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

/** Forecast of `month` (default next month) per admin-1 area, over the incidents the reader may see. */
export async function getForecast(ctx: Ctx, principal: Principal, input: unknown): Promise<ForecastView> {
  requirePermission(principal, 'aggregate.read');
  const month = forecastQuerySchema.parse(input ?? {}).month ?? nextMonth();
  const key = `${principal.kind}:${principal.organisation}:${principal.clearance}:${month}`;
  const cache = cacheOf(ctx);
  const hit = cache.get(key);
  if (hit) return hit;
  const rows = await visibleMonthlyFatalities(ctx.engine.db, principal, `${month}-01T00:00:00.000Z`);
  const codes = new Map<string, string>();
  const events: ForecastEvent[] = rows.map((r) => {
    const k = admin1Key(r.state, r.area);
    codes.set(k, r.area);
    return { dateStart: `${r.month}-01T00:00:00.000Z`, admin1: k, fatalities: r.fatalities };
  });
  const round = (x: number) => Math.round(x * 10) / 10;
  const result = events.length
    ? forecastNextMonth(events, month)
    : { month, params: { decay: 0, shrink: 0, seasonal: 0, momentum: 0, fittedOn: null }, areas: [] };
  const view: ForecastView = {
    month,
    generated_at: new Date().toISOString(),
    params: result.params,
    areas: result.areas.map((a) => ({ admin1_code: codes.get(a.admin1) ?? a.admin1, state: a.state, fatalities: round(a.fatalities), last_month: a.lastMonth, mean3: round(a.mean3) })),
  };
  cache.set(key, view);
  return view;
}
