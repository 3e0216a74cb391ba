import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the situation reports, French first. */
export const fr = {
  title: 'Rapports de situation',
  intro: 'Rapports hebdomadaires et mensuels établis pour un destinataire et un niveau de classification, figés à leur date : chacun montre les mêmes chiffres à tous ses lecteurs.',
  search: 'Rechercher',
  search_words: 'Mots du rapport',
  search_period: 'Période (2026-W48 ou 2026-11)',
  audience_field: 'Destinataire',
  any: 'Tous',
  none: 'Aucun rapport de situation.',
  count_one: '{{count}} rapport',
  count_other: '{{count}} rapports',
  week: 'Semaine {{week}} ({{from}} – {{to}})',
  month: '{{month}}',
  for: 'Pour {{audience}}, jusqu’à « {{ceiling}} »',
  as_of: 'données arrêtées le {{date}}',
  weekly: 'hebdomadaire',
  monthly: 'mensuel',
  generate: 'Générer un rapport',
  generate_button: 'Générer',
  generating: 'Génération en cours…',
  kind_field: 'Type',
  period_field: 'Période',
  ceiling_field: 'Niveau maximal',
  open: 'Ouvrir',
  back: 'Tous les rapports de situation',
  pdf: 'PDF ({{lang}})',
  html: 'Page imprimable ({{lang}})',
  frozen: 'Ce rapport est figé : ses chiffres sont ceux de son destinataire à la date indiquée, quel que soit le lecteur.',
  report_frame: 'Rapport de situation {{period}}',
  lang_fr: 'français',
  lang_en: 'anglais',
  by: 'demandé par {{login}}',
  by_schedule: 'généré automatiquement',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('sitreps', fr);
