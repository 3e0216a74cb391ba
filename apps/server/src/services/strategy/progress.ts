import type { StatusRating, Thresholds } from '@vigie/domain';

/**
 * Achievement against a target, as a share of the way from the baseline to the target (1 = target reached).
 * Without a baseline (or when the baseline equals the target): value / target for "higher is better",
 * target / value for "lower is better". Null when nothing can be said (no value or no target).
 */
export function achievement(o: { value: number | null; target: number | null; baseline: number | null; direction: 'increase' | 'decrease' | string }): number | null {
  const { value, target, baseline } = o;
  if (value === null || target === null) return null;
  const down = o.direction === 'decrease';
  if (baseline !== null && baseline !== target) {
    const a = (value - baseline) / (target - baseline);
    return round(a);
  }
  if (down) {
    if (value <= target) return 1;
    return value === 0 ? 1 : round(target / value);
  }
  if (value >= target) return round(target === 0 ? 1 : value / target);
  return target === 0 ? 1 : round(value / target);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The status an achievement earns under declared thresholds. */
export function statusOf(a: number | null, t: Thresholds): StatusRating | null {
  if (a === null) return null;
  if (a >= t.on_track) return 'on_track';
  if (a >= t.at_risk) return 'at_risk';
  return 'off_track';
}

/**
 * An objective's derived status: the mean of its indicators' achievements, each capped at 1 so that one indicator
 * far beyond its target does not hide another one off track, under the strategy's thresholds.
 */
export function objectiveAchievement(achievements: (number | null)[]): number | null {
  const known = achievements.filter((a): a is number => a !== null);
  if (!known.length) return null;
  return round(known.reduce((s, a) => s + Math.min(1, a), 0) / known.length);
}

/** The value of a ratio measure, or null when the denominator is zero. */
export const ratio = (num: number, den: number, scale: number): number | null => (den === 0 ? null : round((num / den) * scale));
