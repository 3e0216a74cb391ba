import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, type Client } from '../test-support/http.js';
import { buildApp } from './app.js';

describe.each(ENGINES)('compression of answers on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  let webRoot: string;
  const script = `export const vigie = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `incident-${i}`))};\n`;

  beforeAll(async () => {
    t = await testVigie(kind);
    // The built web app ships each asset with its .br and .gz beside it (apps/web/scripts/precompress.mjs).
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Vigie</title>');
    fs.writeFileSync(path.join(webRoot, 'assets/app-1a2b3c.js'), script);
    fs.writeFileSync(path.join(webRoot, 'assets/app-1a2b3c.js.br'), brotliCompressSync(script));
    fs.writeFileSync(path.join(webRoot, 'assets/app-1a2b3c.js.gz'), gzipSync(script));
    app = await buildApp(t.ctx, { webRoot, logLevel: 'silent' });
    await app.ready();
    const a = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    analyst = await signIn(app, a.login, a.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('prefers brotli, falls back to gzip, and honours a refusal (q=0)', async () => {
    const plain = await analyst.get('/api/v1/reference');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const size = plain.rawPayload.length;
    expect(size).toBeGreaterThan(1024);

    const br = await analyst.get('/api/v1/reference', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(size / 3);

    const gzip = await analyst.get('/api/v1/reference', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(plain.json());

    const noBrotli = await analyst.get('/api/v1/reference', { 'accept-encoding': 'br;q=0, gzip' });
    expect(noBrotli.headers['content-encoding']).toBe('gzip');
    const refused = await analyst.get('/api/v1/reference', { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(plain.json());
    const identity = await analyst.get('/api/v1/reference', { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
  });

  it('revalidates the reference data by its ETag: a 304 without a body when nothing changed', async () => {
    const first = await analyst.get('/api/v1/reference', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await analyst.get('/api/v1/reference', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const other = await analyst.get('/api/v1/reference', { 'if-none-match': '"something-else"' });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toEqual(JSON.parse(brotliDecompressSync(first.rawPayload).toString('utf8')));
  });

  it('leaves tiny answers as they are', async () => {
    const res = await app.inject({ url: '/api/v1/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('serves the web app’s precompressed files as they are, brotli first', async () => {
    const br = await app.inject({ url: '/assets/app-1a2b3c.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(script);
    const gz = await app.inject({ url: '/assets/app-1a2b3c.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(script);
    const plain = await app.inject({ url: '/assets/app-1a2b3c.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('never compresses (so never buffers) the live alert stream: its first bytes arrive while it stays open', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const first = await new Promise<{ encoding?: string; chunk: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/alerts/stream', headers: { cookie: analyst.cookie, accept: 'text/event-stream', 'accept-encoding': 'br, gzip' } }, (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({ encoding: res.headers['content-encoding'], chunk: chunk.toString('utf8') });
          req.destroy();
        });
      });
      req.on('error', reject);
    });
    expect(first.encoding).toBeUndefined();
    expect(first.chunk).toContain(': vigie alerts');
  });
});
