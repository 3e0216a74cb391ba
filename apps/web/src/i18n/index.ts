import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { setApiLanguage } from '../api/client';
import { en } from './en';
import { fr } from './fr';

export type Lang = 'fr' | 'en';
const STORAGE_KEY = 'vigie.lang';

function initialLang(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'fr'; // French first, whatever the browser says
}

/** Starts i18next with both catalogues bundled (they are small) and French as the default. */
export function initI18n(): typeof i18next {
  const lng = initialLang();
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  setApiLanguage(lng);
  return i18next;
}

export async function changeLanguage(lang: Lang): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  setApiLanguage(lang);
  await i18next.changeLanguage(lang);
}

/** The current language as 'fr' | 'en', with the translation function. */
export function useLang(): { lang: Lang; t: ReturnType<typeof useTranslation>['t'] } {
  const { t, i18n } = useTranslation();
  return { lang: i18n.language === 'en' ? 'en' : 'fr', t };
}
