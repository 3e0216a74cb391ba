/** Where the reader's language choice is kept. */
export const LANG_STORAGE_KEY = 'vigie.lang';

/** The reader's language: French first, whatever the browser says, unless English was chosen. */
export function initialLang(): 'fr' | 'en' {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LANG_STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'fr';
}
