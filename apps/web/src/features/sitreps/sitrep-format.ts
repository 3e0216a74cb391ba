/** Pure helpers of the situation report pages. */
import { addDays, isoWeekOf } from '@vigie/domain/compare-period';
import type { SitrepHead } from '@vigie/domain/sitrep.schema';
import type { TFunction } from 'i18next';
import { formatDate, formatMonth, type Lang } from '../../i18n/format';
import './messages';

/** The ISO week ('YYYY-Www') before the one holding `now`: the last full week, the default of the form. */
export const lastFullWeek = (now: Date): string => isoWeekOf(addDays(now.toISOString().slice(0, 10), -7));

/** The month before the one holding `now` ('YYYY-MM'). */
export function lastFullMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The week number of a report's period ('2026-W48' → 48). */
export const weekNumber = (r: Pick<SitrepHead, 'period'>): number => Number(r.period.slice(6));

/** A report's period as readers say it: « Semaine 48 (23 nov. – 29 nov. 2026) », « novembre 2026 ». */
export const sitrepPeriodLabel = (r: Pick<SitrepHead, 'kind' | 'period' | 'from' | 'to'>, t: TFunction, lang: Lang): string => (r.kind === 'week'
  ? t('sitreps.week', { week: weekNumber(r), from: formatDate(r.from, lang), to: formatDate(r.to, lang) })
  : t('sitreps.month', { month: formatMonth(r.period, lang) }));
