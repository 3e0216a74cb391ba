import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import { SessionProvider } from './app/session';
import { initI18n } from './i18n';
import { loadReference } from './api/reference';
import { prefetch } from './api/prefetch';
import { dashboardQueries } from './features/dashboard/queries';
import { mapQueries } from './features/map/queries';
import { loadAreas } from './map/area-data';
import './styles.css';

// The language first (it sets the API's Accept-Language synchronously); the page renders once it is ready.
const i18nReady = initI18n();
// On a slow link, ask for the first view's data at once, in parallel with "who am I".
if (window.location.pathname === '/') {
  const q = dashboardQueries(new URLSearchParams(window.location.search));
  prefetch('aggregates', q.byMonth);
  prefetch('aggregates', q.byArea);
  prefetch('aggregates', q.byState);
  void loadReference().catch(() => undefined);
  // The charts' library is out of the first view's script, but the dashboard needs it: fetch it alongside the data.
  void import('./ui/charts/uplot-lib').catch(() => undefined);
}
// The map page's choropleth likewise: its areas and figures, and the light map's code, before the page mounts.
if (window.location.pathname === '/map') {
  const q = mapQueries(new URLSearchParams(window.location.search));
  if (q.layer === 'choropleth') {
    prefetch('aggregates', q.byArea);
    void loadAreas(q.level).catch(() => undefined);
  }
  void loadReference().catch(() => undefined);
  void import('./features/map/MapPage').catch(() => undefined);
}
// The service worker (src/sw.ts) keeps the shell and the reference data for offline use; registered once the page has
// loaded so that it never competes with the first view on a slow link.
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => undefined));
}
const root = document.getElementById('root');
// The data above is already on its way; the page renders once its language is ready (at once in French).
if (root) void i18nReady.then(() => {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </StrictMode>,
  );
});
