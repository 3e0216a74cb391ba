/** Pure helpers of the period comparison: signed changes as a French reader writes them, and period names. */
import { addDays, figureChange, type ComparePeriod } from '@vigie/domain/compare-period';
import type { Lang } from '../../i18n/format';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
/** Typography's minus sign (U+2212), not the hyphen Intl writes. */
const minus = (s: string) => s.replace(/^-/, '\u2212');

/** « +12 », « −3 », « 0 ». */
export function formatSigned(n: number, lang: Lang): string {
  return minus(new Intl.NumberFormat(locale(lang), { signDisplay: 'exceptZero', maximumFractionDigits: 0 }).format(n));
}

/** « +12 % », « −3 % » (« +12% » in English); rounded to the unit. */
export function formatSignedPercent(ratio: number, lang: Lang): string {
  // French puts a narrow no-break space before %; engines differ (U+00A0 or U+202F): always U+202F.
  return minus(new Intl.NumberFormat(locale(lang), { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 0 }).format(ratio)).replace(/\s%/u, '\u202f%');
}

export type Direction = 'up' | 'down' | 'same';

/** A change as shown: the difference, the per cent when there is a base, and its direction. */
export function changeText(current: number, base: number, lang: Lang): { text: string; direction: Direction } {
  const c = figureChange(current, base);
  const direction: Direction = c.delta > 0 ? 'up' : c.delta < 0 ? 'down' : 'same';
  const text = c.ratio === null || c.delta === 0 ? formatSigned(c.delta, lang) : `${formatSigned(c.delta, lang)} (${formatSignedPercent(c.ratio, lang)})`;
  return { text, direction };
}

const QUARTER = { fr: 'T', en: 'Q' } as const;

/** The days of a span: « 16 – 22 nov. 2026 ». */
export function spanDays(from: string, to: string, lang: Lang): string {
  const fmt = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const text = from === to ? fmt.format(new Date(from)) : fmt.formatRange(new Date(from), new Date(to));
  return lang === 'fr' ? text.replace(/(^|[^\d])1(?=[\s–])/gu, '$11er') : text;
}

/** A period's name: « semaine 47 de 2026 », « novembre 2026 », « T4 2026 », « 2026 », or its days for a custom one. */
export function periodName(period: ComparePeriod, key: string, from: string, to: string, lang: Lang): string {
  if (period === 'week') return lang === 'fr' ? `semaine ${Number(key.slice(6))} de ${key.slice(0, 4)}` : `week ${Number(key.slice(6))} of ${key.slice(0, 4)}`;
  if (period === 'month' && !/^\d{4}-\d{2}$/.test(key)) return key;
  if (period === 'month') return new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`));
  if (period === 'quarter') return `${QUARTER[lang]}${key.slice(6)} ${key.slice(0, 4)}`;
  if (period === 'year') return key;
  return spanDays(from, to, lang);
}

/** The anchor one period before or after (by the day just outside the period). */
export function shiftAnchor(period: Exclude<ComparePeriod, 'custom'>, from: string, to: string, step: -1 | 1, keyOf: (day: string) => string): string {
  return keyOf(step < 0 ? addDays(from, -1) : addDays(to, 1));
}
