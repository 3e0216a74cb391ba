/**
 * The first script the page runs, a few kilobytes on its own: it asks for the first view's data and code while the
 * application's scripts (React layer, router, i18n, pages) are still downloading. On a 256 kbit/s link with a 600 ms
 * round trip, the data's round trip and the server's work then overlap the script download instead of following it.
 * main.tsx takes the answers through prefetchedOr(); the same modules are shared, so nothing is asked twice.
 */
import { setApiLanguage } from './api/client';
import { getAggregates, getAggregatesGrid, getAuthMe, getIncidents, getIncidentsId, getIncidentsIdAttachments, getIncidentsIdHistory, getIncidentsIdPlacement } from './api/generated';
import { prefetch } from './api/prefetch';
import { loadReference } from './api/reference';
import { dashboardQueries } from './features/dashboard/queries';
import { filtersFromSearch, filtersToQuery } from './features/incidents/filters';
import { mapQueries } from './features/map/queries';
import { initialLang } from './i18n/initial-lang';
import { loadAreas } from './map/area-data';

// The answers' language (Accept-Language) before the first request; main.tsx's initI18n() sets the same.
setApiLanguage(initialLang());
const path = window.location.pathname;
/** An incident's own page (`/incidents/<id>`), not the form (`/incidents/new`, `/incidents/<id>/edit`). */
const incidentId = /^\/incidents\/([0-9a-f-]{36})$/.exec(path)?.[1];
if (path === '/' || path === '/map' || path === '/incidents' || incidentId) prefetch(getAuthMe, {});
if (path === '/') {
  const q = dashboardQueries(new URLSearchParams(window.location.search));
  prefetch(getAggregates, { query: q.byMonth });
  prefetch(getAggregates, { query: q.byArea });
  prefetch(getAggregates, { query: q.byState });
  // The dashboard's small map (a few kilobytes): asked with the rest, so that a returning visitor's map does not wait a round trip more.
  prefetch(getAggregatesGrid, { query: q.grid });
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
// The incident list and an incident: their data with "who am I" rather than after it, a round trip less on every visit.
// Not their code: a dynamic import here makes every module those pages share with the application's script a chunk of
// its own (measured: six more first-view requests, which HTTP/1.1's six connections then queue behind).
if (path === '/incidents') {
  prefetch(getIncidents, { query: filtersToQuery(filtersFromSearch(window.location.search)) });
  void loadReference().catch(() => undefined);
}
if (incidentId) {
  prefetch(getIncidentsId, { id: incidentId });
  prefetch(getIncidentsIdHistory, { id: incidentId });
  prefetch(getIncidentsIdPlacement, { id: incidentId });
  prefetch(getIncidentsIdAttachments, { id: incidentId });
  void loadReference().catch(() => undefined);
}
