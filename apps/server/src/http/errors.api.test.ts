import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, type Client } from '../test-support/http.js';
import { buildApp } from './app.js';
import { route } from './route.js';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** What every error answer must look like: problem+json, French title, request id, security headers, not stored. */
function expectProblem(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.statusCode, `${res.statusCode} ${res.body}`).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none';frame-ancestors 'none'");
  expect(res.headers['cache-control']).toBe('no-store');
  const body = res.json() as { type: string; title: string; status: number; code: string; request_id: string; errors?: { field: string; message: string }[] };
  expect(body).toMatchObject({ status, code, type: `https://vigie.local/problems/${code}` });
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.request_id).toBe(res.headers['x-request-id']);
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

describe.each(ENGINES)('malformed requests on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await testVigie(kind);
    const boom = route({
      method: 'GET', url: '/api/v1/test/boom', tags: ['test'], auth: 'public', summary: 'fails',
      handler: async () => { throw new Error('la base a disparu'); },
    });
    app = await buildApp(t.ctx, { extraRoutes: [boom], logStream: { write: (line) => void logLines.push(line) } });
    await app.ready();
    const a = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    analyst = await signIn(app, a.login, a.password);
    for (let i = 0; i < 3; i++) await createIncident(t.ctx, a, newIncident({ state: 'NER', fatalities_best: i, civilian_fatalities: 0 }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('refuses a caller without the route\'s verb with 403 before looking at its input, malformed or not', async () => {
    // An analyst may not edit the strategy: the same 403 for an empty, a malformed and a well-formed body.
    for (const payload of [{}, { code: 42 }, { code: 'S9', title_fr: 'x', title_en: 'x', valid_from: '2027-01-01', valid_to: '2027-12-31' }]) {
      expectProblem(await analyst.post('/api/v1/strategies', payload), 403, 'forbidden');
    }
  });

  it('answers a tampered incident cursor with 400 naming `cursor`, on every sort, and still follows a genuine one', async () => {
    const tampered = [
      b64([true, 'x']), b64(['x', 'y']), b64([1]), b64({ a: 1 }), b64([null, 'x']), b64(['2026-01-01T00:00:00Z', 5]),
      b64('pas du json'), '!!!', b64([1e400, 'x']), b64([{ a: 1 }, 'x']),
    ];
    for (const sort of ['-occurred_start', 'occurred_start', '-updated_at', 'updated_at', '-fatalities_best']) {
      for (const cursor of tampered) {
        const res = await analyst.get(`/api/v1/incidents?sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
        const body = expectProblem(res, 400, 'validation_failed', 'cursor');
        expect(body.title).toBe('Données invalides');
      }
    }
    const first = (await analyst.get('/api/v1/incidents?limit=2&sort=-fatalities_best')).json() as { items: { id: string }[]; next_cursor: string };
    const second = (await analyst.get(`/api/v1/incidents?limit=2&sort=-fatalities_best&cursor=${first.next_cursor}`)).json() as { items: { id: string }[]; next_cursor: string | null };
    expect([...first.items, ...second.items].map((i) => i.id)).toHaveLength(3);
    expect(second.next_cursor).toBeNull();
  });

  it('answers every malformed request with problem+json, the field named, French first, and the security headers', async () => {
    const cases: { name: string; res: LightMyRequestResponse; status: number; code: string; field?: string }[] = [
      { name: 'bad % in URL', res: await app.inject({ url: '/api/v1/%' }), status: 400, code: 'malformed_request', field: '(url)' },
      { name: 'bad % in a path parameter', res: await analyst.get('/api/v1/incidents/%E0%A4%A'), status: 400, code: 'malformed_request', field: '(url)' },
      { name: 'unknown route', res: await app.inject({ url: '/api/v1/nulle-part' }), status: 404, code: 'not_found' },
      { name: 'bad JSON', res: await analyst.request({ method: 'POST', url: '/api/v1/incidents', headers: { 'content-type': 'application/json' }, payload: '{"id": ' }), status: 400, code: 'malformed_json', field: '(body)' },
      { name: 'empty JSON', res: await analyst.request({ method: 'POST', url: '/api/v1/incidents', headers: { 'content-type': 'application/json' }, payload: '' }), status: 400, code: 'malformed_json', field: '(body)' },
      { name: 'wrong content type', res: await analyst.request({ method: 'POST', url: '/api/v1/incidents', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }), status: 415, code: 'unsupported_media_type', field: 'content-type' },
      { name: 'body too large', res: await analyst.request({ method: 'POST', url: '/api/v1/incidents', headers: { 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}` }), status: 413, code: 'payload_too_large', field: '(body)' },
      { name: 'NUL in a query value', res: await analyst.get('/api/v1/aggregates?admin1=%00'), status: 400, code: 'validation_failed', field: 'admin1' },
      { name: 'NUL in a body text', res: await analyst.post('/api/v1/incidents', newIncident({ state: 'NER', narrative: 'avant\u0000après' })), status: 400, code: 'validation_failed', field: 'narrative' },
      { name: 'unknown query field', res: await analyst.get('/api/v1/incidents?couleur=bleu'), status: 400, code: 'validation_failed', field: 'couleur' },
    ];
    const stored = (await analyst.get('/api/v1/incidents?limit=500')).json() as { items: { narrative: string }[] };
    expect(stored.items.some((i) => i.narrative.startsWith('avant'))).toBe(false);
    for (const c of cases) {
      const body = expectProblem(c.res, c.status, c.code, c.field);
      expect(body.title, c.name).not.toMatch(/^(Malformed|Not found|Unsupported|Request too large)/);
    }
    const en = await app.inject({ url: '/api/v1/%', headers: { 'accept-language': 'en' } });
    expect(en.json()).toMatchObject({ title: 'Malformed request', errors: [{ field: '(url)', message: 'The address has an invalid % encoding' }] });
  });

  it('logs every 5xx with its request id, route and error, and gives the user that id to quote', async () => {
    const res = await app.inject({ url: '/api/v1/test/boom' });
    const body = expectProblem(res, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('la base a disparu');
    const line = logLines.map((l) => JSON.parse(l) as { level: number; reqId: string; route: string; err?: { message: string } }).find((l) => l.reqId === body.request_id && l.level >= 50);
    expect(line).toMatchObject({ route: '/api/v1/test/boom', err: { message: 'la base a disparu' } });
  });
});
