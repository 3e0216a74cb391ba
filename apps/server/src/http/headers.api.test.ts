import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, type Client } from '../test-support/http.js';
import { buildApp } from './app.js';

describe.each(ENGINES)('caching and transport headers on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  let webRoot: string;

  beforeAll(async () => {
    t = await testVigie(kind);
    // A stand-in for the built web app: the shell and one fingerprinted asset.
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Vigie</title><script type="module" src="/assets/app-1a2b3c.js"></script>');
    fs.writeFileSync(path.join(webRoot, 'assets/app-1a2b3c.js'), 'console.log("vigie")');
    fs.writeFileSync(path.join(webRoot, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(webRoot, 'manifest.webmanifest'), '{"name":"Vigie"}');
    app = await buildApp(t.ctx, { webRoot, logLevel: 'silent' });
    await app.ready();
    const a = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    analyst = await signIn(app, a.login, a.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  // Reference data is the exception, kept by the reader's browser only and revalidated by its ETag (compress.test.ts).
  it('tells browsers and proxies not to store any API answer, success or error', async () => {
    const answers = [
      await analyst.get('/api/v1/incidents'),
      await analyst.get('/api/v1/auth/me'),
      await analyst.get('/api/v1/audit'),
      await app.inject({ url: '/api/v1/health' }),
      await app.inject({ url: '/api/v1/incidents' }),
      await analyst.get('/api/v1/incidents/00000000-0000-4000-8000-000000000000'),
      await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'personne', password: 'faux' } }),
    ];
    for (const res of answers) expect(res.headers['cache-control'], `${res.statusCode} ${res.body.slice(0, 80)}`).toBe('no-store');
  });

  it('lets the public OpenAPI document be cached and revalidated with its ETag', async () => {
    const doc = await app.inject({ url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['cache-control']).toBe('public, no-cache');
    expect(doc.json()).toMatchObject({ openapi: '3.1.0' });
    const etag = String(doc.headers.etag);
    const again = await app.inject({ url: '/api/v1/openapi.json', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it("keeps the web app's fingerprinted assets cacheable for a year and the shell revalidated", async () => {
    const asset = await app.inject({ url: '/assets/app-1a2b3c.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/incidents/carte']) {
      const shell = await app.inject({ url });
      expect(shell.statusCode).toBe(200);
      expect(shell.headers['cache-control']).toBe('no-cache');
    }
    // The service worker and the manifest keep their names from one release to the next: revalidated, never pinned.
    for (const url of ['/sw.js', '/manifest.webmanifest', '/index.html']) {
      const file = await app.inject({ url });
      expect(file.statusCode).toBe(200);
      expect(file.headers['cache-control']).toBe('no-cache');
    }
  });

  it("gives pages the page's security headers, scripts (workers among them) the page's CSP, and every other answer a short set that still forbids framing and sniffing", async () => {
    const page = await app.inject({ url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    // A worker runs under its own script's CSP: the map's worker fetches tiles and the service worker the app.
    for (const url of ['/sw.js', '/assets/app-1a2b3c.js']) {
      const script = await app.inject({ url });
      expect(script.headers['content-security-policy'], url).toContain("connect-src 'self'");
      expect(script.headers['x-frame-options'], url).toBeUndefined();
    }
    const answers = {
      json: await analyst.get('/api/v1/auth/me'),
      problem: await app.inject({ url: '/api/v1/nulle-part' }),
      early: await app.inject({ url: '/api/v1/%' }),
      manifest: await app.inject({ url: '/manifest.webmanifest' }),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers['content-security-policy'], name).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
      expect(res.headers['cross-origin-resource-policy'], name).toBe('same-origin');
      expect(res.headers['referrer-policy'], name).toBe('no-referrer');
      for (const h of ['x-frame-options', 'x-xss-protection', 'x-download-options', 'origin-agent-cluster', 'cross-origin-opener-policy']) {
        expect(res.headers[h], `${name} ${h}`).toBeUndefined();
      }
    }
  });

  it("answers a revalidation (304) with the headers of the answer the browser holds: a page keeps the page's policy", async () => {
    // The browser merges a 304's headers into its stored answer: a page that got a resource's `default-src 'none'` there
    // would block its own scripts on the next load (a blank page, seen in the browser tests after a rebuild).
    for (const url of ['/', '/incidents/carte', '/index.html', '/sw.js', '/assets/app-1a2b3c.js', '/manifest.webmanifest', '/api/v1/openapi.json']) {
      const first = await app.inject({ url });
      expect(first.statusCode, url).toBe(200);
      const again = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      expect(again.statusCode, url).toBe(304);
      expect(again.headers['content-security-policy'], url).toBe(first.headers['content-security-policy']);
      expect(again.headers['x-frame-options'], url).toBe(first.headers['x-frame-options']);
    }
  });

  it('sends HSTS and upgrade-insecure-requests only over HTTPS, never over plain HTTP', async () => {
    // Behind a TLS-terminating proxy named in VIGIE_TRUSTED_PROXIES, X-Forwarded-Proto says the browser came over HTTPS.
    const proxied = await buildApp(t.ctx, { webRoot, logLevel: 'silent', trustedProxies: ['127.0.0.1'] });
    try {
      for (const url of ['/', '/api/v1/health', '/api/v1/nulle-part', '/api/v1/%']) {
        const plain = await app.inject({ url });
        expect(plain.headers['strict-transport-security'], url).toBeUndefined();
        expect(plain.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
        expect(plain.headers['content-security-policy'], url).toMatch(url === '/' ? /default-src 'self'/ : /default-src 'none'/);
        // A client that is not a trusted proxy cannot claim HTTPS.
        const spoofed = await app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
        expect(spoofed.headers['strict-transport-security'], url).toBeUndefined();
        // (Fastify answers an undecodable URL before it reads proxy headers: that error page gets them only on a direct
        // TLS connection.)
        if (url === '/api/v1/%') continue;
        const tls = await proxied.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
        expect(tls.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
        expect(tls.headers['content-security-policy'], url).toContain('upgrade-insecure-requests');
      }
    } finally {
      await proxied.close();
    }
  });
});
