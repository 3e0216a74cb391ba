/** The two-part (hurdle) model: ridge least squares and ridge logistic regression, its fit at an origin and its predictive distribution. */
import { distribution, type Distribution } from './scoring.js';
import { K, PENALTIES, type ProbPanel, SAMPLES, type Target } from './panel.js';

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

function leastSquares(xs: readonly Float64Array[], ys: readonly number[], penalty: number): Float64Array {
  const m = new Float64Array(K * K);
  const v = new Float64Array(K);
  xs.forEach((x, r) => {
    for (let i = 0; i < K; i += 1) {
      v[i] += x[i] * ys[r];
      for (let j = i; j < K; j += 1) m[i * K + j] += x[i] * x[j];
    }
  });
  for (let i = 0; i < K; i += 1) for (let j = 0; j < i; j += 1) m[i * K + j] = m[j * K + i];
  for (let i = 1; i < K; i += 1) m[i * K + i] += penalty;
  return solve(m, v, K);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logLikelihood(xs: readonly Float64Array[], ys: readonly number[], w: Float64Array, penalty: number): number {
  let sum = 0;
  xs.forEach((x, r) => {
    const z = dot(w, x);
    // log σ(z) and log(1 − σ(z)), computed without overflow
    sum += ys[r] ? -Math.log1p(Math.exp(-Math.abs(z))) + Math.min(0, z) : -Math.log1p(Math.exp(-Math.abs(z))) - Math.max(0, z);
  });
  for (let i = 1; i < w.length; i += 1) sum -= (penalty / 2) * w[i] * w[i];
  return sum;
}

/** Ridge logistic regression by damped Newton steps (each step must raise the penalised likelihood). */
function logistic(xs: readonly Float64Array[], ys: readonly number[], penalty: number, start?: Float64Array): Float64Array {
  let w = new Float64Array(K);
  if (start) w = Float64Array.from(start);
  else {
    const share = ys.reduce((s, y) => s + y, 0) / Math.max(1, ys.length);
    w[0] = Math.log((share + 1e-3) / (1 - share + 1e-3));
  }
  let current = logLikelihood(xs, ys, w, penalty);
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
      h[i * K + i] += penalty;
      g[i] -= penalty * w[i];
    }
    const step = solve(h, g, K);
    let scale = 1;
    let next = w;
    let value = current;
    for (let halving = 0; halving < 12; halving += 1) {
      const candidate = w.map((v, i) => v + scale * step[i]);
      const candidateValue = logLikelihood(xs, ys, candidate, penalty);
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
  /** Ridge penalty of both parts (chosen at the origin on data before it). */
  readonly penalty: number;
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

export function fitHurdle(panel: ProbPanel, target: Target, features: Float64Array[][], penalty: number, horizon: number, lastTarget: number, start?: Float64Array): HurdleFit {
  const { xs, ys } = rowsOf(panel, target, features, horizon, lastTarget, Math.max(1, lastTarget - TRAINING_MONTHS + 1));
  const occurrence = logistic(xs, ys.map((y) => (y > 0 ? 1 : 0)), penalty, start);
  const px: Float64Array[] = [];
  const py: number[] = [];
  xs.forEach((x, i) => {
    if (ys[i] > 0) {
      px.push(x);
      py.push(Math.log1p(ys[i]));
    }
  });
  const size = leastSquares(px, py, penalty);
  const residuals = Float64Array.from(px.map((x, i) => py[i] - dot(size, x))).sort();
  return { penalty, occurrence, size, residuals: residuals.length ? residuals : Float64Array.of(0), rows: xs.length };
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

/** Below this many months before the origin, the penalty is not chosen: the middle one is used. */
const MIN_NESTED_MONTHS = 60;
export const NESTED_MONTHS = 36;

/**
 * The ridge penalty chosen at origin column `origin` (data < origin only): each candidate is fitted (horizon 1) on
 * data before the `NESTED_MONTHS` months preceding the origin and scored on those months; the best wins. Used for every horizon.
 */
export function choosePenalty(panel: ProbPanel, target: Target, features: Float64Array[][], origin: number, warm = new Map<string, Float64Array>()): number {
  const lastTarget = origin - 1;
  let penalty = PENALTIES[Math.floor(PENALTIES.length / 2)];
  if (origin < MIN_NESTED_MONTHS) return penalty;
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of PENALTIES) {
    const inner = fitHurdle(panel, target, features, candidate, 1, lastTarget - NESTED_MONTHS, warm.get(`inner ${candidate}`));
    warm.set(`inner ${candidate}`, inner.occurrence);
    const error = validationError(panel, target, features, inner, 1, lastTarget - NESTED_MONTHS + 1, lastTarget);
    if (error < best) {
      best = error;
      penalty = candidate;
    }
  }
  return penalty;
}

/** The model as it would have been fitted at origin column `origin` for `horizon`: data < origin only. */
export function fitAtOrigin(panel: ProbPanel, target: Target, features: Float64Array[][], origin: number, horizon: number, warm = new Map<string, Float64Array>(), penalty = choosePenalty(panel, target, features, origin, warm)): HurdleFit {
  const fit = fitHurdle(panel, target, features, penalty, horizon, origin - 1, warm.get(`final ${horizon} ${penalty}`));
  warm.set(`final ${horizon} ${penalty}`, fit.occurrence);
  return fit;
}
