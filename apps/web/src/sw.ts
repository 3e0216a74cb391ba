/// <reference lib="webworker" />
/**
 * Vigie's service worker (vite-plugin-pwa, injectManifest). It keeps the application shell (the precache below,
 * filled in at build time) and the reference data (states, areas, actors, places) so that the incident form,
 * « Mes signalements » and the outbox open with no network. It does NOT send reports: the outbox does, from the page,
 * and removes a report only after the server confirmed it (features/outbox). No other API answer is stored here —
 * they carry classified content and a shared device has several users.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

const PRECACHE = self.__WB_MANIFEST;
cleanupOutdatedCaches();

/**
 * Workbox fills its precache one file at a time (workbox#2528): over a 600 ms round trip, some 70 files cost about
 * 40 s of round trips alone. The fingerprinted files (no revision: Workbox asks for them through the HTTP cache) are
 * asked for all at once first, so each of Workbox's own requests finds its answer there, or the answer in flight.
 * Registered before Workbox's listener so that these requests leave first.
 */
self.addEventListener('install', (event) => {
  const hashed = PRECACHE.flatMap((e) => (typeof e === 'string' ? [e] : e.revision ? [] : [e.url]));
  event.waitUntil(Promise.allSettled(hashed.map((url) => fetch(new URL(url, self.location.href), { credentials: 'same-origin' }))));
});
precacheAndRoute(PRECACHE);

// Every page of the single-page app is the shell; the API and the OGC API are never answered from it.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/ogc(\/|$)/] }));

/** Reference data: refreshed from the network whenever there is one (3 s), else the last copy. Same for every user. */
export const REFERENCE_CACHE = 'vigie-reference-v1';
const REFERENCE = /^\/api\/v1\/(reference|admin-areas(\.geojson)?|places)(\?|$)/;
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && REFERENCE.test(url.pathname + url.search),
  new NetworkFirst({ cacheName: REFERENCE_CACHE, networkTimeoutSeconds: 3 }),
);

// A new release takes over at once: its precache is complete before it activates, and the outbox lives in IndexedDB,
// not in the worker, so nothing in flight is lost.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
