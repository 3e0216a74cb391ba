/**
 * French and English labels of the incident's coded fields that have no label list of their own elsewhere: source
 * kinds, classifications, sharing scopes and the two precision codes. Typed as complete records over the domain's
 * lists, so a new code without its labels is a type error (the OpenRosa form and the web read these).
 */
import type { Classification, SharingScope, SourceKind } from './classification.js';

export type Bilingual = { fr: string; en: string };

export const SOURCE_KIND_LABELS: Record<SourceKind, Bilingual> = {
  field_report: { fr: 'Rapport de terrain', en: 'Field report' },
  security_forces: { fr: 'Forces de défense et de sécurité', en: 'Security forces' },
  local_authority: { fr: 'Autorité locale', en: 'Local authority' },
  community: { fr: 'Communauté', en: 'Community' },
  media: { fr: 'Médias', en: 'Media' },
  ngo: { fr: 'ONG', en: 'NGO' },
  social_media: { fr: 'Réseaux sociaux', en: 'Social media' },
  other: { fr: 'Autre', en: 'Other' },
};

export const CLASSIFICATION_LABELS: Record<Classification, Bilingual> = {
  public: { fr: 'Public', en: 'Public' },
  restricted: { fr: 'Diffusion restreinte', en: 'Restricted' },
  confidential: { fr: 'Confidentiel', en: 'Confidential' },
  secret: { fr: 'Secret', en: 'Secret' },
};

export const SHARING_SCOPE_LABELS: Record<SharingScope, Bilingual> = {
  national: { fr: 'National (mon État seulement)', en: 'National (my state only)' },
  confederation: { fr: 'Confédération', en: 'Confederation' },
  public: { fr: 'Public', en: 'Public' },
};

export const TIME_PRECISION_LABELS: Record<1 | 2 | 3, Bilingual> = {
  1: { fr: 'Jour exact', en: 'Exact day' },
  2: { fr: 'À la semaine près', en: 'Within a week' },
  3: { fr: 'Au mois près', en: 'Within a month' },
};

export const GEO_PRECISION_LABELS: Record<1 | 2 | 3 | 4 | 5, Bilingual> = {
  1: { fr: 'Lieu exact', en: 'Exact place' },
  2: { fr: 'À moins de 25 km d’un lieu nommé', en: 'Within 25 km of a named place' },
  3: { fr: 'Cercle / province / département seulement', en: 'Second-level area only' },
  4: { fr: 'Région seulement', en: 'Region only' },
  5: { fr: 'Pays seulement', en: 'Country only' },
};
