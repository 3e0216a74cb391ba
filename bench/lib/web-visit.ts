/**
 * One page visit in Chromium, measured through DevTools: when the page's marks appeared, what crossed the network
 * (bytes as transferred, requests, the scripts before the first mark and how they were encoded) and how many round
 * trips deep its request chain was. Used by web-throttled.bench.ts.
 */
import type { CDPSession, Page } from 'playwright-core';

/** Marks a page reports (window.__vigie, set by MARKERS): the dashboard's charts and map, the map page's polygons, any page ready. */
export type Mark = 'charts' | 'map' | 'polygons' | 'page';

/**
 * Init script: records, inside the page, when the dashboard's charts are drawn and its map first reports data, when the map page has
 * drawn polygons and labels, and when a page is ready — the selector kept in sessionStorage (`vigie.bench.ready`)
 * is on screen and nothing in the page says it is still loading.
 */
export const MARKERS = `
  window.__vigie = {};
  const loading = () => [...document.querySelectorAll('main [role="status"]')].some((e) => /^(Chargement|Loading)…$/.test(e.textContent.trim()));
  new MutationObserver(() => {
    const v = window.__vigie;
    // The dashboard's figures are in and every chart is drawn (UPlotChart marks its box once uPlot, a chunk of its own, drew it).
    const dash = document.querySelector('[data-charts-ready="true"]');
    const charts = dash ? [...dash.querySelectorAll('.chart')] : [];
    if (!v.charts && charts.length && charts.every((c) => c.hasAttribute('data-ready'))) v.charts = performance.now();
    if (!v.map && document.querySelector('[data-map-ready="true"]')) v.map = performance.now();
    const drawn = document.querySelector('[data-rendered]')?.getAttribute('data-rendered') ?? '';
    if (!v.polygons && /choro-fill:[1-9]/.test(drawn) && /(places|admin1-labels):[1-9]/.test(drawn)) v.polygons = performance.now();
    const ready = sessionStorage.getItem('vigie.bench.ready');
    if (!v.page && ready && document.querySelector(ready) && !loading()) v.page = performance.now();
  // Every kind of change: Preact turns « Chargement… » into the content by editing the same element's text and
  // attributes (a characterData and an attribute change, no child added), which a narrower observer would miss.
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

export interface Visit {
  /** Seconds from navigation to each awaited mark. */
  marks: Partial<Record<Mark, number>>;
  /** Bytes transferred (headers and bodies as they crossed the link, compressed). */
  bytes: number;
  /** Of those, the bytes of the requests answered before the first mark. */
  bytesBeforeMark: number;
  /** Requests that went to the network (not the memory or disk cache, not the service worker). */
  requests: number;
  /** Depth of the request chain until the first mark: 1 + the deepest request that waited for another's answer. */
  roundTrips: number;
  /** Scripts fetched before the first mark, with the bytes transferred and the content encoding they came with. */
  scripts: { path: string; bytes: number; encoding: string }[];
}

interface Req { url: string; type: string; start: number; end?: number; bytes: number; local: boolean; encoding: string }

/** Opens `url` and waits for every mark in `wait`; `ready` is the selector of the `page` mark. */
export async function visit(page: Page, cdp: CDPSession, url: string, wait: Mark[], ready?: string): Promise<Visit> {
  const reqs = new Map<string, Req>();
  const onSent = (e: { requestId: string; request: { url: string }; type?: string; timestamp: number }) => {
    if (!e.request.url.startsWith('data:')) reqs.set(e.requestId, { url: e.request.url, type: e.type ?? '', start: e.timestamp, bytes: 0, local: false, encoding: '' });
  };
  const onResponse = (e: { requestId: string; response: { headers: Record<string, string>; fromDiskCache?: boolean; fromServiceWorker?: boolean; fromPrefetchCache?: boolean } }) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.encoding = h['content-encoding'] ?? 'identity';
    if (e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache) r.local = true;
  };
  const onCached = (e: { requestId: string }) => { const r = reqs.get(e.requestId); if (r) r.local = true; };
  const onDone = (e: { requestId: string; encodedDataLength: number; timestamp: number }) => {
    const r = reqs.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  };
  cdp.on('Network.requestWillBeSent', onSent);
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.requestServedFromCache', onCached);
  cdp.on('Network.loadingFinished', onDone);
  try {
    if (ready) await page.evaluate((s) => sessionStorage.setItem('vigie.bench.ready', s), ready);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction((want) => {
      const v = (window as unknown as { __vigie?: Record<string, number> }).__vigie;
      return !!v && want.every((m) => !!v[m]);
    }, wait, { timeout: 180_000, polling: 200 });
    const got = await page.evaluate(() => (window as unknown as { __vigie: Partial<Record<Mark, number>> }).__vigie);
    // Let the responses that finished with the mark report their sizes.
    await page.waitForTimeout(300);
    const firstMark = Math.min(...wait.map((m) => got[m] ?? Infinity)) / 1000;
    const all = [...reqs.values()];
    const origin = Math.min(...all.map((r) => r.start));
    const beforeMark = all.filter((r) => r.start - origin <= firstMark);
    const network = all.filter((r) => !r.local && r.end !== undefined);
    // VIGIE_BENCH_TRACE=1 prints each view's waterfall: when each request left and was answered, from where, and its size.
    if (process.env.VIGIE_BENCH_TRACE) {
      for (const r of [...all].sort((a, b) => a.start - b.start)) {
        const at = (t?: number) => (t === undefined ? '   …  ' : `${(t - origin).toFixed(2).padStart(6)}`);
        console.log(`    ${at(r.start)} → ${at(r.end)} ${r.local ? 'cache' : `${(r.bytes / 1000).toFixed(1).padStart(5)} KB`} ${r.type.padEnd(10)} ${new URL(r.url).pathname}${new URL(r.url).search}`);
      }
    }
    return {
      marks: Object.fromEntries(wait.map((m) => [m, (got[m] ?? Number.NaN) / 1000])),
      bytes: network.reduce((n, r) => n + r.bytes, 0),
      bytesBeforeMark: network.filter((r) => (r.end as number) - origin <= firstMark).reduce((n, r) => n + r.bytes, 0),
      requests: network.length,
      roundTrips: chainDepth(beforeMark.filter((r) => !r.local)),
      scripts: beforeMark.filter((r) => r.type === 'Script').map((r) => ({ path: new URL(r.url).pathname, bytes: r.local ? 0 : r.bytes, encoding: r.local ? 'cache' : r.encoding })),
    };
  } finally {
    cdp.off('Network.requestWillBeSent', onSent);
    cdp.off('Network.responseReceived', onResponse);
    cdp.off('Network.requestServedFromCache', onCached);
    cdp.off('Network.loadingFinished', onDone);
  }
}

/** Longest chain of requests where each started only after the previous one's answer had arrived. */
function chainDepth(reqs: Req[]): number {
  const sorted = [...reqs].sort((a, b) => a.start - b.start);
  const depth = new Map<Req, number>();
  for (const r of sorted) {
    const waited = sorted.filter((q) => q !== r && q.end !== undefined && q.end <= r.start).map((q) => depth.get(q) ?? 1);
    depth.set(r, 1 + Math.max(0, ...waited));
  }
  return Math.max(0, ...depth.values());
}
