/**
 * Probabilistic forecasts of fatalities and incident counts per admin-1 area, 1–3 months
 * ahead, and the baselines they are judged against (docs/forecast.md).
 *
 * Every forecaster returns a predictive distribution: `SAMPLES` sorted values (equally spaced
 * quantiles of the forecast distribution). A point forecaster is a one-value distribution.
 *
 * The model is a two-part (hurdle) model fitted on the area × month panel, in log1p space:
 *   P(y > 0)          = logistic(β·x)         (will there be any?)
 *   log1p(y) | y > 0  = γ·x + ε               (how many, if any)
 * with ε drawn from the empirical residuals of the fit, pooled over every area. The features x
 * of area a at origin o use columns < o only: the area's own log levels at three time scales and
 * last month, the same levels of the other measure (incidents for fatalities and conversely),
 * its neighbours' level (across borders), the state's level and trend, the mix of event types,
 * the time since its last event, the highest of its last 12 months and the season. One
 * hyper-parameter (the ridge penalty) is chosen for each origin on the 12 months before it, by a
 * model fitted on data before those months.
 */
import { monthIndex, monthOf, type ForecastEvent, type Month } from './forecast.js';
import { distribution, exceedance, logMeanPoint, ScoreAccumulator, type Distribution, type Scores } from './scoring.js';
import { buildProbPanel, type Centroid, EWM_BASELINE_DECAY, featuresOf, monthOfInstant, type Target } from './panel.js';
import { choosePenalty, fitAtOrigin, hurdleDistribution } from './hurdle.js';

// ---------------------------------------------------------------------------------------------
// Baselines, as distributions, from columns < origin only

export const BASELINES = ['zero', 'persistence', 'mean3', 'ewm', 'bootstrap12'] as const;
export type Baseline = (typeof BASELINES)[number];

export function baselineDistribution(baseline: Baseline, series: Float64Array, origin: number): Distribution {
  switch (baseline) {
    case 'zero':
      return [0];
    case 'persistence':
      return [origin > 0 ? series[origin - 1] : 0];
    case 'mean3': {
      let s = 0;
      let n = 0;
      for (let k = 1; k <= 3 && origin - k >= 0; k += 1) {
        s += series[origin - k];
        n += 1;
      }
      return [n ? s / n : 0];
    }
    case 'ewm': {
      let s = 0;
      let w = 0;
      let weight = 1;
      for (let t = origin - 1; t >= 0; t -= 1) {
        s += weight * Math.log1p(series[t]);
        w += weight;
        weight *= EWM_BASELINE_DECAY;
        if (weight < 1e-9) break;
      }
      return [w ? Math.expm1(s / w) : 0];
    }
    case 'bootstrap12': {
      const last = [];
      for (let k = 1; k <= 12 && origin - k >= 0; k += 1) last.push(series[origin - k]);
      return last.length ? distribution(last) : [0];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rolling-origin evaluation

export const FORECASTERS = ['model', ...BASELINES] as const;
export type Forecaster = (typeof FORECASTERS)[number];

export interface EvaluationWindow {
  readonly from: Month;
  readonly to: Month;
}

/** How often the model's probability of reaching a threshold came true, by band of probability. */
export interface Reliability {
  readonly threshold: number;
  readonly bands: ReadonlyArray<{ readonly from: number; readonly to: number; readonly n: number; readonly meanPredicted: number; readonly observed: number }>;
}

export const RELIABILITY_THRESHOLDS: Record<Target, readonly number[]> = { fatalities: [1, 25], incidents: [1, 5] };
const BANDS = [0, 0.1, 0.3, 0.5, 0.7, 1.0000001];

export interface WindowScores extends EvaluationWindow {
  readonly n: number;
  readonly scores: Record<Forecaster, Scores>;
  readonly reliability: readonly Reliability[];
  /**
   * RMSLE of a clairvoyant smoother that no forecast can be: the mean log1p of the three months before AND the three
   * months after each month (the month itself left out). Not a forecaster (it sees the future); it measures how much
   * of a month's value its neighbouring months can tell at all.
   */
  readonly clairvoyantRmsle: number;
}

export interface RollingEvaluation {
  readonly target: Target;
  readonly horizon: number;
  readonly windows: WindowScores[];
  /** Ridge penalty chosen at each origin (keyed by the month forecast). */
  readonly penalties: Record<Month, number>;
}

/**
 * Rolling origin over every month of every window: the forecast of month m at horizon h is
 * made at origin m − h + 1 from events before that origin only, with the model refitted (and
 * its ridge penalty re-chosen) at each origin. Scored: every area with an event up to the last month
 * evaluated × every month, zeros included (as in the point evaluation).
 */
export function evaluateRolling(input: {
  readonly events: readonly ForecastEvent[];
  readonly windows: readonly EvaluationWindow[];
  readonly target?: Target;
  readonly horizon?: number;
  readonly centroids?: ReadonlyMap<string, Centroid>;
}): RollingEvaluation {
  const target = input.target ?? 'fatalities';
  const horizon = input.horizon ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 3) throw new RangeError(`horizon must be 1, 2 or 3, got ${horizon}`);
  if (input.windows.length === 0) throw new RangeError('no window to evaluate');
  const bounds = input.windows.map((w) => ({ from: monthIndex(w.from), to: monthIndex(w.to) }));
  for (const [i, b] of bounds.entries()) if (b.to < b.from) throw new RangeError(`window ${i}: from (${input.windows[i].from}) is after to (${input.windows[i].to})`);
  const lastMonth = Math.max(...bounds.map((b) => b.to));
  const panel = buildProbPanel(input.events, { to: monthOf(lastMonth), centroids: input.centroids });
  if (panel.width === 0) throw new RangeError('no events to evaluate on');
  const firstMonth = Math.min(...bounds.map((b) => b.from));
  const dataLast = lastEventMonth(input.events);
  if (firstMonth - horizon + 1 <= panel.start) throw new RangeError(`from (${monthOf(firstMonth)}) must leave at least one month of history after the first event's month (${monthOf(panel.start)})`);
  if (lastMonth > dataLast) throw new RangeError(`to (${monthOf(lastMonth)}) is after the last event's month (${monthOf(dataLast)}): the data do not cover it`);
  const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
  const features = featuresOf(panel, target);
  const accumulators = bounds.map(() => Object.fromEntries(FORECASTERS.map((f) => [f, new ScoreAccumulator()])) as Record<Forecaster, ScoreAccumulator>);
  const penalties: Record<Month, number> = {};
  const clairvoyant = bounds.map(() => [0, 0]);
  const warm = new Map<string, Float64Array>();
  const thresholds = RELIABILITY_THRESHOLDS[target];
  // tallies[window][threshold][band] = [n, sum of predicted, hits]
  const tallies = bounds.map(() => thresholds.map(() => BANDS.slice(1).map(() => [0, 0, 0])));
  for (let m = firstMonth; m <= lastMonth; m += 1) {
    const inWindows = bounds.flatMap((b, i) => (m >= b.from && m <= b.to ? [i] : []));
    if (inWindows.length === 0) continue;
    const t = m - panel.start;
    const origin = t - horizon + 1;
    const fit = fitAtOrigin(panel, target, features, origin, horizon, warm);
    penalties[monthOf(m)] = fit.penalty;
    for (let a = 0; a < panel.areas.length; a += 1) {
      const actual = series[a][t];
      const seen = clairvoyantLog(series[a], t);
      for (const w of inWindows) {
        clairvoyant[w][0] += (seen - Math.log1p(actual)) ** 2;
        clairvoyant[w][1] += 1;
      }
      const forecasts: Record<Forecaster, Distribution> = {
        model: hurdleDistribution(fit, features[a][origin]),
        zero: baselineDistribution('zero', series[a], origin),
        persistence: baselineDistribution('persistence', series[a], origin),
        mean3: baselineDistribution('mean3', series[a], origin),
        ewm: baselineDistribution('ewm', series[a], origin),
        bootstrap12: baselineDistribution('bootstrap12', series[a], origin),
      };
      for (const w of inWindows) for (const f of FORECASTERS) accumulators[w][f].add(forecasts[f], actual);
      thresholds.forEach((threshold, i) => {
        const p = exceedance(forecasts.model, threshold);
        const band = BANDS.findIndex((b, k) => k > 0 && p < b) - 1;
        for (const w of inWindows) {
          const tally = tallies[w][i][band];
          tally[0] += 1;
          tally[1] += p;
          tally[2] += actual >= threshold ? 1 : 0;
        }
      });
    }
  }
  const windows = input.windows.map((w, i) => {
    const scores = Object.fromEntries(FORECASTERS.map((f) => [f, accumulators[i][f].result()])) as Record<Forecaster, Scores>;
    const reliability = thresholds.map((threshold, t) => ({
      threshold,
      bands: tallies[i][t].map(([n, predicted, hits], b) => ({ from: BANDS[b], to: Math.min(1, BANDS[b + 1]), n, meanPredicted: n ? predicted / n : 0, observed: n ? hits / n : 0 })),
    }));
    return { from: w.from, to: w.to, n: scores.model.n, scores, reliability, clairvoyantRmsle: Math.sqrt(clairvoyant[i][0] / clairvoyant[i][1]) };
  });
  return { target, horizon, windows, penalties };
}

/** Mean log1p of the 3 columns before and the 3 after `t` that exist (t itself left out): see `clairvoyantRmsle`. */
export function clairvoyantLog(series: Float64Array, t: number): number {
  let sum = 0;
  let n = 0;
  for (let k = -3; k <= 3; k += 1) {
    if (k === 0 || t + k < 0 || t + k >= series.length) continue;
    sum += Math.log1p(series[t + k]);
    n += 1;
  }
  return n ? sum / n : 0;
}

function lastEventMonth(events: readonly ForecastEvent[]): number {
  let last = Number.NEGATIVE_INFINITY;
  events.forEach((e, i) => {
    last = Math.max(last, monthOfInstant(e.dateStart, i));
  });
  return last;
}

// ---------------------------------------------------------------------------------------------
// Forecasts for use

export interface AreaDistribution {
  readonly admin1: string;
  readonly state: string;
  /** Quantiles at 5, 25, 50, 75, 95 %. */
  readonly quantiles: { readonly q05: number; readonly q25: number; readonly q50: number; readonly q75: number; readonly q95: number };
  /** The point RMSLE rewards (expm1 of the mean log1p): a typical value, not a mean. */
  readonly point: number;
  /** Probability of reaching each threshold, keyed by threshold. */
  readonly exceedance: Record<string, number>;
  /** Value of the month before the origin (persistence), for context. */
  readonly lastMonth: number;
}

export interface ProbabilisticForecast {
  /** First month forecast (horizon 1). */
  readonly origin: Month;
  readonly horizons: ReadonlyArray<{ readonly month: Month; readonly horizon: number; readonly target: Target; readonly penalty: number; readonly areas: readonly AreaDistribution[] }>;
}

/**
 * Forecasts for months `origin`, `origin + 1`, … (`horizons` of them) for every area with an
 * event before `origin`, from events before `origin` only; months between the last event and
 * the origin count as zeros.
 */
export function forecastDistributions(
  events: readonly ForecastEvent[],
  origin: Month,
  options: { readonly horizons?: number; readonly targets?: readonly Target[]; readonly thresholds?: Partial<Record<Target, readonly number[]>>; readonly centroids?: ReadonlyMap<string, Centroid> } = {},
): ProbabilisticForecast {
  const o = monthIndex(origin);
  const panel = buildProbPanel(events, { to: monthOf(o - 1), centroids: options.centroids });
  const horizons: Array<ProbabilisticForecast['horizons'][number]> = [];
  if (panel.width === 0) return { origin, horizons };
  const count = options.horizons ?? 3;
  for (const target of options.targets ?? (['fatalities', 'incidents'] as const)) {
    const features = featuresOf(panel, target);
    const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
    const thresholds = options.thresholds?.[target] ?? (target === 'fatalities' ? [1, 25, 100] : [1, 5, 10]);
    const warm = new Map<string, Float64Array>();
    const penalty = choosePenalty(panel, target, features, panel.width, warm);
    for (let h = 1; h <= count; h += 1) {
      const fit = fitAtOrigin(panel, target, features, panel.width, h, warm, penalty);
      const areas = panel.areas.map((admin1, a) => {
        const x = hurdleDistribution(fit, features[a][panel.width]);
        const q = (p: number) => x[Math.min(x.length - 1, Math.floor(p * x.length))];
        return {
          admin1,
          state: panel.states[a],
          quantiles: { q05: q(0.05), q25: q(0.25), q50: q(0.5), q75: q(0.75), q95: q(0.95) },
          point: logMeanPoint(x),
          exceedance: Object.fromEntries(thresholds.map((th) => [String(th), x.filter((v) => v >= th).length / x.length])),
          lastMonth: series[a][panel.width - 1],
        };
      });
      horizons.push({ month: monthOf(o + h - 1), horizon: h, target, penalty: fit.penalty, areas });
    }
  }
  return { origin, horizons };
}
