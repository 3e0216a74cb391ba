/**
 * The first script the page runs, a few kilobytes on its own: it asks for the first view's data and code while the
 * application's scripts (React layer, router, i18n, pages) are still downloading. On a 256 kbit/s link with a 600 ms
 * round trip, the data's round trip and the server's work then overlap the script download instead of following it.
 * main.tsx takes the answers through prefetchedOr(); the same modules are shared, so nothing is asked twice.
 */
import { setApiLanguage } from './api/client';
import { getAggregates, getAuthMe } from './api/generated';
import { prefetch } from './api/prefetch';
import { loadReference } from './api/reference';
import { dashboardQueries } from './features/dashboard/queries';
import { mapQueries } from './features/map/queries';
import { initialLang } from './i18n/initial-lang';
import { loadAreas } from './map/area-data';

// The answers' language (Accept-Language) before the first request; main.tsx's initI18n() sets the same.
setApiLanguage(initialLang());
const path = window.location.pathname;
if (path === '/' || path === '/map') prefetch(getAuthMe, {});
if (path === '/') {
  const q = dashboardQueries(new URLSearchParams(window.location.search));
  prefetch(getAggregates, { query: q.byMonth });
  prefetch(getAggregates, { query: q.byArea });
  prefetch(getAggregates, { query: q.byState });
  void loadReference().catch(() => undefined);
  // The charts' library is out of the application's script, but the dashboard needs it: fetched alongside.
  void import('./ui/charts/uplot-lib').catch(() => undefined);
}
// The map page's choropleth likewise: its areas and figures, and the light map's code.
if (path === '/map') {
  const q = mapQueries(new URLSearchParams(window.location.search));
  if (q.layer === 'choropleth') {
    prefetch(getAggregates, { query: q.byArea });
    void loadAreas(q.level).catch(() => undefined);
    // The light map that draws them: otherwise asked only once the page's code has arrived, a round trip later.
    void import('./map/svg/SvgAreaMap').catch(() => undefined);
  }
  void loadReference().catch(() => undefined);
  void import('./features/map/MapPage').catch(() => undefined);
}
