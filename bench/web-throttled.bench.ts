/**
 * The web app over a remote post's link: Debian's Chromium with DevTools network throttling (256 kbit/s down and
 * up, 600 ms round trip), a database of 100,000 incidents, signed in, opening the dashboard. Measures the time until
 * the charts show data and until the map shows data, the bytes transferred and the first view's JS (gzip), on a
 * cold cache and again on a warm one (app shell cached). Then the map page's choropleth as a first view (cold cache,
 * then warm): the time until its polygons and labels are drawn, and its bytes. On this link the page shows the light
 * SVG map first (the browser reports a slow link); the detailed MapLibre map (vector tiles, fonts) is measured too,
 * as information. The baseline of each figure is its goal, so ratio ≤ 1 meets it.
 *
 *   npm run bench -- --only web-throttled [--size 100000] [--engine sqlite|postgres]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { buildApp } from '../apps/server/src/http/app.js';
import { generateDemoIncidents } from '../apps/server/src/services/demo/demo-data.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { ensureWebBuild } from '../e2e/support/web-build.js';
import { benchArgs } from './lib/args.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';

const LINK = { latency: 600, downloadThroughput: 256_000 / 8, uploadThroughput: 256_000 / 8 };
const GOALS = { coldCharts: 15, warmCharts: 3, firstViewJsKb: 250 };
/** What the link carries in the cold goal's 15 s: the byte budget of a cold first view. */
const COLD_BYTE_BUDGET_KB = (LINK.downloadThroughput * GOALS.coldCharts) / 1000;

const argv = process.argv.slice(2);
const args = benchArgs(argv);
const size = argv.some((a) => a.startsWith('--size')) ? args.size : 100_000;
const engine: EngineKind = args.engines?.[0] ?? 'sqlite';

interface Visit {
  chartsS: number;
  mapS: number;
  /** The map page: polygons and labels drawn. */
  polygonsS: number;
  bytes: number;
  requests: number;
  /** Scripts fetched before the charts showed data. */
  firstViewScripts: string[];
}

/** Records, inside the page, when the dashboard's charts and map first report data. */
const MARKERS = `
  window.__vigie = {};
  new MutationObserver(() => {
    const v = window.__vigie;
    if (!v.charts && document.querySelector('[data-charts-ready="true"]')) v.charts = performance.now();
    if (!v.map && document.querySelector('[data-map-ready="true"]')) v.map = performance.now();
    const drawn = document.querySelector('[data-rendered]')?.getAttribute('data-rendered') ?? '';
    if (!v.polygons && /choro-fill:[1-9]/.test(drawn) && /(places|admin1-labels):[1-9]/.test(drawn)) v.polygons = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-charts-ready', 'data-map-ready', 'data-rendered'] });
`;

type Mark = 'charts' | 'map' | 'polygons';

async function visit(page: Page, cdp: CDPSession, url: string, wait: Mark[] = ['charts', 'map']): Promise<Visit> {
  const sizes = new Map<string, number>();
  const urls = new Map<string, { url: string; type: string; start: number }>();
  const onSent = (e: { requestId: string; request: { url: string }; type?: string; timestamp: number }) => urls.set(e.requestId, { url: e.request.url, type: e.type ?? '', start: e.timestamp });
  const onDone = (e: { requestId: string; encodedDataLength: number }) => sizes.set(e.requestId, e.encodedDataLength);
  cdp.on('Network.requestWillBeSent', onSent);
  cdp.on('Network.loadingFinished', onDone);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((want) => {
    const v = (window as unknown as { __vigie?: Record<string, number> }).__vigie;
    return !!v && want.every((m) => !!v[m]);
  }, wait, { timeout: 180_000, polling: 200 });
  const marks = await page.evaluate(() => (window as unknown as { __vigie: { charts?: number; map?: number; polygons?: number } }).__vigie);
  const firstMark = Math.min(...wait.map((m) => marks[m] ?? Infinity));
  const navStart = await page.evaluate(() => performance.timeOrigin);
  cdp.off('Network.requestWillBeSent', onSent);
  cdp.off('Network.loadingFinished', onDone);
  // CDP timestamps are monotonic seconds; compare scripts' start with the charts mark through the first request.
  const first = Math.min(...[...urls.values()].map((u) => u.start));
  const firstViewScripts = [...urls.entries()]
    .filter(([, u]) => u.type === 'Script' && (u.start - first) * 1000 <= firstMark)
    .map(([, u]) => new URL(u.url).pathname);
  void navStart;
  return {
    chartsS: (marks.charts ?? NaN) / 1000,
    mapS: (marks.map ?? NaN) / 1000,
    polygonsS: (marks.polygons ?? NaN) / 1000,
    bytes: [...sizes.values()].reduce((a, b) => a + b, 0),
    requests: sizes.size,
    firstViewScripts: [...new Set(firstViewScripts)],
  };
}

/** Gzip size of the built scripts (the server sends the precompressed .gz to a browser on plain HTTP). */
function gzipKb(webRoot: string, scripts: string[]): number {
  return scripts.reduce((sum, p) => {
    const file = path.join(webRoot, p);
    const gz = `${file}.gz`;
    return sum + (fs.existsSync(gz) ? fs.statSync(gz).size : fs.existsSync(file) ? fs.statSync(file).size : 0);
  }, 0) / 1000;
}

async function main(): Promise<void> {
  // Always a fresh build of the sources as they are: the figures describe this tree, not an older dist.
  const webRoot = ensureWebBuild({ force: true });
  const vigie = await testVigie(engine);
  const ctx = vigie.ctx;
  console.log(`generating ${size.toLocaleString('en-US')} demo incidents on ${engine}…`);
  const t0 = Date.now();
  const demo = generateDemoIncidents(ctx.reference, { count: size, years: 3, endDate: new Date(), seed: 20261129 });
  for (let i = 0; i < demo.length; i += 2000) {
    const slice = demo.slice(i, i + 2000);
    const r = await importIncidents(ctx, SYSTEM, slice.map((d) => ({ input: d.input, options: { reportingState: d.reportingState, status: d.status } })));
    if (r.rejected.length) console.warn(`${r.rejected.length} rejected in batch ${i}`);
    if ((i / 2000) % 10 === 0) process.stdout.write(`  ${i + slice.length}\r`);
  }
  console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const user = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'bench.web' });

  const app = await buildApp(ctx, { webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(MARKERS);
    // Sign in on a fast link (the session cookie is what a returning user has), then cut the link down.
    const login = await browser.context.request.post(`${base}/api/v1/auth/login`, { data: { login: user.login, password: user.password } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });

    const cold = await visit(page, cdp, `${base}/`);
    const warm = await visit(page, cdp, `${base}/`);
    // The map page as the first thing opened on a cold cache, then again.
    await cdp.send('Network.clearBrowserCache');
    const mapUrl = `${base}/map?layer=choropleth&measure=incidents`;
    const mapCold = await visit(page, cdp, mapUrl, ['polygons']);
    const mapWarm = await visit(page, cdp, mapUrl, ['polygons']);
    // The detailed map (MapLibre, vector tiles, fonts), which the slow link gets on request: informative figures.
    await cdp.send('Network.clearBrowserCache');
    const detailedUrl = `${mapUrl}&view=detailed`;
    const detailedCold = await visit(page, cdp, detailedUrl, ['polygons']);
    const detailedWarm = await visit(page, cdp, detailedUrl, ['polygons']);
    console.log(`detailed map: cold ${detailedCold.requests} requests ${(detailedCold.bytes / 1000).toFixed(0)} KB, warm ${detailedWarm.requests} requests ${(detailedWarm.bytes / 1000).toFixed(0)} KB (the engine's worker fetches its tiles itself: not counted here)`);
    console.log(`map page: cold ${mapCold.requests} requests ${(mapCold.bytes / 1000).toFixed(0)} KB, warm ${mapWarm.requests} requests ${(mapWarm.bytes / 1000).toFixed(0)} KB`);
    const jsKb = gzipKb(webRoot, cold.firstViewScripts);
    console.log(`first view scripts (gzip): ${cold.firstViewScripts.map((p) => `${p} ${gzipKb(webRoot, [p]).toFixed(1)} KB`).join(', ')}`);
    console.log(`cold: ${cold.requests} requests, warm: ${warm.requests} requests`);

    const common = { workload: 'web-throttled', engine, size };
    const figures: Figure[] = [
      figure({ ...common, metric: 'cold_charts', vigie: cold.chartsS, baseline: GOALS.coldCharts, unit: 's' }),
      figure({ ...common, metric: 'cold_map', vigie: cold.mapS, baseline: GOALS.coldCharts, unit: 's' }),
      figure({ ...common, metric: 'cold_bytes', vigie: cold.bytes / 1000, baseline: COLD_BYTE_BUDGET_KB, unit: 'KB' }),
      figure({ ...common, metric: 'warm_charts', vigie: warm.chartsS, baseline: GOALS.warmCharts, unit: 's' }),
      figure({ ...common, metric: 'warm_map', vigie: warm.mapS, baseline: GOALS.warmCharts, unit: 's' }),
      figure({ ...common, metric: 'warm_bytes', vigie: warm.bytes / 1000, baseline: COLD_BYTE_BUDGET_KB, unit: 'KB' }),
      figure({ ...common, metric: 'first_view_js_gzip', vigie: jsKb, baseline: GOALS.firstViewJsKb, unit: 'KB' }),
      figure({ ...common, metric: 'map_cold_polygons_labels', vigie: mapCold.polygonsS, baseline: GOALS.coldCharts, unit: 's' }),
      figure({ ...common, metric: 'map_cold_bytes', vigie: mapCold.bytes / 1000, baseline: COLD_BYTE_BUDGET_KB, unit: 'KB' }),
      figure({ ...common, metric: 'map_warm_polygons_labels', vigie: mapWarm.polygonsS, baseline: GOALS.warmCharts, unit: 's' }),
      figure({ ...common, metric: 'map_warm_bytes', vigie: mapWarm.bytes / 1000, baseline: COLD_BYTE_BUDGET_KB, unit: 'KB' }),
      figure({ ...common, metric: 'map_detailed_cold', vigie: detailedCold.polygonsS, baseline: GOALS.coldCharts, unit: 's' }),
      figure({ ...common, metric: 'map_detailed_cold_bytes', vigie: detailedCold.bytes / 1000, baseline: COLD_BYTE_BUDGET_KB, unit: 'KB' }),
      figure({ ...common, metric: 'map_detailed_warm', vigie: detailedWarm.polygonsS, baseline: GOALS.warmCharts, unit: 's' }),
    ];
    recordFigures(figures);
    const goals: Record<string, Goal> = Object.fromEntries(
      ['cold_charts', 'warm_charts', 'first_view_js_gzip', 'map_cold_polygons_labels', 'map_warm_polygons_labels'].map((m) => [`web-throttled/${m}`, { kind: 'max', ratio: 1 }]),
    );
    printTable('Dashboard and map page over 256 kbit/s, 600 ms RTT (baseline = goal; dashboard map and bytes are informative)', figures, goals);
  } finally {
    await browser.close();
    await app.close();
    await vigie.drop();
  }
}

await main();
