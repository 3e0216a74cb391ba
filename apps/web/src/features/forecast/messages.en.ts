import type { fr } from './messages';
import type { shell } from './shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
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
