import { EVENT_TYPES } from '@vigie/domain/taxonomy';
import { foldText } from '@vigie/domain/text';

export interface SubTypeGroup {
  type: string;
  label: string;
  options: { slug: string; label: string }[];
}

/**
 * The sub-types the form offers, alphabetically within each type in the reader's language: those of the chosen type,
 * or — when the reader searches — every sub-type whose name or type's name contains the words typed, accents ignored.
 */
export function subTypeGroups(lang: 'fr' | 'en', eventType: string, search: string): SubTypeGroup[] {
  const words = foldText(search).split(' ').filter(Boolean);
  return EVENT_TYPES
    .filter((et) => words.length > 0 || et.slug === eventType)
    .map((et) => ({
      type: et.slug,
      label: et.label[lang],
      options: et.subTypes
        .filter((s) => words.every((w) => foldText(`${s.label[lang]} ${et.label[lang]}`).includes(w)))
        .map((s) => ({ slug: s.slug, label: s.label[lang] }))
        .sort((a, b) => a.label.localeCompare(b.label, lang)),
    }))
    .filter((g) => g.options.length > 0);
}
