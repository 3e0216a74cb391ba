import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of "Mes signalements", French first. */
export const fr = {
  title: 'Mes signalements',
  intro: 'Les signalements que vous avez saisis, du plus récemment modifié au plus ancien.',
  none: 'Vous n’avez encore saisi aucun signalement.',
  col_date: 'Date des faits', col_place: 'Lieu', col_status: 'Statut', col_updated: 'Modifié le', col_reason: 'Motif du rejet',
  open: 'Ouvrir', more: 'Afficher les suivants',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('my_reports', fr);
