import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the briefing, French first. */
export const fr = {
  title: 'Synthèse du jour',
  generated: 'Établie le {{date}}',
  alerts: 'Alertes ouvertes pour mon État',
  alerts_conf: 'Alertes non encore prises en compte',
  no_alerts: 'Aucune alerte ouverte.',
  awaiting: 'à prendre en compte',
  acknowledged: 'prise en compte',
  actions: 'Actions en retard des décisions communes',
  no_actions: 'Aucune action en retard.',
  due: 'échéance le {{date}}',
  owner: 'Responsable : {{owner}}',
  decision: 'Décision {{code}}',
  evaluation: 'Dernier rapport d’évaluation',
  no_evaluation: 'Aucun rapport d’évaluation finalisé.',
  open_report: 'Lire le rapport {{period}}',
  week: 'La semaine en chiffres',
  week_period: 'Du {{from}} au {{to}}, comparé aux 7 jours précédents',
  vs_last: 'semaine précédente : {{value}}',
  open_dashboard: 'Voir le tableau de bord',
  compare_link: 'Comparer avec les semaines, mois et années précédents',
  open_list: 'Voir les incidents de la semaine',
  all_alerts: 'Toutes les alertes',
  all_actions: 'Suivi des décisions',
  severity: { low: 'faible', medium: 'moyenne', high: 'élevée', critical: 'critique' },
  sitrep: 'Dernier rapport de situation',
  no_sitrep: 'Aucun rapport de situation.',
  open_sitrep: 'Lire le rapport {{period}}',
  all_sitreps: 'Tous les rapports de situation',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('briefing', fr);
