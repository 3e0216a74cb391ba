// First: the first view's requests leave before the rest of the application is evaluated (its own chunk, which the
// page's head loads ahead of this one in the build; see vite.config.ts bootFirst).
import './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { SessionProvider } from './app/session';
import { initI18n } from './i18n';
import './styles.css';

// The language first (it sets the API's Accept-Language synchronously); the page renders once it is ready.
const i18nReady = initI18n();
// The first view's data and code were asked for by boot.ts (the page's first script), before this one arrived.
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
      <SessionProvider>
        <App />
      </SessionProvider>
    </StrictMode>,
  );
});
