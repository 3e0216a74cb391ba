import type { BoundaryFrame } from './geography.schema.js';

const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

/** A calendar day (YYYY-MM-DD) as written in running text: « 1er juillet 2025 », "1 July 2025". */
export function calendarDayText(day: string, lang: 'fr' | 'en'): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const month = MONTHS[lang][m - 1] ?? String(m);
  return lang === 'fr' ? `${d === 1 ? '1er' : d} ${month} ${y}` : `${d} ${month} ${y}`;
}

/**
 * One boundary set with its validity: « Mali — découpage du 1er juillet 2025, en vigueur depuis le 1er juillet 2025 ».
 * A set without a start date is named alone, unless `explicit` (printed reports say « en vigueur, sans date de début »).
 */
export function boundarySetText(s: BoundaryFrame['sets'][number], lang: 'fr' | 'en', explicit = false): string {
  const name = lang === 'fr' ? s.name_fr : s.name_en;
  if (s.valid_from) return lang === 'fr' ? `${name}, en vigueur depuis le ${calendarDayText(s.valid_from, 'fr')}` : `${name}, in force since ${calendarDayText(s.valid_from, 'en')}`;
  if (!explicit) return name;
  return lang === 'fr' ? `${name}, en vigueur sans date de début` : `${name}, in force with no start date`;
}

/** The sets of a figure, one after the other (« · » between them). */
export const boundaryFrameText = (frame: BoundaryFrame, lang: 'fr' | 'en', explicit = false): string =>
  frame.sets.map((s) => boundarySetText(s, lang, explicit)).join(' · ');
