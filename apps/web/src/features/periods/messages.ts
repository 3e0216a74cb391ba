import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the period comparison, French first (merged under `periods`). */
export const fr = {
  title: 'Comparer les périodes',
  to_dashboard: 'Tableau de bord',
  period: 'Période',
  kind: { week: 'Semaine', month: 'Mois', quarter: 'Trimestre', year: 'Année', custom: 'Dates choisies' },
  from: 'Du', to: 'Au',
  earlier: '◀ Précédente', later: 'Suivante ▶',
  complete: 'Période terminée : comparée en entier.',
  in_progress: 'En cours',
  elapsed_one: '{{count}} jour écoulé sur {{days}}.',
  elapsed_other: '{{count}} jours écoulés sur {{days}}.',
  like_for_like_one: 'Pour comparer à jours égaux, les autres périodes sont prises sur leur premier jour seulement.',
  like_for_like_other: 'Pour comparer à jours égaux, les autres périodes sont prises sur leurs {{count}} premiers jours.',
  vs_previous: 'contre {{name}} : {{value}}',
  vs_last_year: 'contre {{name}} : {{value}}',
  whole: 'période entière : {{value}}',
  open_list: 'Voir les incidents de la période',
  by_state: 'Par État',
  by_state_hint: 'Sous chaque chiffre : l’écart avec {{previous}}, puis avec {{last_year}}.',
  open_alerts: 'Alertes ouvertes',
  no_alerts: 'Aucune alerte ouverte.',
  latest: 'Derniers incidents de la période',
  none: 'Aucun incident validé sur la période.',
  toll: 'tués : {{n}}, dont civils : {{civilians}}',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('periods', fr);
