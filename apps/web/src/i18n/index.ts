import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { setApiLanguage } from '../api/client';
import type { Catalogue } from './fr';
import { fr } from './fr';
import { featureFrench } from './feature-strings';
import { initialLang, LANG_STORAGE_KEY } from './initial-lang';

export type Lang = 'fr' | 'en';
/** The English catalogue is a chunk of its own: a French reader's first view never downloads it. */
let english: Promise<Catalogue> | undefined;
/** The features' English strings, by feature id (registered by the app before initI18n; chunks of their own too). */
let featureEnglish: () => Promise<Record<string, unknown>> = async () => ({});
export function registerFeatureEnglish(load: () => Promise<Record<string, unknown>>): void {
  featureEnglish = load;
}
const loadEnglish = (): Promise<Catalogue> =>
  (english ??= Promise.all([import('./en'), featureEnglish()]).then(([m, features]) => {
    // A feature's strings join the core catalogue's under the same id (as the French ones are merged).
    const merged: Record<string, unknown> = { ...m.en };
    for (const [id, strings] of Object.entries(features)) merged[id] = { ...(merged[id] as object | undefined), ...(strings as object) };
    return merged as Catalogue;
  }));

/**
 * Starts i18next with French, the default, bundled; English is fetched first when the reader chose it (so an English
 * page never shows French while it loads). Resolves once the page can render in the reader's language.
 */
export async function initI18n(): Promise<typeof i18next> {
  const lng = initialLang();
  // At once: the requests the boot sends while English loads must already ask for English answers.
  document.documentElement.lang = lng;
  setApiLanguage(lng);
  const english = lng === 'en' ? await loadEnglish() : undefined;
  // The features' page strings whose modules are already here (a page the boot script fetched early); the others join
  // as their modules arrive (feature-strings.ts). Read right before init(), which creates the store they then go to.
  const french: Record<string, unknown> = { ...fr };
  for (const [id, strings] of Object.entries(featureFrench())) french[id] = { ...(french[id] as object | undefined), ...strings };
  const resources: Record<string, { translation: Catalogue }> = { fr: { translation: french as Catalogue } };
  if (english) resources.en = { translation: english };
  await i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export async function changeLanguage(lang: Lang): Promise<void> {
  // The choice is kept at once (a navigation right after the click keeps it), then English is fetched if needed.
  localStorage.setItem(LANG_STORAGE_KEY, lang);
  setApiLanguage(lang);
  // Deep merge, no overwrite: the features' English strings are already there.
  if (lang === 'en') i18next.addResourceBundle('en', 'translation', await loadEnglish(), true, false);
  document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}

/** The current language as 'fr' | 'en', with the translation function. */
export function useLang(): { lang: Lang; t: ReturnType<typeof useTranslation>['t'] } {
  const { t, i18n } = useTranslation();
  return { lang: i18n.language === 'en' ? 'en' : 'fr', t };
}
