import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerCompression } from './compress.js';

describe('JSON compression', () => {
  const app = Fastify();
  registerCompression(app);
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ admin1: `ML0${i % 10}`, month: '2026-01', incidents: i })) };
  app.get('/big', async () => big);
  app.get('/small', async () => ({ ok: true }));

  it('gzips a large JSON answer for a client that accepts it, and only then', async () => {
    const zipped = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(big);
    expect(zipped.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 3);
    const plain = await app.inject({ method: 'GET', url: '/big' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(big);
  });

  it('leaves small answers as they are', async () => {
    const res = await app.inject({ method: 'GET', url: '/small', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});
