/** Locale-aware formatting of numbers and dates (fr-FR / en-GB), in UTC as the data is stored. */
export type Lang = 'fr' | 'en';
const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');

export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
export function formatPercent(ratio: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}
/** French writes the first of the month as an ordinal: « 1er déc. 2026 », not « 1 déc. 2026 ». */
const firstOfMonth = (text: string, lang: Lang) => (lang === 'fr' ? text.replace(/^1 /, '1er ') : text);

export function formatDate(iso: string, lang: Lang): string {
  return firstOfMonth(new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso)), lang);
}
export function formatDateTime(iso: string, lang: Lang): string {
  return firstOfMonth(new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)), lang) + ' UTC';
}
/** A window [start, end) as the days it covers: « 30 nov. – 6 déc. 2026 » (the end is exclusive, as stored). */
export function formatWindow(start: string, end: string, lang: Lang): string {
  const last = new Date(Math.max(Date.parse(start), Date.parse(end) - 1));
  const fmt = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const text = fmt.formatRange(new Date(start), last);
  return lang === 'fr' ? text.replace(/(^|[^\d])1(?=[\s–])/gu, '$11er') : text;
}
/** A level such as 0.99 as « 99 % » / « 99% » (one decimal when needed: « 99,5 % »). */
export function formatLevel(ratio: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** A probability as a reader writes it: « 0,012 », or « 1,9 × 10⁻⁸ » when small (never « 1.9e-8 »). */
export function formatProbability(p: number, lang: Lang): string {
  if (p === 0) return formatNumber(0, lang);
  if (p >= 0.001) return new Intl.NumberFormat(locale(lang), { maximumSignificantDigits: 2 }).format(p);
  const exp = Math.floor(Math.log10(p));
  const mantissa = Number((p / 10 ** exp).toPrecision(2));
  const power = `10⁻${String(-exp).split('').map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
  return mantissa === 1 ? power : `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(mantissa)} × ${power}`;
}
/** "2025-03" → "mars 2025" / "Mar 2025". */
export function formatMonth(month: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}
