/** Strings of the forecast feature, French first. */
export const fr = {
  nav: 'Prévisions',
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

export const en: typeof fr = {
  nav: 'Forecasts',
  title: 'Forecasts by region',
  intro: 'Forecast distribution of fatalities and incidents for the next three months, computed only from the validated incidents you may read. Method and evaluation: docs/forecast.md.',
  month: 'Month',
  threshold: 'Threshold',
  area: 'Region',
  state: 'State',
  probability: 'Probability of at least {{n}} deaths',
  median: 'Median',
  interval: '90 % interval',
  incidents: 'Incidents (median, 90 %)',
  last_month: 'Previous month',
  sentence: 'Probability of more than {{n}} deaths in {{month}}: {{p}} (between {{low}} and {{high}} deaths 9 times out of 10)',
  none: 'Not enough validated incidents for a forecast yet.',
};
