import i18next from 'i18next';

/** The features' page strings in French, by feature id, as their modules arrived. */
const french = new Map<string, Record<string, unknown>>();

/**
 * A feature's page strings join the French catalogue under its id. Called by the feature's messages.ts when it is
 * evaluated, which happens only because a module that shows these strings imports it: a page's chunk brings its
 * strings, so no page renders before them and the first view carries none it does not show (issue 18).
 */
export function registerFeatureStrings(id: string, fr: Record<string, unknown>): void {
  french.set(id, { ...french.get(id), ...fr });
  // Before initI18n() there is no store yet: initI18n() takes them from featureFrench().
  if (i18next.store) i18next.addResourceBundle('fr', 'translation', { [id]: fr }, true, false);
}

/** The French page strings registered so far, by feature id. */
export function featureFrench(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(french);
}
