/**
 * The figures of a situation report, computed for its audience and ceiling (never for whoever asks): every count and
 * toll comes from aggregateIncidents, the function behind GET /api/v1/aggregates, called with the audience's
 * principal; alerts, actions and the forecast from their own services with the same principal.
 */
import { CONFEDERATION_ORG, roleCan, sitrepBounds, sitrepShift, type AggregateItem, type SitrepFigures, type SitrepKind, type SitrepTotals } from '@vigie/domain';
import { actorTotals } from '../../repositories/sitrep.repository.js';
import { listAdminAreas } from '../../repositories/reference.repository.js';
import { aggregateIncidents } from '../aggregate.service.js';
import { listAlerts } from '../alerts/alert.service.js';
import type { Ctx } from '../context.js';
import { listActions } from '../coordination/coordination.service.js';
import { getForecast } from '../forecast/forecast.service.js';
import { boundaryFrame } from '../geography/boundary-sets.service.js';
import { adminAreasBody } from '../geography/geography.service.js';
import type { Principal } from '../principal.js';
import { projectOutlines } from './sitrep-map.js';

/** Periods of history behind each comparison: the short and long means. */
export const SHORT = { week: 4, month: 3 } as const;
export const LONG = 12;
const DUE_WITHIN_DAYS = 14;

const zero = (): SitrepTotals => ({ incidents: 0, fatalities: 0, civilian_fatalities: 0, injured: 0, abducted: 0 });
const MEASURES = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;
function add(t: SitrepTotals, i: SitrepTotals): void {
  for (const m of MEASURES) t[m] += i[m];
}
const scale = (t: SitrepTotals, k: number): SitrepTotals => Object.fromEntries(MEASURES.map((m) => [m, Math.round((t[m] * 1000) / k) / 1000])) as SitrepTotals;

/**
 * The aggregate queries behind a report (also what the benchmark's baseline runs bare). A state's own report covers
 * that state's records only (its view also holds what the others share with it). `periods`: the period and the 12
 * before it in one aggregate query, by state, admin-1 area and period — the period's groups are its figures
 * (the same sums as the period asked alone), the others its history.
 */
export function reportQueries(kind: SitrepKind, period: string, states?: string[]) {
  const { from, to } = sitrepBounds(kind, period);
  const historyFrom = sitrepBounds(kind, sitrepShift(kind, period, LONG)).from;
  const historyTo = sitrepBounds(kind, sitrepShift(kind, period, 1)).to;
  return {
    from, to, historyFrom, historyTo,
    periods: { from: historyFrom, to, group_by: ['state', 'admin1', kind], ...(states ? { states } : {}) },
  };
}

/** Everything the report shows, as its audience sees it now. `states`: the audience's states (all, or one). */
export async function computeFigures(ctx: Ctx, audience: Principal, kind: SitrepKind, period: string, now: Date): Promise<SitrepFigures> {
  const own = audience.organisation !== CONFEDERATION_ORG;
  const stateCodes = own ? [audience.organisation] : ctx.reference.states.map((s) => s.code);
  const q = reportQueries(kind, period, own ? stateCodes : undefined);
  // Every read the report needs at once (PostgreSQL answers them on several connections; SQLite queues them).
  const next = sitrepBounds('month', sitrepShift('month', q.to.slice(0, 7), -1)).from.slice(0, 7);
  const [all, adminAreas, actorRows, alertList, fc, actionList, map, frame] = await Promise.all([
    aggregateIncidents(ctx, audience, q.periods),
    listAdminAreas(ctx.engine.db, { level: 1 }),
    actorTotals(ctx.engine, ctx.engine.db, audience, q.from, q.to, own ? stateCodes : undefined),
    roleCan(audience.role, 'alert.read') ? listAlerts(ctx, audience, { from: q.from, to: q.to, limit: 200, ...(own ? { states: stateCodes.join(',') } : {}) }) : null,
    // The forecast for the month after the period, when it can be computed.
    getForecast(ctx, audience, { month: next }).catch(() => null),
    roleCan(audience.role, 'coordination.read') ? listActions(ctx, audience, {}) : null,
    mapOf(ctx, stateCodes),
    // The boundary sets the figures by area are counted in, frozen with them.
    boundaryFrame(ctx, stateCodes),
  ]);
  const periods = Array.from({ length: LONG }, (_, i) => sitrepShift(kind, period, LONG - i));
  const key = (i: AggregateItem) => (kind === 'week' ? i.week : i.month) ?? '';
  const current = { items: all.items.filter((i) => key(i) === period) };
  const history = { items: all.items.filter((i) => key(i) !== period) };

  // Per state: current, previous, short and long means (a state with nothing recorded still shows, at zero).
  const per = new Map<string | null, { current: SitrepTotals; previous: SitrepTotals; short: SitrepTotals; long: SitrepTotals }>();
  const slot = (s: string | null) => {
    let v = per.get(s);
    if (!v) per.set(s, (v = { current: zero(), previous: zero(), short: zero(), long: zero() }));
    return v;
  };
  slot(null);
  for (const s of stateCodes) slot(s);
  const prev = periods[LONG - 1];
  const shortSet = new Set(periods.slice(LONG - SHORT[kind]));
  for (const i of current.items) { add(slot(i.state ?? null).current, i); add(slot(null).current, i); }
  for (const i of history.items) {
    const p = key(i);
    for (const target of [slot(i.state ?? null), slot(null)]) {
      add(target.long, i);
      if (shortSet.has(p)) add(target.short, i);
      if (p === prev) add(target.previous, i);
    }
  }
  const keyFigures = [null, ...stateCodes].map((s) => {
    const v = slot(s);
    return { state: s, current: v.current, previous: v.previous, avg_short: scale(v.short, SHORT[kind]), avg_long: scale(v.long, LONG) };
  });

  // Per admin-1 area of the audience's states.
  const areaRows = adminAreas.filter((a) => stateCodes.includes(a.state));
  const areas = areaRows.map((a) => {
    const mine = (i: AggregateItem) => i.admin1 === a.code && i.state === a.state;
    const cur = zero(); const previous = zero(); let historyIncidents = 0;
    for (const i of current.items) if (mine(i)) add(cur, i);
    for (const i of history.items) {
      if (!mine(i)) continue;
      historyIncidents += i.incidents;
      if (key(i) === prev) add(previous, i);
    }
    return { state: a.state, code: a.code, name_fr: a.name_fr, name_en: a.name_en, lat: a.centroid_lat, lon: a.centroid_lon, current: cur, previous, history_incidents: historyIncidents };
  });

  // The chart: the 12 previous periods and this one.
  const seriesPeriods = [...periods, period];
  const byPeriod = new Map(seriesPeriods.map((p) => [p, zero()]));
  for (const i of history.items) { const t = byPeriod.get(key(i)); if (t) add(t, i); }
  byPeriod.set(period, { ...slot(null).current });
  const series = {
    periods: seriesPeriods,
    incidents: seriesPeriods.map((p) => byPeriod.get(p)?.incidents ?? 0),
    fatalities: seriesPeriods.map((p) => byPeriod.get(p)?.fatalities ?? 0),
    civilian_fatalities: seriesPeriods.map((p) => byPeriod.get(p)?.civilian_fatalities ?? 0),
  };

  // Actors: organisations only (the "civilians" kind is not one), most incidents first.
  const names = new Map(ctx.reference.actors.map((a) => [a.code, a]));
  const actors = [...actorRows.entries()]
    .map(([code, t]) => ({ code, name: names.get(code)?.name ?? code, kind: names.get(code)?.kind ?? 8, ...t }))
    .filter((a) => a.kind !== 7)
    .sort((a, b) => b.incidents - a.incidents || b.fatalities - a.fatalities || a.code.localeCompare(b.code))
    .slice(0, 10);

  // Early warning: alerts whose window overlaps the period, with each state's acknowledgement.
  const alerts = alertList
    ? alertList.items
      .filter((a) => a.created_at.slice(0, 10) <= q.to)
      .map((a) => ({
        id: a.id, title_fr: a.texts?.fr.title ?? a.title, title_en: a.texts?.en.title ?? a.title, severity: a.severity, status: a.status, created_at: a.created_at,
        states: a.states.map((s) => ({ state: s.state, acknowledged_at: s.acknowledged_at })),
      }))
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
    : [];

  // Forecast hotspots for the month after the period.
  const names1 = new Map(areaRows.map((a) => [a.code, a]));
  const forecast: SitrepFigures['forecast'] = fc
    ? fc.areas.filter((a) => stateCodes.includes(a.state) && a.fatalities >= 1)
      .sort((a, b) => b.fatalities - a.fatalities || a.admin1_code.localeCompare(b.admin1_code)).slice(0, 5)
      .map((a) => ({ state: a.state, code: a.admin1_code, name_fr: names1.get(a.admin1_code)?.name_fr ?? a.admin1_code, name_en: names1.get(a.admin1_code)?.name_en ?? a.admin1_code, month: fc.month, fatalities: Math.round(a.fatalities * 10) / 10 }))
    : null;

  // Follow-up of joint decisions: open actions overdue or due within two weeks of the report's day.
  const today = now.toISOString().slice(0, 10);
  const horizon = new Date(now.getTime() + DUE_WITHIN_DAYS * 86_400_000).toISOString().slice(0, 10);
  const actions = actionList
    ? actionList.filter((a) => (a.status === 'planned' || a.status === 'in_progress' || a.status === 'blocked') && a.due_date <= horizon)
      .filter((a) => audience.organisation === CONFEDERATION_ORG || a.owner_state === audience.organisation)
      .sort((a, b) => a.due_date.localeCompare(b.due_date) || a.id.localeCompare(b.id)).slice(0, 20)
      .map((a) => ({ id: a.id, title: a.title, owner_state: a.owner_state, owner_body: a.owner_body, due_date: a.due_date, status: a.status, progress: a.progress, overdue: a.due_date < today }))
    : [];

  return {
    kind, period, from: q.from, to: q.to,
    states: ctx.reference.states.filter((s) => stateCodes.includes(s.code)).map((s) => ({ code: s.code, name_fr: s.name_fr, name_en: s.name_en })),
    alliance: { name_fr: ctx.reference.alliance.name_fr, name_en: ctx.reference.alliance.name_en },
    key_figures: keyFigures, areas, series, actors, alerts, forecast, actions,
    map, boundary_frame: frame,
  };
}

const maps = new WeakMap<Ctx, Map<string, SitrepFigures['map']>>();

/** The projected outlines, computed once per boundary set (the GeoJSON body's validator) and audience. */
async function mapOf(ctx: Ctx, states: string[]): Promise<SitrepFigures['map']> {
  const body = await adminAreasBody(ctx, { level: 1 });
  let cache = maps.get(ctx);
  if (!cache) maps.set(ctx, (cache = new Map()));
  const key = `${body.etag}|${states.join(',')}`;
  let map = cache.get(key);
  if (!map) {
    const features = (JSON.parse(body.raw.toString('utf8')) as { features: Parameters<typeof projectOutlines>[0] }).features;
    map = projectOutlines(features, states);
    if (cache.size > 50) cache.clear();
    cache.set(key, map);
  }
  return map;
}
