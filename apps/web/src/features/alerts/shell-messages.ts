/** What the application's shell shows of this feature before its pages load (its navigation entry, its header item), French first; bundled with the first view. */
export const shell = {
  nav: 'Alertes',
  badge_one: '{{count}} alerte en attente',
  badge_other: '{{count}} alertes en attente',
};
