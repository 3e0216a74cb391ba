/**
 * The escalation rules as pure functions: weekly series per area in, findings out. The service (alert-rules.service.ts)
 * builds the series from validated incidents and stores the findings as alerts; the backtest feeds UCDP events.
 *
 * Weeks are ISO weeks (Monday 00:00 UTC). Each rule looks at an evaluated week against the area's own baseline:
 * the `baseline_weeks` weeks before it.
 */
import type { AlertRule, AlertSeverity, AlertStatistics } from '@vigie/domain/alert.schema';
import { alertTexts } from '@vigie/domain/alert-text';
import type { RulesConfig } from './rules-config.js';
import { baselineModel, quantile, upperTail, type CountModel } from './stats.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Monday 00:00 UTC of the week containing `instant`, as an ISO instant. */
export function weekStart(instant: string | Date): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const d = new Date(t);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  return new Date(midnight - dow * DAY).toISOString();
}

/** The week `n` weeks after (or before, n < 0) the week starting at `start`. */
export const addWeeks = (start: string, n: number): string => new Date(Date.parse(start) + n * WEEK).toISOString();

export interface AreaInfo {
  readonly code: string;
  readonly state: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

export interface WeekValues {
  count: number;
  fatalities: number;
  civilians: number;
}

/** Weekly values of every area over contiguous weeks (oldest first). */
export interface WeeklySeries {
  /** Week starts, contiguous, oldest first. */
  readonly weeks: readonly string[];
  /** area code → one entry per week (missing areas are all zeros). */
  readonly values: ReadonlyMap<string, readonly WeekValues[]>;
}

/** What a rule found: the service turns it into an alert with its evidence. */
export interface Finding {
  readonly rule: Exclude<AlertRule, 'flash'>;
  readonly areas: readonly string[];
  readonly states: readonly string[];
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly summary: string;
  readonly statistics: AlertStatistics;
  /** rule:areas:window — the same finding is never raised twice. */
  readonly dedupKey: string;
}

const ZERO: WeekValues = { count: 0, fatalities: 0, civilians: 0 };
const day = (iso: string) => iso.slice(0, 10);

function valuesOf(series: WeeklySeries, code: string): readonly WeekValues[] {
  return series.values.get(code) ?? series.weeks.map(() => ZERO);
}

interface Test {
  observed: number;
  model: CountModel;
  pValue: number;
  threshold: number;
  baseline: number[];
}

/** How surprising week `i`'s value is against the `baseline_weeks` before it. */
function test(values: readonly number[], i: number, config: RulesConfig, q: number): Test {
  const from = Math.max(0, i - config.baseline_weeks);
  const baseline = values.slice(from, i);
  const model = baselineModel(baseline, config.ewma_alpha, config.min_expected);
  const observed = values[i] ?? 0;
  return { observed, model, pValue: upperTail(model, observed), threshold: quantile(model, q), baseline };
}

function statistics(series: WeeklySeries, i: number, t: Test, metric: AlertStatistics['metric'], q: number, config: RulesConfig): AlertStatistics {
  const from = Math.max(0, i - config.baseline_weeks);
  return {
    metric,
    observed: t.observed,
    expected: round(t.model.mean),
    quantile: t.threshold,
    quantile_level: q,
    p_value: t.pValue,
    distribution: t.model.size === null ? 'poisson' : 'negative_binomial',
    dispersion: t.model.size === null ? null : round(t.model.size),
    baseline: { from: series.weeks[from] ?? series.weeks[0] ?? '', to: series.weeks[i] ?? '', periods: t.baseline.length, values: t.baseline },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function spikeSeverity(p: number, observed: number, metric: string): AlertSeverity {
  if (p < 1e-4 || (metric !== 'count' && observed >= 50)) return 'critical';
  if (p < 1e-3) return 'high';
  return 'medium';
}

const SPIKES = [
  { rule: 'count_spike', metric: 'count', key: 'count' },
  { rule: 'fatality_spike', metric: 'fatalities', key: 'fatalities' },
  { rule: 'civilian_harm', metric: 'civilian_fatalities', key: 'civilians' },
] as const;

/** The stored (French) title and summary, written from the facts as every reader's are (@vigie/domain/alert-text). */
function frenchTexts(f: Omit<Finding, 'title' | 'summary'>, byCode: ReadonlyMap<string, AreaInfo>): Finding {
  const texts = alertTexts({ ...f, window_start: f.windowStart, window_end: f.windowEnd, title: '', summary: '' }, 'fr', (c) => byCode.get(c)?.name ?? c, Date.parse(f.windowEnd));
  return { ...f, ...texts };
}

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Pairs of areas of two different states that are neighbours: boundaries that meet (`borders`, from imported
 * polygons: see borders.ts), or centroids within `km`.
 */
export function crossBorderNeighbours(areas: readonly AreaInfo[], km: number, borders?: ReadonlySet<string>): [AreaInfo, AreaInfo][] {
  const pairs: [AreaInfo, AreaInfo][] = [];
  for (let i = 0; i < areas.length; i++) {
    for (let j = i + 1; j < areas.length; j++) {
      const a = areas[i];
      const b = areas[j];
      if (!a || !b || a.state === b.state) continue;
      const [x, y] = a.code < b.code ? [a, b] : [b, a];
      if (distanceKm(a, b) <= km || borders?.has(`${x.code}|${y.code}`)) pairs.push([x, y]);
    }
  }
  return pairs;
}

/**
 * Runs every enabled rule on the weeks `evaluate` (indices into `series.weeks`) and returns what fired.
 * Areas absent from `areas` are ignored (their state is unknown).
 */
export function evaluateRules(input: {
  series: WeeklySeries;
  areas: readonly AreaInfo[];
  evaluate: readonly number[];
  config: RulesConfig;
  /** Pairs `A|B` of areas whose boundaries meet (from imported polygons), for the cross-border rule. */
  borders?: ReadonlySet<string>;
}): Finding[] {
  const { series, areas, config } = input;
  const out: Finding[] = [];
  const byCode = new Map(areas.map((a) => [a.code, a]));
  for (const i of input.evaluate) {
    const start = series.weeks[i];
    if (start === undefined) continue;
    const end = addWeeks(start, 1);

    for (const area of areas) {
      const vals = valuesOf(series, area.code);
      // (a, d) spikes against the area's own baseline.
      for (const s of SPIKES) {
        const rc = config.rules[s.rule];
        if (!rc.enabled) continue;
        const t = test(vals.map((v) => v[s.key]), i, config, rc.quantile);
        // A quiet baseline is the new-hotspot rule's business, not a spike.
        const active = t.baseline.some((v) => v > 0);
        if (!active || t.observed < rc.min_count || t.pValue > 1 - rc.quantile) continue;
        out.push(frenchTexts({
          rule: s.rule, areas: [area.code], states: [area.state], windowStart: start, windowEnd: end,
          severity: s.rule === 'civilian_harm' && t.observed >= 20 ? 'critical' : spikeSeverity(t.pValue, t.observed, s.metric),
          statistics: statistics(series, i, t, s.metric, rc.quantile, config),
          dedupKey: `${s.rule}:${area.code}:${day(start)}`,
        }, byCode));
      }
      // (b) new hotspot: quiet for N months, active this week.
      const hot = config.rules.new_hotspot;
      if (hot.enabled) {
        const quietWeeks = Math.round((hot.quiet_months * 365.25) / 12 / 7);
        const now = vals[i] ?? ZERO;
        const before = vals.slice(Math.max(0, i - quietWeeks), i);
        const enoughHistory = i - quietWeeks >= 0;
        const quiet = before.every((v) => v.count === 0);
        const active = now.count >= hot.min_count || (hot.min_fatalities > 0 && now.fatalities >= hot.min_fatalities);
        if (enoughHistory && quiet && active) {
          const model: CountModel = { mean: 1 / (2 * quietWeeks), size: null };
          const p = upperTail(model, now.count);
          out.push(frenchTexts({
            rule: 'new_hotspot', areas: [area.code], states: [area.state], windowStart: start, windowEnd: end,
            severity: now.fatalities >= 10 ? 'high' : 'medium',
            statistics: {
              metric: 'count', observed: now.count, expected: round(model.mean), quantile: null, quantile_level: null, p_value: p,
              distribution: 'poisson', dispersion: null,
              baseline: { from: series.weeks[i - quietWeeks] ?? start, to: start, periods: before.length, values: before.map((v) => v.count) },
              fatalities: now.fatalities, quiet_months: hot.quiet_months,
            },
            dedupKey: `new_hotspot:${area.code}:${day(start)}`,
          }, byCode));
        }
      }
    }

    // (c) cross-border spread: neighbouring areas of two states both rising within `within_days`.
    const cb = config.rules.cross_border;
    if (cb.enabled) {
      const span = Math.max(1, Math.ceil(cb.within_days / 7));
      const rising = (code: string, at: number): Test | null => {
        if (at < 0) return null;
        const t = test(valuesOf(series, code).map((v) => v.count), at, config, cb.quantile);
        return t.observed >= cb.min_count && t.pValue <= 1 - cb.quantile ? t : null;
      };
      const within = (code: string) => {
        for (let k = 0; k < span; k++) {
          const t = rising(code, i - k);
          if (t) return t;
        }
        return null;
      };
      for (const [a, b] of crossBorderNeighbours(areas, cb.neighbour_km, input.borders)) {
        const nowA = rising(a.code, i);
        const nowB = rising(b.code, i);
        if (!nowA && !nowB) continue; // it must be new this week
        const ta = nowA ?? within(a.code);
        const tb = nowB ?? within(b.code);
        if (!ta || !tb) continue;
        const first = ta.pValue <= tb.pValue ? ta : tb;
        const windowStart = addWeeks(start, 1 - span);
        out.push(frenchTexts({
          rule: 'cross_border', areas: [a.code, b.code], states: [...new Set([a.state, b.state])].sort(), windowStart, windowEnd: end,
          severity: 'high',
          statistics: {
            ...statistics(series, i, first, 'count', cb.quantile, config),
            observed: ta.observed + tb.observed,
            expected: round(ta.model.mean + tb.model.mean),
            p_value: Math.max(ta.pValue, tb.pValue),
            areas: [
              { code: a.code, observed: ta.observed, expected: round(ta.model.mean), p_value: ta.pValue },
              { code: b.code, observed: tb.observed, expected: round(tb.model.mean), p_value: tb.pValue },
            ],
            within_days: cb.within_days,
          },
          dedupKey: `cross_border:${a.code}|${b.code}:${day(start)}`,
        }, byCode));
      }
    }
  }
  return out.filter((f) => byCode.size === 0 || f.areas.every((c) => byCode.has(c)));
}

/** Folds dated values into contiguous weeks from `from` (a week start) for `weeks` weeks. */
export function weeklySeries(
  rows: Iterable<{ area: string; at: string; count: number; fatalities: number; civilians: number }>,
  from: string,
  weeks: number,
): WeeklySeries {
  const starts = Array.from({ length: weeks }, (_, k) => addWeeks(from, k));
  const t0 = Date.parse(from);
  const values = new Map<string, WeekValues[]>();
  for (const r of rows) {
    const k = Math.floor((Date.parse(r.at.length === 10 ? `${r.at}T00:00:00.000Z` : r.at) - t0) / WEEK);
    if (k < 0 || k >= weeks) continue;
    let v = values.get(r.area);
    if (!v) {
      v = starts.map(() => ({ count: 0, fatalities: 0, civilians: 0 }));
      values.set(r.area, v);
    }
    const cell = v[k];
    if (!cell) continue;
    cell.count += r.count;
    cell.fatalities += r.fatalities;
    cell.civilians += r.civilians;
  }
  return { weeks: starts, values };
}
