/**
 * The offline outbox, over real HTTP on loopback: 1,000 reports queued in the outbox (IndexedDB through
 * fake-indexeddb, the web app's own sender: state machine, one POST per item, deleted only after 201/200) sent to
 * Vigie, next to the same 1,000 POSTs made by a bare HTTP client (fetch in a loop). Each run counts what was lost and
 * what was duplicated. And the service worker's precache: what a device downloads once to work offline, against the
 * whole web build.
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
import { flushOutbox } from '../apps/web/src/features/outbox/outbox-sender.js';
import { ensureWebBuild } from '../e2e/support/web-build.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';

const N = 1_000;
const GOALS: Record<string, Goal> = { 'outbox-sync/seconds': { kind: 'max', ratio: 2 } };
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

async function main(): Promise<void> {
  const t = await testVigie('sqlite');
  const app = await buildApp(t.ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const figures: Figure[] = [];
  try {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', login: 'bench.outbox' });
    const session = await signIn(app, reporter.login, reporter.password);
    const headers = { 'content-type': 'application/json', accept: 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf };
    const batch = (mark: string) => Array.from({ length: N }, (_, i) => ({ ...newIncident({ state: 'MLI', narrative: `${mark} ${i}` }), status: 'submitted' }));
    const count = async (mark: string) => {
      const rows = await t.ctx.engine.db.selectFrom('incidents').select(['narrative']).where('narrative', 'like', `${mark} %`).execute();
      const distinct = new Set(rows.map((r) => r.narrative)).size;
      return { lost: N - distinct, duplicated: rows.length - distinct };
    };

    // Baseline: a bare client POSTs each report once, in turn.
    const bare = batch('bare');
    log(`baseline: ${N} POSTs with fetch`);
    let started = performance.now();
    for (const body of bare) {
      const res = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify(body) });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`bare POST: HTTP ${res.status}`);
    }
    const bareSeconds = (performance.now() - started) / 1000;

    // Vigie: the same reports queued in the outbox, then one flush.
    const store = await openOutbox(reporter.userId, new IDBFactory());
    const queued = batch('outbox');
    const now = Date.now();
    for (const body of queued) await store.put(newItem(body.id, body, now));
    log(`outbox: ${N} queued, flushing`);
    started = performance.now();
    const result = await flushOutbox(store, {
      async post(payload, signal) {
        const res = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify(payload), signal });
        return { status: res.status, body: await res.json().catch(() => undefined) };
      },
    }, { force: true });
    const outboxSeconds = (performance.now() - started) / 1000;
    const left = (await store.all()).length;
    if (result.sent !== N || left) throw new Error(`outbox: ${result.sent} sent, ${left} left`);
    const o = await count('outbox');
    const b = await count('bare');
    figures.push(
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'seconds', vigie: outboxSeconds, baseline: bareSeconds, unit: 's', size: N }),
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'lost', vigie: o.lost, baseline: b.lost, unit: 'reports', size: N }),
      figure({ workload: 'outbox-sync', engine: 'sqlite', metric: 'duplicated', vigie: o.duplicated, baseline: b.duplicated, unit: 'reports', size: N }),
    );
  } finally {
    await app.close();
    await t.drop();
  }

  // The precache: the files sw.js lists, against every file of the build (what "cache everything" would download).
  const dist = ensureWebBuild();
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string);
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, f))).length;
  const everything = (dir: string): string[] => fs.readdirSync(path.join(dist, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') ? [] : everything(rel);
    return /\.(js|mjs|css|html|svg|woff2?|webmanifest)$/.test(e.name) ? [rel] : [];
  });
  const precacheKb = urls.reduce((n, u) => n + gz(u), 0) / 1024;
  const allKb = everything('').reduce((n, f) => n + gz(f), 0) / 1024;
  figures.push(figure({ workload: 'sw-precache', engine: 'web', metric: 'gzip_kb', vigie: precacheKb, baseline: allKb, unit: 'KB', size: urls.length }));

  printTable(`Outbox: ${N} queued reports sent on loopback (baseline: the same POSTs with a bare client); service worker precache (baseline: the whole build)`, figures, GOALS);
  recordFigures(figures);
}

await main();
