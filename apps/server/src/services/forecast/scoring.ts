/**
 * Scores of probabilistic forecasts, as the forecasting community computes them (the VIEWS
 * prediction challenge is the reference): CRPS, the ignorance score over fatality bins,
 * interval coverage and width, and the point scores RMSLE and MAE.
 *
 * A predictive distribution is a list of samples (equally weighted draws, or equally spaced
 * quantiles — the formulas are the same). A point forecast is the degenerate distribution
 * with one sample. Pure functions; docs/forecast.md states the definitions.
 */

/** A predictive distribution: samples, sorted ascending (use `distribution()` to build one). */
export type Distribution = readonly number[];

/** Sorted copy of the samples; rejects empty lists and non-finite or negative values. */
export function distribution(samples: readonly number[]): Distribution {
  if (samples.length === 0) throw new RangeError('a distribution needs at least one sample');
  for (const s of samples) if (!Number.isFinite(s) || s < 0) throw new RangeError(`samples must be finite numbers ≥ 0, got ${s}`);
  return [...samples].sort((a, b) => a - b);
}

/**
 * Continuous ranked probability score of sorted samples `x` for outcome `y`:
 * CRPS = E|X − y| − ½·E|X − X′|, with the exact pairwise term for sorted samples,
 * E|X − X′| = (2 / n²)·Σ (2i − n − 1)·x_i (i = 1…n). Zero for a perfect point forecast;
 * for a point forecast it is the absolute error. In the unit of `y` (fatalities).
 */
export function crps(x: Distribution, y: number): number {
  const n = x.length;
  let absolute = 0;
  let pairwise = 0;
  for (let i = 0; i < n; i += 1) {
    absolute += Math.abs(x[i] - y);
    pairwise += (2 * (i + 1) - n - 1) * x[i];
  }
  return absolute / n - pairwise / (n * n);
}

/**
 * VIEWS-style fatality bins for the ignorance score: {0}, 1–2, 3–5, 6–10, 11–25, 26–50,
 * 51–100, 101–250, 251–500, 501–1000, > 1000. A bin holds values v with lower ≤ v < upper,
 * after rounding v to the nearest whole death.
 */
export const IGNORANCE_BINS: readonly number[] = [0, 1, 3, 6, 11, 26, 51, 101, 251, 501, 1001];

export function binOf(value: number): number {
  const v = Math.round(value);
  let bin = 0;
  for (let b = 1; b < IGNORANCE_BINS.length; b += 1) if (v >= IGNORANCE_BINS[b]) bin = b;
  return bin;
}

/**
 * Ignorance score, −log2 of the probability the forecast gave to the outcome's bin. The
 * bin probabilities are the sample shares, smoothed so that no bin is impossible:
 * p = (k + 1 / B) / (n + 1), k samples of n in the bin, B bins (a point forecast that misses
 * its bin thus costs log2(2B) ≈ 4.46 bits, not infinity). Lower is better.
 */
export function ignorance(x: Distribution, y: number): number {
  const bins = IGNORANCE_BINS.length;
  const target = binOf(y);
  let k = 0;
  for (const v of x) if (binOf(v) === target) k += 1;
  return -Math.log2((k + 1 / bins) / (x.length + 1));
}

/**
 * Quantile of sorted samples at level `p` (0…1), linear interpolation between order
 * statistics (type 7, the default of R and NumPy).
 */
export function quantile(x: Distribution, p: number): number {
  if (x.length === 1) return x[0];
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(x.length - 1, lo + 1);
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}

/** Central interval at `level` (e.g. 0.9: quantiles 0.05 and 0.95). */
export function interval(x: Distribution, level: number): { lower: number; upper: number } {
  const tail = (1 - level) / 2;
  return { lower: quantile(x, tail), upper: quantile(x, 1 - tail) };
}

/**
 * Count-aware coverage of the central interval at `level` for a whole-number outcome `y`: the chance that the
 * randomized probability integral transform (Czado, Gneiting & Held 2009, "Predictive model assessment for count
 * data") falls inside [tail, 1 − tail]. The forecast's mass at `y` (samples rounding to `y`) spans the PIT values
 * [F(y − 1), F(y)]; the share of that span inside the interval is returned. A calibrated forecast of counts scores
 * `level` on average, where "bounds count as inside" reaches 1 − tail for every outcome with a mass above the tail
 * (an interval starting at 0 holds every zero month).
 */
export function pitCoverage(x: Distribution, y: number, level: number): number {
  const tail = (1 - level) / 2;
  const target = Math.round(y);
  let below = 0;
  let at = 0;
  for (const v of x) {
    const r = Math.round(v);
    if (r < target) below += 1;
    else if (r === target) at += 1;
  }
  const lo = below / x.length;
  const hi = (below + at) / x.length;
  if (hi === lo) return lo >= tail && lo <= 1 - tail ? 1 : 0;
  return Math.max(0, Math.min(hi, 1 - tail) - Math.max(lo, tail)) / (hi - lo);
}

/** Share of the samples ≥ threshold: the forecast probability of reaching it. */
export function exceedance(x: Distribution, threshold: number): number {
  let k = 0;
  for (const v of x) if (v >= threshold) k += 1;
  return k / x.length;
}

/**
 * The point of a distribution that RMSLE rewards: expm1 of the mean of log1p(samples)
 * (the value minimising the expected squared log error).
 */
export function logMeanPoint(x: Distribution): number {
  let sum = 0;
  for (const v of x) sum += Math.log1p(v);
  return Math.expm1(sum / x.length);
}

/** The scores of one forecaster over many outcomes. */
export interface Scores {
  readonly n: number;
  /** sqrt(mean((log1p(point) − log1p(actual))²)), point = `logMeanPoint`. */
  readonly rmsle: number;
  /** mean |point − actual|, point = `logMeanPoint`, in fatalities. */
  readonly mae: number;
  /** Mean CRPS, in fatalities (VIEWS' scale). */
  readonly crps: number;
  /** Mean CRPS of the log1p-transformed samples and outcome (less dominated by massacres). */
  readonly crpsLog: number;
  /** Mean ignorance score, bits. */
  readonly ignorance: number;
  /** Share of outcomes inside the central 50 % interval (bounds included). */
  readonly coverage50: number;
  /** Share of outcomes inside the central 90 % interval (bounds included). */
  readonly coverage90: number;
  /** Count-aware coverage of the 50 % interval (`pitCoverage`): 0.5 for a calibrated forecast. */
  readonly pitCoverage50: number;
  /** Count-aware coverage of the 90 % interval (`pitCoverage`): 0.9 for a calibrated forecast. */
  readonly pitCoverage90: number;
  /** Mean width of the 50 % interval, fatalities. */
  readonly width50: number;
  /** Mean width of the 90 % interval, fatalities. */
  readonly width90: number;
}

/** Accumulates scores one outcome at a time, so a long evaluation never holds every sample list. */
export class ScoreAccumulator {
  private n = 0;
  private squaredLog = 0;
  private absolute = 0;
  private crpsSum = 0;
  private crpsLogSum = 0;
  private ignoranceSum = 0;
  private in50 = 0;
  private in90 = 0;
  private pit50 = 0;
  private pit90 = 0;
  private width50Sum = 0;
  private width90Sum = 0;

  add(x: Distribution, y: number): void {
    if (x.length === 0) throw new RangeError('a distribution needs at least one sample');
    const point = logMeanPoint(x);
    this.n += 1;
    this.squaredLog += (Math.log1p(point) - Math.log1p(y)) ** 2;
    this.absolute += Math.abs(point - y);
    this.crpsSum += crps(x, y);
    this.crpsLogSum += crps(x.map((v) => Math.log1p(v)), Math.log1p(y));
    this.ignoranceSum += ignorance(x, y);
    const i50 = interval(x, 0.5);
    const i90 = interval(x, 0.9);
    if (y >= i50.lower && y <= i50.upper) this.in50 += 1;
    if (y >= i90.lower && y <= i90.upper) this.in90 += 1;
    this.pit50 += pitCoverage(x, y, 0.5);
    this.pit90 += pitCoverage(x, y, 0.9);
    this.width50Sum += i50.upper - i50.lower;
    this.width90Sum += i90.upper - i90.lower;
  }

  result(): Scores {
    if (this.n === 0) throw new RangeError('no outcome scored');
    const n = this.n;
    return {
      n,
      rmsle: Math.sqrt(this.squaredLog / n),
      mae: this.absolute / n,
      crps: this.crpsSum / n,
      crpsLog: this.crpsLogSum / n,
      ignorance: this.ignoranceSum / n,
      coverage50: this.in50 / n,
      coverage90: this.in90 / n,
      pitCoverage50: this.pit50 / n,
      pitCoverage90: this.pit90 / n,
      width50: this.width50Sum / n,
      width90: this.width90Sum / n,
    };
  }
}

/** Scores of a list of forecasts against their outcomes. */
export function scoreDistributions(forecasts: readonly Distribution[], actual: readonly number[]): Scores {
  if (forecasts.length !== actual.length || actual.length === 0) {
    throw new RangeError(`scoreDistributions needs two equal, non-empty lists (got ${forecasts.length} and ${actual.length})`);
  }
  const acc = new ScoreAccumulator();
  forecasts.forEach((x, i) => acc.add(x, actual[i]));
  return acc.result();
}
