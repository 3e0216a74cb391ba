/** What the application's shell shows of this feature before its pages load (its navigation entry, its header item), French first; bundled with the first view. */
export const shell = {
  nav: 'Notifications',
  bell_one: '{{count}} notification non lue',
  bell_other: '{{count}} notifications non lues',
  bell_none: 'Notifications (aucune non lue)',
};
