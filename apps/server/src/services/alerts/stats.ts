/**
 * Count distributions for the alert rules: an area's expected level from its own recent history (EWMA), and
 * how improbable an observed count is under a Poisson or, when the history is over-dispersed, a negative
 * binomial with the same mean. Pure functions.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] ?? 0;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** A count distribution: Poisson(mean), or negative binomial with the same mean and `size` r (variance μ + μ²/r). */
export interface CountModel {
  readonly mean: number;
  /** null: Poisson. */
  readonly size: number | null;
}

/** ln P(X = k). */
export function logPmf(m: CountModel, k: number): number {
  const mu = Math.max(m.mean, 1e-12);
  if (m.size === null) return k * Math.log(mu) - mu - lnGamma(k + 1);
  const r = m.size;
  return lnGamma(k + r) - lnGamma(r) - lnGamma(k + 1) + r * Math.log(r / (r + mu)) + k * Math.log(mu / (r + mu));
}

/** P(X ≥ x), accurate in the far tail (summed upward from x when x is above the mean). */
export function upperTail(m: CountModel, x: number): number {
  if (x <= 0) return 1;
  if (x > m.mean) {
    let sum = 0;
    for (let k = x; k < x + 100_000; k++) {
      const term = Math.exp(logPmf(m, k));
      sum += term;
      if (term < sum * 1e-15 && k > m.mean * 2) break;
    }
    return Math.min(1, sum);
  }
  let cdf = 0;
  for (let k = 0; k < x; k++) cdf += Math.exp(logPmf(m, k));
  return Math.max(0, 1 - cdf);
}

/** Smallest k with P(X ≤ k) ≥ q. */
export function quantile(m: CountModel, q: number): number {
  let cdf = 0;
  for (let k = 0; k < 1_000_000; k++) {
    cdf += Math.exp(logPmf(m, k));
    if (cdf >= q) return k;
  }
  return 1_000_000;
}

/** Exponentially weighted mean and variance of a series (oldest first): weight (1 − alpha)^age. */
export function ewma(values: readonly number[], alpha: number): { mean: number; variance: number } {
  let w = 1;
  let sw = 0;
  let sx = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    sw += w;
    sx += w * (values[i] ?? 0);
    w *= 1 - alpha;
  }
  const mean = sw > 0 ? sx / sw : 0;
  w = 1;
  let sv = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    sv += w * ((values[i] ?? 0) - mean) ** 2;
    w *= 1 - alpha;
  }
  return { mean, variance: sw > 0 ? sv / sw : 0 };
}

/**
 * The baseline model of a series: EWMA mean (floored at `minMean`, so a quiet area still has a finite surprise),
 * negative binomial when the weighted variance exceeds the mean (method of moments), else Poisson.
 */
export function baselineModel(values: readonly number[], alpha: number, minMean: number): CountModel {
  const { mean, variance } = ewma(values, alpha);
  const mu = Math.max(mean, minMean);
  if (variance > mu * 1.05 && mean > 0) return { mean: mu, size: Math.max(0.05, (mu * mu) / (variance - mu)) };
  return { mean: mu, size: null };
}
