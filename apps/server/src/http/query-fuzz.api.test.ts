import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, type Client } from '../test-support/http.js';
import { buildApp, ROUTES } from './app.js';

/** A route whose answer is a live stream (server-sent events): it never ends, so it is not fuzzed here (its own API test checks its bad input). */
const isStream = (r: (typeof ROUTES)[number]) => JSON.stringify(r.responses ?? {}).includes('text/event-stream');
/** The list routes: GET, a query schema, no path parameter; with the parameter names each one knows. */
const LIST_ROUTES = ROUTES.filter((r) => r.method === 'GET' && r.query && !r.url.includes(':') && !isStream(r)).map((r) => ({
  url: r.url,
  keys: Object.keys((r.query as unknown as { shape?: Record<string, unknown> }).shape ?? {}),
}));

const TRICKY = [
  '', ' ', 'NaN', 'Infinity', '-1', '0', '1e400', '99999999999999999999999', '-0', '0x10', 'true', 'null', '[]', '{}',
  '2026-02-30', '2026-01-01T25:00:00Z', '2026-01-01T00:00:00Z', '0000-00-00', '+275760-09-13', ',,,', 'NER,,MLI', 'NER',
  '-180,-90,180,90', '1,2,3', '1e9,1e9,-1e9,-1e9', 'me', 'none', '-occurred_start', "'; drop table incidents; --", '%', '\u0000',
  'a'.repeat(600), '"', '\\', 'ⵜⵉⴼⵉⵏⴰⵖ', 'مرحبا', '北京', '😀', '*', ':*', '!', '&', '|', '<->', '(', ')',
];
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');

/** Cursors as a client could tamper with them: any JSON, or a two-item array of a random value and id. */
const cursorValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map(b64),
  fc.tuple(fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(...TRICKY)), fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 }))).map(b64),
  fc.string({ maxLength: 40 }),
);
const anyValue = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.jsonValue({ maxDepth: 2 }).map(b64),
);
/** A query string of up to three parameters, mostly names the route knows (so values reach the parsers and the SQL). */
function queryFor(keys: string[]) {
  const key = keys.length ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }) : fc.string({ maxLength: 12 });
  const pair = key.chain((k) => fc.tuple(fc.constant(k), k === 'cursor' ? cursorValue : anyValue));
  const encoded = fc.array(pair, { minLength: 1, maxLength: 3 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const raw = fc.string({ maxLength: 60 }).map((s) => s.replace(/#/g, ''));
  return fc.oneof({ weight: 5, arbitrary: encoded }, { weight: 1, arbitrary: raw });
}

describe.each(ENGINES)('random query strings on the list routes, %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reader: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await buildApp(t.ctx, { logLevel: 'silent' });
    await app.ready();
    const a = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    reader = await signIn(app, a.login, a.password);
    await createIncident(t.ctx, a, newIncident({ state: 'NER' }));
    const m = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    await createIncident(t.ctx, m, newIncident({ state: 'MLI', fatalities_best: 5, civilian_fatalities: 1 }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('covers the list routes', () => {
    expect(LIST_ROUTES.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/incidents', '/api/v1/alerts', '/api/v1/audit', '/api/v1/actions']));
  });

  it.each(LIST_ROUTES)('$url never answers 5xx, and every refusal is problem+json', async ({ url, keys }) => {
    await fc.assert(
      fc.asyncProperty(queryFor(keys), async (qs) => {
        const res = await reader.get(`${url}?${qs}`);
        expect(res.statusCode, `${url}?${qs} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      // Enough runs for each parameter the route knows to be tried alone with many values.
      { numRuns: Math.max(60, 20 * keys.length) },
    );
  });
});
