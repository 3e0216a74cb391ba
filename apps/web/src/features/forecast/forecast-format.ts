import { formatNumber, type Lang } from '../../i18n/format';
import type { AreaForecast, Quantiles } from './types';

/** A probability as a whole percentage, never "0 %" or "100 %" for what is only unlikely or likely. */
export function probabilityText(p: number, lang: Lang): string {
  if (p <= 0) return '< 1 %';
  if (p >= 1) return '> 99 %';
  const pct = Math.min(99, Math.max(1, Math.round(p * 100)));
  return `${formatNumber(pct, lang)} %`;
}

/** The 90 % interval, "3 – 45". */
export function intervalText(q: Quantiles, lang: Lang): string {
  const n = (x: number) => formatNumber(Math.round(x), lang);
  return `${n(q.q05)} – ${n(q.q95)}`;
}

/** Areas sorted by the probability of reaching `threshold` deaths, highest first, then by median. */
export function byRisk(areas: readonly AreaForecast[], threshold: number): AreaForecast[] {
  const p = (a: AreaForecast) => a.fatalities_exceedance[String(threshold)] ?? 0;
  return [...areas].sort((a, b) => p(b) - p(a) || b.fatalities_quantiles.q50 - a.fatalities_quantiles.q50 || a.admin1_code.localeCompare(b.admin1_code));
}

/** The threshold shown by default: the deployment's first threshold above 1 (a surge), else its first. */
export function defaultThreshold(thresholds: readonly number[]): number {
  return thresholds.find((x) => x > 1) ?? thresholds[0] ?? 25;
}
