import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the forecast feature, French first. */
export const fr = {
  title: 'Prévisions par région',
  intro: 'Distribution prévue des victimes et des incidents pour les trois prochains mois, calculée uniquement à partir des incidents validés que vous pouvez consulter. Méthode et évaluation : docs/forecast.md.',
  month: 'Mois',
  threshold: 'Seuil',
  area: 'Région',
  state: 'État',
  probability: 'Probabilité d’au moins {{n}} morts',
  median: 'Médiane',
  interval: 'Intervalle à 90 %',
  incidents: 'Incidents (médiane, 90 %)',
  last_month: 'Mois précédent',
  sentence: 'Probabilité de plus de {{n}} morts en {{month}} : {{p}} (entre {{low}} et {{high}} morts dans 9 cas sur 10)',
  none: 'Pas encore assez d’incidents validés pour une prévision.',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('forecast', fr);
