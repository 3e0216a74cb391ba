/** What the application's shell shows of this feature before its pages load (its navigation entry), French first; bundled with the first view. */
export const shell = {
  nav: 'Coordination',
};
