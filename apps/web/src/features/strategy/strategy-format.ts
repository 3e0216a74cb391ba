import { periodBounds, periodLabel, periodsBetween } from '@vigie/domain/period';
import { formatNumber, type Lang } from '../../i18n/format';
import type { Indicator, Rating, Strategy, StrategyTree } from './types';

/** Quarters of a strategy's validity up to today, newest first (the periods one can look at). */
export function quartersOf(s: Pick<Strategy, 'valid_from' | 'valid_to'>, today = new Date().toISOString().slice(0, 10)): string[] {
  const last = s.valid_to < today ? s.valid_to : today;
  if (last < s.valid_from) return periodsBetween(s.valid_from, s.valid_from, 'quarter');
  return periodsBetween(s.valid_from, last, 'quarter').reverse();
}

export const periodText = (p: string, lang: Lang): string => periodLabel(p, lang);

/** A value in its unit: counts (people, incidents, operations) are whole numbers, never "0,8 civils tués". */
export function valueText(v: number | null, unit: string, lang: Lang): string {
  if (v === null) return '—';
  const n = formatNumber(v, lang, unit === 'count' || Number.isInteger(v) ? 0 : unit === 'ratio' ? 2 : 1);
  return unit === 'percent' ? `${n} %` : n;
}

/** Achievement as a percentage; below zero (the value moved away from the target) it reads "0 % (recul)", never "-129 %". */
export const achievementText = (a: number | null, lang: Lang, setback = ''): string =>
  (a === null ? '—' : a < 0 ? `0 %${setback ? ` (${setback})` : ''}` : `${formatNumber(Math.round(a * 100), lang)} %`);

/** True while a period is not over at `today` (its figures are partial: marked, and left out of trends). */
export const isPartialPeriod = (p: string, today = new Date().toISOString().slice(0, 10)): boolean => periodBounds(p).end > today;

/** A confederation cell built from only some states' values: shown with its coverage and not rated. */
export const incompleteCoverage = (c: { coverage?: { reported: number; expected: number } }): boolean => !!c.coverage && c.coverage.reported < c.coverage.expected;

/** CSS class of a rating badge. */
export const ratingClass = (r: Rating | null): string => `badge rating-${r ?? 'none'}`;

/** Indicators of a strategy tree by id (values carry only their indicator's id). */
export const indicatorsById = (tree: Pick<StrategyTree, 'axes'> | undefined): Map<string, Indicator> =>
  new Map((tree?.axes ?? []).flatMap((a) => a.objectives.flatMap((o) => o.indicators.map((i) => [i.id, i] as const))));

/** "CODE — name" of an indicator in the reader's language; the id itself when the indicator is unknown. */
export function indicatorText(id: string, byId: Map<string, Pick<Indicator, 'code' | 'name_fr' | 'name_en'>>, lang: Lang): string {
  const i = byId.get(id);
  if (!i) return id;
  const name = lang === 'en' ? i.name_en || i.name_fr : i.name_fr;
  return name ? `${i.code} — ${name}` : i.code;
}
