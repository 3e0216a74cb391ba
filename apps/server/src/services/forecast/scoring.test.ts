import { describe, expect, it } from 'vitest';
import { binOf, crps, distribution, exceedance, ignorance, interval, logMeanPoint, pitCoverage, quantile, scoreDistributions } from './scoring.js';

describe('CRPS from samples', () => {
  it('is the absolute error for a point forecast', () => {
    expect(crps([3], 5)).toBeCloseTo(2, 12);
    expect(crps([7], 7)).toBe(0);
  });

  it('matches hand-computed values: E|X−y| − ½E|X−X′|', () => {
    // {0, 10}, y = 4: E|X−y| = 5, E|X−X′| = (0 + 10 + 10 + 0)/4 = 5 → 5 − 2.5
    expect(crps(distribution([10, 0]), 4)).toBeCloseTo(2.5, 12);
    // {1, 2, 3}, y = 2: E|X−y| = 2/3, E|X−X′| = 8/9 → 2/3 − 4/9 = 2/9
    expect(crps(distribution([3, 1, 2]), 2)).toBeCloseTo(2 / 9, 12);
  });

  it('rewards a sharp, right forecast over a vague one, and a vague one over a sharp, wrong one', () => {
    const sharpRight = distribution([9, 10, 11]);
    const vague = distribution([0, 5, 10, 15, 20]);
    const sharpWrong = distribution([29, 30, 31]);
    expect(crps(sharpRight, 10)).toBeLessThan(crps(vague, 10));
    expect(crps(vague, 10)).toBeLessThan(crps(sharpWrong, 10));
  });

  it('approaches the closed form for a uniform distribution on [0, 1] (CRPS at y = 0 is 1/3)', () => {
    const samples = Array.from({ length: 1001 }, (_, i) => i / 1000);
    expect(crps(samples, 0)).toBeCloseTo(1 / 3, 3);
  });
});

describe('ignorance score over VIEWS bins', () => {
  it('bins whole deaths as 0 | 1–2 | 3–5 | 6–10 | 11–25 | 26–50 | 51–100 | 101–250 | 251–500 | 501–1000 | >1000', () => {
    expect([0, 0.4, 1, 2, 3, 5, 6, 10, 11, 25, 26, 50, 51, 100, 101, 250, 251, 500, 501, 1000, 1001, 5000].map(binOf))
      .toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10]);
  });

  it('is −log2 of the smoothed share of samples in the outcome bin', () => {
    // point forecast 0, outcome 0: p = (1 + 1/11) / 2 = 6/11
    expect(ignorance([0], 0)).toBeCloseTo(-Math.log2(6 / 11), 12);
    // point forecast 0, outcome 30: p = (0 + 1/11) / 2 = 1/22 → log2(22) bits, finite
    expect(ignorance([0], 30)).toBeCloseTo(Math.log2(22), 12);
    // 3 of 4 samples in the 11–25 bin: p = (3 + 1/11) / 5
    expect(ignorance(distribution([12, 20, 25, 60]), 14)).toBeCloseTo(-Math.log2((3 + 1 / 11) / 5), 12);
  });
});

describe('intervals, coverage and width', () => {
  const x = distribution([40, 0, 20, 10, 30]);

  it('takes type-7 quantiles (linear between order statistics)', () => {
    expect(quantile(x, 0.05)).toBeCloseTo(2, 12);
    expect(quantile(x, 0.5)).toBe(20);
    expect(quantile(x, 0.95)).toBeCloseTo(38, 12);
    expect(interval(x, 0.5)).toEqual({ lower: 10, upper: 30 });
  });

  it('counts an outcome on the bound as covered, one beyond it as not, and averages the widths', () => {
    const scores = scoreDistributions([x, x, x, x], [38, 39, 10, 31]);
    expect(scores.coverage90).toBeCloseTo(3 / 4, 12);
    expect(scores.coverage50).toBeCloseTo(1 / 4, 12);
    expect(scores.width90).toBeCloseTo(36, 12);
    expect(scores.width50).toBeCloseTo(20, 12);
  });

  it('gives the probability of reaching a threshold as the share of samples at or above it', () => {
    expect(exceedance(x, 25)).toBeCloseTo(2 / 5, 12);
    expect(exceedance(x, 0)).toBe(1);
  });
});

describe('point scores of a distribution', () => {
  it('uses expm1(mean log1p) as the point: {0, 8} → 2', () => {
    expect(logMeanPoint([0, 8])).toBeCloseTo(2, 12);
  });

  it('computes RMSLE and MAE by hand', () => {
    const scores = scoreDistributions([[Math.E - 1], [3]], [0, 3]);
    // log errors 1 and 0 → sqrt(1/2); absolute errors e − 1 and 0
    expect(scores.rmsle).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(scores.mae).toBeCloseTo((Math.E - 1) / 2, 12);
    expect(scores.crps).toBeCloseTo((Math.E - 1) / 2, 12);
  });

  it('refuses empty or mismatched input', () => {
    expect(() => distribution([])).toThrow(RangeError);
    expect(() => distribution([-1])).toThrow(RangeError);
    expect(() => scoreDistributions([[1]], [])).toThrow(RangeError);
  });
});

describe('count-aware (PIT) coverage', () => {
  // A forecast of counts that is exactly right: 60 % zeros, then 1, 2, … 10 with 4 % each (200 equally spaced quantiles).
  const truth = (u: number) => (u < 0.6 ? 0 : 1 + Math.floor((u - 0.6) / 0.04));
  const exact = distribution(Array.from({ length: 200 }, (_, i) => truth((i + 0.5) / 200)));
  const outcomes = Array.from({ length: 1000 }, (_, i) => truth((i + 0.5) / 1000));

  it('gives a calibrated forecast of mostly-zero counts 90 % and 50 %, where bounds-inside coverage says 96 % and 76 %', () => {
    const scores = scoreDistributions(outcomes.map(() => exact), outcomes);
    expect(scores.pitCoverage90).toBeCloseTo(0.9, 2);
    expect(scores.pitCoverage50).toBeCloseTo(0.5, 2);
    expect(scores.coverage90).toBeCloseTo(0.96, 2);
    expect(scores.coverage50).toBeCloseTo(0.76, 2);
  });

  it('is lower for a forecast too sharp and higher for one too wide', () => {
    const tooSharp = distribution(Array.from({ length: 200 }, (_, i) => Math.min(2, truth((i + 0.5) / 200))));
    const tooWide = distribution(Array.from({ length: 200 }, (_, i) => 3 * truth((i + 0.5) / 200)));
    const mean = (x: readonly number[]) => outcomes.reduce((sum, y) => sum + pitCoverage(x, y, 0.9), 0) / outcomes.length;
    expect(mean(tooSharp)).toBeLessThan(0.85);
    expect(mean(tooWide)).toBeGreaterThan(0.95);
  });

  it("shares an outcome's mass between inside and outside the interval", () => {
    // 10 samples: four 0s, six 5s; outcome 0 spans PIT [0, 0.4]: inside [0.05, 0.95] for 0.35 of 0.4.
    const x = distribution([0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
    expect(pitCoverage(x, 0, 0.9)).toBeCloseTo(0.35 / 0.4, 12);
    expect(pitCoverage(x, 5, 0.9)).toBeCloseTo(0.55 / 0.6, 12);
    expect(pitCoverage(x, 3, 0.9)).toBe(1);
    expect(pitCoverage(x, 9, 0.9)).toBe(0);
  });
});
