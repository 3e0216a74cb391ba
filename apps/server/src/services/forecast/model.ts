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
 * with ε drawn from the empirical residuals of the fit. The features x of area a at origin o
 * use columns < o only: the area's own exponentially weighted log level and last month, its
 * neighbours' level (across borders), the state-wide trend, the mix of event types, and the
 * time since its last event. One hyper-parameter (the decay of the weighted levels) is chosen
 * for each origin on the 12 months before it, by a model fitted on data before those months.
 */
import { admin1Key, monthIndex, monthOf, type ForecastEvent, type Month } from './forecast.js';
import { distribution, exceedance, logMeanPoint, ScoreAccumulator, type Distribution, type Scores } from './scoring.js';

export type Target = 'fatalities' | 'incidents';

/** Number of quantiles that describe a model forecast. */
export const SAMPLES = 200;
/** Decays of the weighted levels among which each origin chooses (nested). */
export const DECAYS: readonly number[] = [0.7, 0.85, 0.95];
/** Decay of the log-EWM baseline (fixed: it is a baseline). */
export const EWM_BASELINE_DECAY = 0.8;
/** Areas whose centroids are at most this far apart are neighbours, whatever their state. */
export const NEIGHBOUR_KM = 250;
const RIDGE = 1;

export interface Centroid {
  readonly lat: number;
  readonly lon: number;
}

/** Area × month counts, zeros included; columns from the first event's month. */
export interface ProbPanel {
  readonly start: number;
  readonly width: number;
  readonly areas: readonly string[];
  readonly states: readonly string[];
  readonly firstEvent: readonly number[];
  readonly fatalities: readonly Float64Array[];
  readonly incidents: readonly Float64Array[];
  /** `byType[k][a][t]`: events of UCDP type k + 1 (1 state-based, 2 non-state, 3 one-sided). */
  readonly byType: readonly (readonly Float64Array[])[];
  /** Indices of each area's neighbours. */
  readonly neighbours: readonly (readonly number[])[];
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

function monthOfInstant(iso: string, position: number): number {
  // Fast path for UTC instants and plain dates (what every caller passes): digits read in place, no Date, no regex.
  if (iso.length >= 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45 && (iso.length === 10 || iso.charCodeAt(iso.length - 1) === 90)) {
    const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
    const month = digit(iso, 5) * 10 + digit(iso, 6);
    if (month >= 1 && month <= 12 && year >= 0 && year <= 9999 && Number.isInteger(year)) return year * 12 + month - 1;
  }
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`event ${position}: dateStart is not an ISO date: ${JSON.stringify(iso)}`);
  return instant.getUTCFullYear() * 12 + instant.getUTCMonth();
}

/** Haversine distance in km. */
export function distanceKm(a: Centroid, b: Centroid): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Centroids keyed by `admin1Key(state, name)` for each name of each configured admin-1 area. */
export function centroidTable(areas: ReadonlyArray<{ state: string; names: readonly string[]; lat: number | null; lon: number | null }>): Map<string, Centroid> {
  const table = new Map<string, Centroid>();
  for (const area of areas) {
    if (area.lat === null || area.lon === null) continue;
    for (const name of area.names) table.set(admin1Key(area.state, name), { lat: area.lat, lon: area.lon });
  }
  return table;
}

/**
 * Builds the panel from events up to month `to` (inclusive; default the last event's month).
 * An area without a configured centroid is placed at the mean of its events' coordinates (if
 * they have any); an area with neither has no neighbours.
 */
export function buildProbPanel(events: readonly ForecastEvent[], options: { to?: Month; centroids?: ReadonlyMap<string, Centroid> } = {}): ProbPanel {
  const end = options.to === undefined ? Number.POSITIVE_INFINITY : monthIndex(options.to);
  const row = new Map<string, number>();
  const stateOf: string[] = [];
  const keys: string[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const months = new Int32Array(events.length);
  const rowOf = new Int32Array(events.length);
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i];
    if (!(e.fatalities >= 0) || e.fatalities === Number.POSITIVE_INFINITY) throw new RangeError(`event ${i}: fatalities must be a number ≥ 0, got ${e.fatalities}`);
    const m = monthOfInstant(e.dateStart, i);
    months[i] = m;
    if (m > end) continue;
    let r = row.get(e.admin1);
    if (r === undefined) {
      const colon = e.admin1.indexOf(':');
      if (colon <= 0) throw new RangeError(`event ${i}: admin1 must be a key from admin1Key ("STATE:name"), got ${JSON.stringify(e.admin1)}`);
      r = keys.length;
      row.set(e.admin1, r);
      keys.push(e.admin1);
      stateOf.push(e.admin1.slice(0, colon));
    }
    rowOf[i] = r;
    if (m < first) first = m;
    if (m > last) last = m;
  }
  if (keys.length === 0) return { start: 0, width: 0, areas: [], states: [], firstEvent: [], fatalities: [], incidents: [], byType: [[], [], []], neighbours: [] };
  const lastCol = Number.isFinite(end) ? end : last;
  const width = lastCol - first + 1;
  // Sorted area order, so that results do not depend on event order.
  const order = keys.map((k, i) => [k, i] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const position = new Int32Array(keys.length);
  order.forEach(([, i], p) => {
    position[i] = p;
  });
  const n = keys.length;
  const fatalities = Array.from({ length: n }, () => new Float64Array(width));
  const incidents = Array.from({ length: n }, () => new Float64Array(width));
  const byType = [0, 1, 2].map(() => Array.from({ length: n }, () => new Float64Array(width)));
  const firstEvent = new Array<number>(n).fill(width);
  const latSum = new Float64Array(n);
  const lonSum = new Float64Array(n);
  const located = new Float64Array(n);
  for (let i = 0; i < events.length; i += 1) {
    const m = months[i];
    if (m > end) continue;
    const e = events[i];
    const a = position[rowOf[i]];
    const t = m - first;
    fatalities[a][t] += e.fatalities;
    incidents[a][t] += e.count ?? 1;
    if (e.typeOfViolence !== undefined) byType[e.typeOfViolence - 1][a][t] += 1;
    if (t < firstEvent[a]) firstEvent[a] = t;
    if (e.latitude !== undefined && e.longitude !== undefined) {
      latSum[a] += e.latitude;
      lonSum[a] += e.longitude;
      located[a] += 1;
    }
  }
  const areas = order.map(([k]) => k);
  const states = order.map(([, i]) => stateOf[i]);
  const centroid = areas.map((k, a) => options.centroids?.get(k) ?? (located[a] > 0 ? { lat: latSum[a] / located[a], lon: lonSum[a] / located[a] } : null));
  const neighbours = areas.map((_, a) => {
    const own = centroid[a];
    if (!own) return [];
    return areas.flatMap((__, b) => {
      const other = centroid[b];
      return b !== a && other && distanceKm(own, other) <= NEIGHBOUR_KM ? [b] : [];
    });
  });
  return { start: first, width, areas, states, firstEvent, fatalities, incidents, byType, neighbours };
}

// ---------------------------------------------------------------------------------------------
// Features

export const FEATURE_NAMES = [
  'intercept', 'level', 'last month', 'neighbours level', 'state trend',
  'state-based events', 'non-state events', 'one-sided events', 'months since last event',
] as const;
const K = FEATURE_NAMES.length;

/**
 * Features of every area at every origin o = 0…width (o = width: the month after the panel),
 * from columns < o only. `features[a][o]` has `FEATURE_NAMES.length` values.
 */
export function featuresOf(panel: ProbPanel, target: Target, decay: number): Float64Array[][] {
  const { width } = panel;
  const n = panel.areas.length;
  const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
  const logs = series.map((s) => s.map((v) => Math.log1p(v)));
  const typeLogs = panel.byType.map((k) => k.map((s) => s.map((v) => Math.log1p(v))));
  const out = Array.from({ length: n }, () => new Array<Float64Array>(width + 1));
  const level = new Float64Array(n);
  const typeLevel = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const lastEvent = new Array<number>(n).fill(-1);
  let weights = 0;
  const stateNames = [...new Set(panel.states)];
  const stateIndex = panel.states.map((s) => stateNames.indexOf(s));
  for (let o = 0; o <= width; o += 1) {
    // State-wide trend: mean log over the state's known areas, last 3 months minus last 12.
    const recent = new Float64Array(stateNames.length);
    const year = new Float64Array(stateNames.length);
    const known = new Float64Array(stateNames.length);
    for (let a = 0; a < n; a += 1) {
      if (panel.firstEvent[a] >= o) continue;
      const s = stateIndex[a];
      known[s] += 1;
      let r = 0;
      let y = 0;
      let rn = 0;
      let yn = 0;
      for (let k = 1; k <= 12 && o - k >= 0; k += 1) {
        y += logs[a][o - k];
        yn += 1;
        if (k <= 3) {
          r += logs[a][o - k];
          rn += 1;
        }
      }
      recent[s] += rn ? r / rn : 0;
      year[s] += yn ? y / yn : 0;
    }
    const norm = (x: number) => (weights > 0 ? x / weights : 0);
    for (let a = 0; a < n; a += 1) {
      const f = new Float64Array(K);
      f[0] = 1;
      f[1] = norm(level[a]);
      f[2] = o > 0 ? logs[a][o - 1] : 0;
      let nb = 0;
      for (const b of panel.neighbours[a]) nb += norm(level[b]);
      f[3] = panel.neighbours[a].length ? nb / panel.neighbours[a].length : 0;
      const s = stateIndex[a];
      f[4] = known[s] ? (recent[s] - year[s]) / known[s] : 0;
      f[5] = norm(typeLevel[0][a]);
      f[6] = norm(typeLevel[1][a]);
      f[7] = norm(typeLevel[2][a]);
      f[8] = Math.log1p(lastEvent[a] < 0 ? 36 : Math.min(36, o - 1 - lastEvent[a]));
      out[a][o] = f;
    }
    if (o === width) break;
    for (let a = 0; a < n; a += 1) {
      level[a] = decay * level[a] + logs[a][o];
      for (let k = 0; k < 3; k += 1) typeLevel[k][a] = decay * typeLevel[k][a] + typeLogs[k][a][o];
      if (panel.incidents[a][o] > 0) lastEvent[a] = o;
    }
    weights = decay * weights + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fitting (ridge least squares and ridge logistic regression; the intercept is not penalised)

function solve(matrix: Float64Array, vector: Float64Array, k: number): Float64Array {
  // Gaussian elimination with partial pivoting on a small k × k system.
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(vector);
  for (let c = 0; c < k; c += 1) {
    let pivot = c;
    for (let r = c + 1; r < k; r += 1) if (Math.abs(a[r * k + c]) > Math.abs(a[pivot * k + c])) pivot = r;
    if (pivot !== c) {
      for (let j = 0; j < k; j += 1) [a[c * k + j], a[pivot * k + j]] = [a[pivot * k + j], a[c * k + j]];
      [b[c], b[pivot]] = [b[pivot], b[c]];
    }
    const d = a[c * k + c] || 1e-12;
    for (let r = c + 1; r < k; r += 1) {
      const factor = a[r * k + c] / d;
      if (factor === 0) continue;
      for (let j = c; j < k; j += 1) a[r * k + j] -= factor * a[c * k + j];
      b[r] -= factor * b[c];
    }
  }
  const x = new Float64Array(k);
  for (let r = k - 1; r >= 0; r -= 1) {
    let sum = b[r];
    for (let j = r + 1; j < k; j += 1) sum -= a[r * k + j] * x[j];
    x[r] = sum / (a[r * k + r] || 1e-12);
  }
  return x;
}

const dot = (w: Float64Array, x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < w.length; i += 1) s += w[i] * x[i];
  return s;
};

function leastSquares(xs: readonly Float64Array[], ys: readonly number[]): Float64Array {
  const m = new Float64Array(K * K);
  const v = new Float64Array(K);
  xs.forEach((x, r) => {
    for (let i = 0; i < K; i += 1) {
      v[i] += x[i] * ys[r];
      for (let j = i; j < K; j += 1) m[i * K + j] += x[i] * x[j];
    }
  });
  for (let i = 0; i < K; i += 1) for (let j = 0; j < i; j += 1) m[i * K + j] = m[j * K + i];
  for (let i = 1; i < K; i += 1) m[i * K + i] += RIDGE;
  return solve(m, v, K);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logLikelihood(xs: readonly Float64Array[], ys: readonly number[], w: Float64Array): number {
  let sum = 0;
  xs.forEach((x, r) => {
    const z = dot(w, x);
    // log σ(z) and log(1 − σ(z)), computed without overflow
    sum += ys[r] ? -Math.log1p(Math.exp(-Math.abs(z))) + Math.min(0, z) : -Math.log1p(Math.exp(-Math.abs(z))) - Math.max(0, z);
  });
  for (let i = 1; i < w.length; i += 1) sum -= (RIDGE / 2) * w[i] * w[i];
  return sum;
}

/** Ridge logistic regression by damped Newton steps (each step must raise the penalised likelihood). */
function logistic(xs: readonly Float64Array[], ys: readonly number[], start?: Float64Array): Float64Array {
  let w = new Float64Array(K);
  if (start) w = Float64Array.from(start);
  else {
    const share = ys.reduce((s, y) => s + y, 0) / Math.max(1, ys.length);
    w[0] = Math.log((share + 1e-3) / (1 - share + 1e-3));
  }
  let current = logLikelihood(xs, ys, w);
  for (let iteration = 0; iteration < 30; iteration += 1) {
    const h = new Float64Array(K * K);
    const g = new Float64Array(K);
    xs.forEach((x, r) => {
      const p = sigmoid(dot(w, x));
      const weight = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < K; i += 1) {
        g[i] += (ys[r] - p) * x[i];
        for (let j = i; j < K; j += 1) h[i * K + j] += weight * x[i] * x[j];
      }
    });
    for (let i = 0; i < K; i += 1) for (let j = 0; j < i; j += 1) h[i * K + j] = h[j * K + i];
    for (let i = 1; i < K; i += 1) {
      h[i * K + i] += RIDGE;
      g[i] -= RIDGE * w[i];
    }
    const step = solve(h, g, K);
    let scale = 1;
    let next = w;
    let value = current;
    for (let halving = 0; halving < 12; halving += 1) {
      const candidate = w.map((v, i) => v + scale * step[i]);
      const candidateValue = logLikelihood(xs, ys, candidate);
      if (candidateValue >= current) {
        next = candidate;
        value = candidateValue;
        break;
      }
      scale /= 2;
    }
    const gain = value - current;
    w = next;
    current = value;
    if (gain < 1e-7 * (1 + Math.abs(current))) break;
  }
  return w;
}

/** A fitted two-part model. */
export interface HurdleFit {
  readonly decay: number;
  /** Logistic coefficients of P(y > 0), in `FEATURE_NAMES` order. */
  readonly occurrence: Float64Array;
  /** Least-squares coefficients of log1p(y) given y > 0. */
  readonly size: Float64Array;
  /** Sorted residuals of the size part (log1p space). */
  readonly residuals: Float64Array;
  readonly rows: number;
}

/** Training rows: known areas at origin o, target column o + h − 1 in [firstTarget, lastTarget]. */
function rowsOf(panel: ProbPanel, target: Target, features: Float64Array[][], horizon: number, lastTarget: number, firstTarget = 1) {
  const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
  const xs: Float64Array[] = [];
  const ys: number[] = [];
  for (let a = 0; a < panel.areas.length; a += 1) {
    for (let t = Math.max(firstTarget, horizon); t <= lastTarget; t += 1) {
      const o = t - horizon + 1;
      if (panel.firstEvent[a] >= o) continue;
      xs.push(features[a][o]);
      ys.push(series[a][t]);
    }
  }
  return { xs, ys };
}

/** Months of targets the model is fitted on, before the origin: the last 10 years (older regimes differ). */
export const TRAINING_MONTHS = 120;

export function fitHurdle(panel: ProbPanel, target: Target, features: Float64Array[][], decay: number, horizon: number, lastTarget: number, start?: Float64Array): HurdleFit {
  const { xs, ys } = rowsOf(panel, target, features, horizon, lastTarget, Math.max(1, lastTarget - TRAINING_MONTHS + 1));
  const occurrence = logistic(xs, ys.map((y) => (y > 0 ? 1 : 0)), start);
  const px: Float64Array[] = [];
  const py: number[] = [];
  xs.forEach((x, i) => {
    if (ys[i] > 0) {
      px.push(x);
      py.push(Math.log1p(ys[i]));
    }
  });
  const size = leastSquares(px, py);
  const residuals = Float64Array.from(px.map((x, i) => py[i] - dot(size, x))).sort();
  return { decay, occurrence, size, residuals: residuals.length ? residuals : Float64Array.of(0), rows: xs.length };
}

/** The forecast distribution of the model for one feature vector: SAMPLES sorted quantiles. */
export function hurdleDistribution(fit: HurdleFit, x: Float64Array, samples = SAMPLES): Distribution {
  const p = sigmoid(dot(fit.occurrence, x));
  const mu = dot(fit.size, x);
  const r = fit.residuals;
  const out = new Array<number>(samples);
  for (let i = 0; i < samples; i += 1) {
    const u = (i + 0.5) / samples;
    if (u < 1 - p) {
      out[i] = 0;
      continue;
    }
    const q = (u - (1 - p)) / p;
    const h = q * (r.length - 1);
    const lo = Math.floor(h);
    const e = r[lo] + (h - lo) * (r[Math.min(r.length - 1, lo + 1)] - r[lo]);
    // Given y > 0, at least one: the floor keeps the two parts apart.
    out[i] = Math.max(1, Math.expm1(mu + e));
  }
  return out;
}

/** Mean squared log error of the model's point forecasts on targets [from, to]. */
function validationError(panel: ProbPanel, target: Target, features: Float64Array[][], fit: HurdleFit, horizon: number, from: number, to: number): number {
  const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
  let squared = 0;
  let n = 0;
  const meanResidual = mean(fit.residuals);
  for (let a = 0; a < panel.areas.length; a += 1) {
    for (let t = Math.max(from, horizon); t <= to; t += 1) {
      const o = t - horizon + 1;
      if (panel.firstEvent[a] >= o) continue;
      const x = features[a][o];
      const point = sigmoid(dot(fit.occurrence, x)) * (dot(fit.size, x) + meanResidual);
      squared += (point - Math.log1p(series[a][t])) ** 2;
      n += 1;
    }
  }
  return n ? squared / n : Number.POSITIVE_INFINITY;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length ? s / values.length : 0;
}

/** Below this many months before the origin, the decay is not chosen: the middle one is used. */
const MIN_NESTED_MONTHS = 36;
const NESTED_MONTHS = 12;

/**
 * The decay chosen at origin column `origin` (data < origin only): each candidate is fitted (horizon 1) on data
 * before the 12 months preceding the origin and scored on those 12 months; the best wins. Used for every horizon.
 */
export function chooseDecay(panel: ProbPanel, target: Target, featureSets: ReadonlyMap<number, Float64Array[][]>, origin: number, warm = new Map<string, Float64Array>()): number {
  const lastTarget = origin - 1;
  let decay = DECAYS[Math.floor(DECAYS.length / 2)];
  if (origin < MIN_NESTED_MONTHS) return decay;
  let best = Number.POSITIVE_INFINITY;
  for (const d of DECAYS) {
    const features = featureSets.get(d)!;
    const inner = fitHurdle(panel, target, features, d, 1, lastTarget - NESTED_MONTHS, warm.get(`inner ${d}`));
    warm.set(`inner ${d}`, inner.occurrence);
    const error = validationError(panel, target, features, inner, 1, lastTarget - NESTED_MONTHS + 1, lastTarget);
    if (error < best) {
      best = error;
      decay = d;
    }
  }
  return decay;
}

/** The model as it would have been fitted at origin column `origin` for `horizon`: data < origin only. */
export function fitAtOrigin(panel: ProbPanel, target: Target, featureSets: ReadonlyMap<number, Float64Array[][]>, origin: number, horizon: number, warm = new Map<string, Float64Array>(), decay = chooseDecay(panel, target, featureSets, origin, warm)): HurdleFit {
  const fit = fitHurdle(panel, target, featureSets.get(decay)!, decay, horizon, origin - 1, warm.get(`final ${horizon} ${decay}`));
  warm.set(`final ${horizon} ${decay}`, fit.occurrence);
  return fit;
}

export function featureSetsOf(panel: ProbPanel, target: Target): Map<number, Float64Array[][]> {
  return new Map(DECAYS.map((d) => [d, featuresOf(panel, target, d)]));
}

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
}

export interface RollingEvaluation {
  readonly target: Target;
  readonly horizon: number;
  readonly windows: WindowScores[];
  /** Decay chosen at each origin (month forecast for horizon 1). */
  readonly decays: Record<Month, number>;
}

/**
 * Rolling origin over every month of every window: the forecast of month m at horizon h is
 * made at origin m − h + 1 from events before that origin only, with the model refitted (and
 * its decay re-chosen) at each origin. Scored: every area with an event up to the last month
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
  const featureSets = featureSetsOf(panel, target);
  const accumulators = bounds.map(() => Object.fromEntries(FORECASTERS.map((f) => [f, new ScoreAccumulator()])) as Record<Forecaster, ScoreAccumulator>);
  const decays: Record<Month, number> = {};
  const warm = new Map<string, Float64Array>();
  const thresholds = RELIABILITY_THRESHOLDS[target];
  // tallies[window][threshold][band] = [n, sum of predicted, hits]
  const tallies = bounds.map(() => thresholds.map(() => BANDS.slice(1).map(() => [0, 0, 0])));
  for (let m = firstMonth; m <= lastMonth; m += 1) {
    const inWindows = bounds.flatMap((b, i) => (m >= b.from && m <= b.to ? [i] : []));
    if (inWindows.length === 0) continue;
    const t = m - panel.start;
    const origin = t - horizon + 1;
    const fit = fitAtOrigin(panel, target, featureSets, origin, horizon, warm);
    decays[monthOf(m)] = fit.decay;
    const features = featureSets.get(fit.decay)!;
    for (let a = 0; a < panel.areas.length; a += 1) {
      const actual = series[a][t];
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
    return { from: w.from, to: w.to, n: scores.model.n, scores, reliability };
  });
  return { target, horizon, windows, decays };
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
  readonly horizons: ReadonlyArray<{ readonly month: Month; readonly horizon: number; readonly target: Target; readonly decay: number; readonly areas: readonly AreaDistribution[] }>;
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
    const featureSets = featureSetsOf(panel, target);
    const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
    const thresholds = options.thresholds?.[target] ?? (target === 'fatalities' ? [1, 25, 100] : [1, 5, 10]);
    const warm = new Map<string, Float64Array>();
    const decay = chooseDecay(panel, target, featureSets, panel.width, warm);
    for (let h = 1; h <= count; h += 1) {
      const fit = fitAtOrigin(panel, target, featureSets, panel.width, h, warm, decay);
      const features = featureSets.get(fit.decay)!;
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
      horizons.push({ month: monthOf(o + h - 1), horizon: h, target, decay: fit.decay, areas });
    }
  }
  return { origin, horizons };
}
