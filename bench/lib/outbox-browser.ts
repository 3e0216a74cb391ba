/**
 * The outbox bench's browser part: Debian's Chromium on the built web app. First visit on a fresh profile until the
 * service worker is active (what a device downloads to work offline, counted on the server's sockets), then 20 reports
 * put in the page's outbox and sent over a throttled link (DevTools network emulation, 256 kbit/s, 600 ms round trip),
 * next to the same kind of reports sent by bare fetch calls from the same page on the same link.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { newIncident } from '../../apps/server/src/test-support/factories.js';
import { newItem } from '../../apps/web/src/features/outbox/outbox-state.js';
import { launchBrowser } from '../../e2e/support/browser.js';
import { startThrottleProxy } from './throttle-proxy.js';

export const LINK = { latency: 600, downloadThroughput: 256_000 / 8, uploadThroughput: 256_000 / 8 };

/** Bytes the server has written on every socket so far (those closed and those open). */
function wireCounter(app: FastifyInstance): () => number {
  const open = new Set<Socket>();
  let closed = 0;
  app.server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => { closed += s.bytesWritten; open.delete(s); });
  });
  return () => closed + [...open].reduce((n, s) => n + s.bytesWritten, 0);
}

// The in-page scripts, as text: the bench runs through tsx, whose compiled functions would refer to its helpers.
/** Puts the items in the user's outbox, tells the app the link is back, and waits until the outbox is empty. */
const SEND_FROM_OUTBOX = `async ({ userId, items }) => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('vigie-outbox-' + userId);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('items', 'readwrite');
    for (const item of items) tx.objectStore('items').put(item);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  const left = () => new Promise((resolve) => {
    const req = db.transaction('items').objectStore('items').count();
    req.onsuccess = () => resolve(req.result);
  });
  const t0 = performance.now();
  window.dispatchEvent(new Event('online'));
  while ((await left()) > 0) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}`;

/** Bare fetch: one POST per report in turn, then all of them in one POST of the batch route. */
const SEND_BARE = `async ({ each, one }) => {
  const me = await (await fetch('/api/v1/auth/me')).json();
  const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token };
  let t0 = performance.now();
  for (const body of each) {
    const res = await fetch('/api/v1/incidents', { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error('bare POST: ' + res.status);
  }
  const eachMs = performance.now() - t0;
  t0 = performance.now();
  const res = await fetch('/api/v1/incidents/batch', { method: 'POST', headers, body: JSON.stringify({ items: one }) });
  await res.json();
  return { eachMs, oneMs: performance.now() - t0 };
}`;

export interface BrowserFigures {
  /** First visit until the service worker is active (loopback): bytes the server sent, compressed as sent. */
  installBytes: number;
  installSeconds: number;
  /** 20 reports through the page's outbox on the throttled link. */
  outboxSeconds: number;
  /** The same number of reports, one bare fetch each, in turn. */
  fetchEachSeconds: number;
  /** The same number of reports in one bare fetch of the batch route: the link's floor. */
  fetchOneSeconds: number;
}

export async function measureInBrowser(
  app: FastifyInstance, base: string, user: { userId: string; login: string; password: string },
  count: (mark: string, n: number) => Promise<{ lost: number; duplicated: number }>, n = 20,
): Promise<BrowserFigures> {
  const wire = wireCounter(app);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const login = await browser.context.request.post(`${base}/api/v1/auth/login`, { data: { login: user.login, password: user.password } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);

    // The first visit: page, app shell, service worker and its precache, until the worker is active.
    const before = wire();
    let started = performance.now();
    await page.goto(`${base}/my-reports`);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    const installSeconds = (performance.now() - started) / 1000;
    await page.getByTestId('outbox-count').waitFor();
    const installBytes = wire() - before;

    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });

    // Vigie: n reports in the outbox (written as the form writes them), then the app is told the link is back.
    const now = Date.now();
    const items = Array.from({ length: n }, (_, i) => {
      const body = { ...newIncident({ state: 'MLI', narrative: `throttled-outbox ${i}` }), status: 'submitted' };
      return newItem(body.id, body, now + i);
    });
    const outboxMs = await page.evaluate(`(${SEND_FROM_OUTBOX})(${JSON.stringify({ userId: user.userId, items })})`) as number;
    const o = await count('throttled-outbox', n);
    if (o.lost || o.duplicated) throw new Error(`throttled outbox: ${o.lost} lost, ${o.duplicated} duplicated`);

    // Bare: the same reports sent by fetch from the same page on the same link, one request each, then all in one.
    const bare = (mark: string) => Array.from({ length: n }, (_, i) => ({ ...newIncident({ state: 'MLI', narrative: `${mark} ${i}` }), status: 'submitted' }));
    const timings = await page.evaluate(`(${SEND_BARE})(${JSON.stringify({ each: bare('throttled-each'), one: bare('throttled-one') })})`) as { eachMs: number; oneMs: number };
    for (const mark of ['throttled-each', 'throttled-one']) {
      const b = await count(mark, n);
      if (b.lost || b.duplicated) throw new Error(`${mark}: ${b.lost} lost, ${b.duplicated} duplicated`);
    }
    return { installBytes, installSeconds, outboxSeconds: outboxMs / 1000, fetchEachSeconds: timings.eachMs / 1000, fetchOneSeconds: timings.oneMs / 1000 };
  } finally {
    await browser.close();
  }
}

/**
 * The first visit on a fresh profile over the throttled link (every connection, the service worker's own fetches
 * included, through one shaped link): seconds until the service worker is active, and the bytes the server sent.
 */
export async function measureThrottledInstall(app: FastifyInstance, port: number, user: { login: string; password: string }): Promise<{ seconds: number; bytes: number }> {
  const wire = wireCounter(app);
  const proxy = await startThrottleProxy(port, LINK);
  const browser = await launchBrowser();
  try {
    const login = await browser.context.request.post(`${proxy.url}/api/v1/auth/login`, { data: { login: user.login, password: user.password } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
    const page = await browser.context.newPage();
    const before = wire();
    const started = performance.now();
    await page.goto(`${proxy.url}/my-reports`, { timeout: 600_000 });
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytes: wire() - before };
  } finally {
    await browser.close();
    await proxy.close();
  }
}
