/**
 * The web app over a remote post's link: Debian's Chromium with DevTools network throttling (256 kbit/s down and
 * up, 600 ms round trip), a database of 100,000 incidents, signed in, on each engine. Measures, next to the time of
 * each view, the bytes it transferred, its requests and the depth of its request chain (round trips):
 *  - the dashboard cold (empty cache) and warm (app shell cached): until the charts show data, and the mini map;
 *    the first view's JavaScript as Chromium transferred it (brotli when the server sends it so);
 *  - the map page's choropleth as a first view, cold then warm: until its polygons and labels are drawn; the detailed
 *    MapLibre map as information;
 *  - the other main pages warm (incident list, one incident, alerts, strategy): until their content is on screen;
 *  - a phone-class CPU (Chromium CPU throttling 4×): the dashboard cold and warm, the map page cold.
 * The baseline of each figure is its goal (issue 18), so ratio ≤ 1 meets it.
 *
 *   npm run bench -- --only web-throttled [--size 100000] [--engine sqlite|postgres]
 */
import type { CDPSession, Page } from 'playwright-core';
import { buildApp } from '../apps/server/src/http/app.js';
import { generateDemoIncidents } from '../apps/server/src/services/demo/demo-data.js';
import { demoGeography } from '../apps/server/src/services/demo/demo-geography.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { ensureWebBuild } from '../e2e/support/web-build.js';
import { benchArgs } from './lib/args.js';
import { benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { MARKERS, visit, type Mark, type Visit } from './lib/web-visit.js';

const LINK = { latency: 600, downloadThroughput: 256_000 / 8, uploadThroughput: 256_000 / 8 };
/** Issue 18's budgets: seconds, and kilobytes of first-view JavaScript on the wire. */
const GOALS = { coldCharts: 5, warm: 2, coldMap: 8, firstViewJsKb: 100 };
/** What the link carries in the cold goal's time: the byte budget of a cold first view. */
const COLD_BYTE_BUDGET_KB = (LINK.downloadThroughput * GOALS.coldCharts) / 1000;
/** Chromium's CPU slowdown for a phone-class device. */
const PHONE_CPU = 4;

const argv = process.argv.slice(2);
const args = benchArgs(argv);
const size = argv.some((a) => a.startsWith('--size')) ? args.size : 100_000;

/** The other main pages, each with what shows that its content is there. */
const PAGES: { name: string; path: (incidentId: string) => string; ready: string }[] = [
  { name: 'list', path: () => '/incidents?status=validated', ready: '[data-testid="incident-table"] tbody tr' },
  { name: 'incident', path: (id) => `/incidents/${id}`, ready: '[data-testid="history"] li' },
  { name: 'alerts', path: () => '/alerts', ready: 'main h1' },
  { name: 'strategy', path: () => '/strategy', ready: '[data-testid="evaluations"], main p.muted' },
];

const kb = (bytes: number) => bytes / 1000;
/**
 * What the link alone costs a view: its round trips and the bytes it waited for, at the link's rate. The rest of the measured time is
 * the browser's and the server's work (much of it, on a loaded machine), which this figure keeps apart.
 */
const linkSeconds = (v: Visit) => (v.roundTrips * LINK.latency) / 1000 + v.bytesBeforeMark / LINK.downloadThroughput;
const describe = (name: string, v: Visit) => `${name}: ${Object.entries(v.marks).map(([m, t]) => `${m} ${t?.toFixed(2)} s`).join(', ')} — ${v.requests} requests, ${v.roundTrips} round trips, ${kb(v.bytes).toFixed(0)} KB (link alone ${linkSeconds(v).toFixed(2)} s)`;
const scriptKb = (v: Visit) => kb(v.scripts.reduce((n, s) => n + s.bytes, 0));

async function measure(engine: EngineKind, webRoot: string): Promise<Figure[]> {
  const vigie = await testVigie(engine);
  const ctx = vigie.ctx;
  console.log(`generating ${size.toLocaleString('en-US')} demo incidents on ${engine}…`);
  const t0 = Date.now();
  // Placed by the shipped polygons, as `npm start`'s demo is: every generated record is one the service accepts.
  const demo = generateDemoIncidents(ctx.reference, { count: size, years: 3, endDate: new Date(), seed: 20261129, geography: await demoGeography(ctx) });
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
    const one = await browser.context.request.get(`${base}/api/v1/incidents?status=validated&limit=1`);
    const incidentId = ((await one.json()) as { items: { id: string }[] }).items[0]?.id ?? '';
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });
    const go = async (name: string, url: string, wait: Mark[], ready?: string): Promise<Visit> => {
      // A page that never shows its content is reported (NaN), and the other views are still measured.
      const v = await visit(page, cdp, `${base}${url}`, wait, ready).catch((e: unknown): Visit => {
        console.warn(`  ${name}: not ready — ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        return { marks: Object.fromEntries(wait.map((m) => [m, Number.NaN])), bytes: 0, bytesBeforeMark: 0, requests: 0, roundTrips: 0, scripts: [] };
      });
      console.log(`  ${describe(name, v)}`);
      return v;
    };
    const cold = async () => {
      // A new visitor: nothing cached, no service worker.
      await cdp.send('Network.clearBrowserCache');
      await page.goto('about:blank');
      await browser.context.clearCookies().catch(() => undefined);
      await browser.context.request.post(`${base}/api/v1/auth/login`, { data: { login: user.login, password: user.password } });
      await cdp.send('Storage.clearDataForOrigin', { origin: base, storageTypes: 'service_workers,cache_storage' });
    };

    const dashCold = await go('dashboard cold', '/', ['charts', 'map']);
    const dashWarm = await go('dashboard warm', '/', ['charts', 'map']);
    console.log(`  first view scripts: ${dashCold.scripts.map((s) => `${s.path} ${kb(s.bytes).toFixed(1)} KB ${s.encoding}`).join(', ')}`);
    const mapUrl = '/map?layer=choropleth&measure=incidents';
    await cold();
    const mapCold = await go('map cold', mapUrl, ['polygons']);
    const mapWarm = await go('map warm', mapUrl, ['polygons']);
    // The detailed map (MapLibre, vector tiles, fonts), which the slow link gets on request: informative figures.
    await cold();
    const detailedCold = await go('detailed map cold (its worker\'s tiles not counted)', `${mapUrl}&view=detailed`, ['polygons']);
    const detailedWarm = await go('detailed map warm', `${mapUrl}&view=detailed`, ['polygons']);
    // The other main pages, each opened once (its code and reference data cached), then measured warm.
    const pages: { name: string; warm: Visit }[] = [];
    for (const p of PAGES) {
      await go(`${p.name} first`, p.path(incidentId), ['page'], p.ready);
      pages.push({ name: p.name, warm: await go(`${p.name} warm`, p.path(incidentId), ['page'], p.ready) });
    }
    // A phone-class CPU on the same link.
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU });
    await cold();
    const phoneCold = await go(`dashboard cold, CPU ${PHONE_CPU}× slower`, '/', ['charts', 'map']);
    const phoneWarm = await go(`dashboard warm, CPU ${PHONE_CPU}× slower`, '/', ['charts', 'map']);
    await cold();
    const phoneMap = await go(`map cold, CPU ${PHONE_CPU}× slower`, mapUrl, ['polygons']);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

    const common = { workload: 'web-throttled', engine, size };
    const f = (metric: string, vigie: number, baseline: number, unit: string) => figure({ ...common, metric, vigie, baseline, unit });
    /** Time, bytes, requests and round trips of one view. */
    const view = (name: string, v: Visit, mark: Mark, goal: number) => [
      f(name, v.marks[mark] ?? Number.NaN, goal, 's'),
      f(`${name}_bytes`, kb(v.bytes), COLD_BYTE_BUDGET_KB, 'KB'),
      f(`${name}_requests`, v.requests, v.requests, 'requests'),
      f(`${name}_round_trips`, v.roundTrips, v.roundTrips, 'round trips'),
      f(`${name}_link_alone`, linkSeconds(v), goal, 's'),
    ];
    return [
      ...view('cold_charts', dashCold, 'charts', GOALS.coldCharts),
      f('cold_map', dashCold.marks.map ?? Number.NaN, GOALS.coldCharts, 's'),
      ...view('warm_charts', dashWarm, 'charts', GOALS.warm),
      f('warm_map', dashWarm.marks.map ?? Number.NaN, GOALS.warm, 's'),
      f('first_view_js', scriptKb(dashCold), GOALS.firstViewJsKb, 'KB'),
      ...view('map_cold_polygons_labels', mapCold, 'polygons', GOALS.coldMap),
      ...view('map_warm_polygons_labels', mapWarm, 'polygons', GOALS.warm),
      ...view('map_detailed_cold', detailedCold, 'polygons', GOALS.coldMap),
      ...view('map_detailed_warm', detailedWarm, 'polygons', GOALS.warm),
      ...pages.flatMap((p) => view(`${p.name}_warm`, p.warm, 'page', GOALS.warm)),
      ...view('phone_cpu4_cold_charts', phoneCold, 'charts', GOALS.coldCharts),
      ...view('phone_cpu4_warm_charts', phoneWarm, 'charts', GOALS.warm),
      ...view('phone_cpu4_map_cold', phoneMap, 'polygons', GOALS.coldMap),
    ];
  } finally {
    await browser.close();
    await app.close();
    await vigie.drop();
  }
}

// Always a fresh build of the sources as they are: the figures describe this tree, not an older dist.
const webRoot = ensureWebBuild({ force: true });
const figures: Figure[] = [];
for (const engine of benchEngines(args.engines)) figures.push(...(await measure(engine, webRoot)));
recordFigures(figures);
const goals: Record<string, Goal> = Object.fromEntries(
  ['cold_charts', 'warm_charts', 'first_view_js', 'map_cold_polygons_labels', 'map_warm_polygons_labels', ...PAGES.map((p) => `${p.name}_warm`)]
    .map((m) => [`web-throttled/${m}`, { kind: 'max', ratio: 1 }]),
);
printTable('Pages over 256 kbit/s, 600 ms RTT (baseline = goal; bytes, requests, round trips, the detailed map and the phone CPU are informative)', figures, goals);
