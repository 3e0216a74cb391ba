import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import { SessionProvider } from './app/session';
import { initI18n } from './i18n';
import { loadReference } from './api/reference';
import { prefetch } from './api/prefetch';
import { dashboardQueries } from './features/dashboard/queries';
import './styles.css';

initI18n();
// On a slow link, ask for the first view's data at once, in parallel with "who am I".
if (window.location.pathname === '/') {
  const q = dashboardQueries(new URLSearchParams(window.location.search));
  prefetch('aggregates', q.byMonth);
  prefetch('aggregates', q.byArea);
  prefetch('aggregates', q.byState);
  void loadReference().catch(() => undefined);
}
// The service worker (src/sw.ts) keeps the shell and the reference data for offline use; registered once the page has
// loaded so that it never competes with the first view on a slow link.
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => undefined));
}
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </StrictMode>,
  );
}
