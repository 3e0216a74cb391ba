/**
 * The offline outbox. Loopback: 1,000 reports queued in the outbox (IndexedDB through fake-indexeddb, the web app's
 * own sender: state machine, batches of 100 to POST /api/v1/incidents/batch, each item deleted only after its own
 * 201/200) sent to Vigie, next to a bare client sending the same reports the same way (fetch, same batches) to a bare
 * server (Fastify + better-sqlite3, one transaction per request, idempotent by id, same durability) — and against the
 * goal of 10 s. Each run counts what was lost and what was duplicated. Then in Chromium: the service worker's install
 * (bytes on the wire until it is active, and what it precaches), the same first visit over a 256 kbit/s, 600 ms link
 * until the worker is active (every connection through one shaped link), and 20 reports over that link.
 *
 *   node --conditions=vigie-source --import tsx bench/outbox.bench.ts        (or npm run bench -- --only outbox)
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { IDBFactory } from 'fake-indexeddb';
import { buildApp } from '../apps/server/src/http/app.js';
import { signIn } from '../apps/server/src/test-support/http.js';
import { newIncident, newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import { newItem } from '../apps/web/src/features/outbox/outbox-state.js';
import { openOutbox } from '../apps/web/src/features/outbox/outbox-store.js';
import { BATCH_ITEMS, flushOutbox } from '../apps/web/src/features/outbox/outbox-sender.js';
import { ensureWebBuild } from '../e2e/support/web-build.js';
import { startBareIntake } from './lib/bare-intake.js';
import { LINK, measureInBrowser, measureThrottledInstall } from './lib/outbox-browser.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';

const N = 1_000;
const THROTTLED_N = 20;
const GOAL_SECONDS = 10;
const GOALS: Record<string, Goal> = {
  'outbox-sync/seconds_vs_goal': { kind: 'max', ratio: 1 },
  'outbox-sync/seconds': { kind: 'max', ratio: 2 },
};
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const jsonOf = async (res: Response) => { try { return await res.json(); } catch { return undefined; } };

async function main(): Promise<void> {
  const dist = ensureWebBuild();
  const t = await testVigie('sqlite');
  const app = await buildApp(t.ctx, { webRoot: dist });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const bareServer = await startBareIntake();
  const figures: Figure[] = [];
  let installKb = 0;
  try {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', login: 'bench.outbox' });
    const session = await signIn(app, reporter.login, reporter.password);
    const headers = { 'content-type': 'application/json', accept: 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf };
    const batch = (mark: string) => Array.from({ length: N }, (_, i) => ({ ...newIncident({ state: 'MLI', narrative: `${mark} ${i}` }), status: 'submitted' }));
    const count = async (mark: string, n = N) => {
      const rows = await t.ctx.engine.db.selectFrom('incidents').select(['narrative']).where('narrative', 'like', `${mark} %`).execute();
      const distinct = new Set(rows.map((r) => r.narrative)).size;
      return { lost: n - distinct, duplicated: rows.length - distinct };
    };

    // Baseline: a bare client sends the same reports in the same batches to the bare server.
    const bare = batch('bare');
    log(`baseline: ${N} reports, batches of ${BATCH_ITEMS}, fetch to bare Fastify + better-sqlite3`);
    let started = performance.now();
    for (let i = 0; i < bare.length; i += BATCH_ITEMS) {
      const res = await fetch(`${bareServer.url}/bare/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: bare.slice(i, i + BATCH_ITEMS) }) });
      const body = await res.json() as { items: { status: number }[] };
      if (res.status !== 200 || body.items.some((x) => x.status !== 201)) throw new Error(`bare batch: HTTP ${res.status}`);
    }
    const bareSeconds = (performance.now() - started) / 1000;
    const b = bareServer.count('bare');

    // Vigie: the same reports queued in the outbox, then one pass.
    const userId = reporter.userId as string;
    const store = await openOutbox(userId, new IDBFactory());
    const queued = batch('outbox');
    const now = Date.now();
    await store.write(queued.map((body, i) => newItem(body.id, body, now + i)));
    log(`outbox: ${N} queued, flushing`);
    started = performance.now();
    const result = await flushOutbox(store, {
      async post(payload, signal) {
        const res = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify(payload), signal });
        return { status: res.status, body: await jsonOf(res) };
      },
      async postBatch(payloads, signal) {
        const res = await fetch(`${base}/api/v1/incidents/batch`, { method: 'POST', headers, body: JSON.stringify({ items: payloads }), signal });
        return { status: res.status, body: await jsonOf(res) };
      },
    }, { force: true });
    const outboxSeconds = (performance.now() - started) / 1000;
    const left = (await store.all()).length;
    if (result.sent !== N || left) throw new Error(`outbox: ${result.sent} sent, ${left} left`);
    const o = await count('outbox');
    log(`outbox ${outboxSeconds.toFixed(2)} s, bare ${bareSeconds.toFixed(2)} s`);
    figures.push(
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'seconds', vigie: outboxSeconds, baseline: bareSeconds, unit: 's', size: N }),
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'seconds_vs_goal', vigie: outboxSeconds, baseline: GOAL_SECONDS, unit: 's', size: N }),
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'lost', vigie: o.lost, baseline: N - b.distinct, unit: 'reports', size: N }),
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'duplicated', vigie: o.duplicated, baseline: b.rows - b.distinct, unit: 'reports', size: N }),
    );

    log(`Chromium: service worker install, then ${THROTTLED_N} reports over ${LINK.downloadThroughput * 8 / 1000} kbit/s, ${LINK.latency} ms`);
    const web = await measureInBrowser(app, base, { userId, login: reporter.login, password: reporter.password }, count, THROTTLED_N);
    const common = { workload: 'outbox-throttled', engine: 'web', unit: 's', size: THROTTLED_N };
    figures.push(
      figure({ ...common, metric: 'seconds_vs_fetch_each', vigie: web.outboxSeconds, baseline: web.fetchEachSeconds }),
      figure({ ...common, metric: 'seconds_vs_fetch_one', vigie: web.outboxSeconds, baseline: web.fetchOneSeconds }),
    );
    installKb = web.installBytes / 1024;
    log(`service worker active after ${web.installSeconds.toFixed(1)} s on loopback, ${(web.installBytes / 1024).toFixed(0)} KB on the wire`);

    // The same first visit on a fresh profile over the throttled link. Baseline: the same bytes as one bare download on
    // that link (one round trip, then the bytes at its rate) — what no page, worker or request count could beat.
    log(`Chromium: first visit over ${LINK.downloadThroughput * 8 / 1000} kbit/s, ${LINK.latency} ms until the service worker is active`);
    const slow = await measureThrottledInstall(app, Number(new URL(base).port), { login: reporter.login, password: reporter.password });
    const floor = LINK.latency / 1000 + slow.bytes / LINK.downloadThroughput;
    log(`service worker active after ${slow.seconds.toFixed(1)} s on the throttled link (${(slow.bytes / 1024).toFixed(0)} KB; bare download ${floor.toFixed(1)} s)`);
    figures.push(figure({ workload: 'sw-install-throttled', engine: 'web', metric: 'seconds', vigie: slow.seconds, baseline: floor, unit: 's', size: Math.round(slow.bytes / 1024) }));
  } finally {
    await bareServer.close();
    await app.close();
    await t.drop();
  }

  // The precache: the files sw.js lists, raw and compressed as the server sends them, against every file of the build.
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string);
  const raw = (f: string) => fs.statSync(path.join(dist, f)).size;
  const sent = (f: string) => (fs.existsSync(path.join(dist, `${f}.gz`)) ? fs.statSync(path.join(dist, `${f}.gz`)).size : zlib.gzipSync(fs.readFileSync(path.join(dist, f))).length);
  const everything = (dir: string): string[] => fs.readdirSync(path.join(dist, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') ? [] : everything(rel);
    return /\.(js|mjs|css|html|svg|woff2?|webmanifest)$/.test(e.name) ? [rel] : [];
  });
  const kb = (files: string[], f: (x: string) => number) => files.reduce((n, x) => n + f(x), 0) / 1024;
  const all = everything('');
  figures.push(
    figure({ workload: 'sw-precache', engine: 'web', metric: 'gzip_kb', vigie: kb(urls, sent), baseline: kb(all, sent), unit: 'KB', size: urls.length }),
    figure({ workload: 'sw-precache', engine: 'web', metric: 'raw_kb', vigie: kb(urls, raw), baseline: kb(all, raw), unit: 'KB', size: urls.length }),
  );

  // The first visit as the server sent it (page, API calls, worker, precache, headers) against the precache alone.
  figures.push(figure({ workload: 'sw-install', engine: 'web', metric: 'wire_kb', vigie: installKb, baseline: kb(urls, sent), unit: 'KB', size: urls.length }));
  printTable(
    `Outbox: ${N} queued reports on loopback (baseline: bare client and server, same batches; and the ${GOAL_SECONDS} s goal); ${THROTTLED_N} reports over ${LINK.downloadThroughput * 8 / 1000} kbit/s, ${LINK.latency} ms (baselines: bare fetch per report, and all in one bare fetch); first visit until the service worker is active, bytes on the wire (baseline: its precache, compressed), and seconds over the throttled link (baseline: the same bytes as one bare download on it); precache (baseline: the whole build)`,
    figures, GOALS,
  );
  recordFigures(figures);
}

await main();
