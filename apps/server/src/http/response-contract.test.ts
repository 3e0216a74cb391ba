import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testVigie, type TestVigie } from '../test-support/factories.js';
import { buildApp } from './app.js';
import { route } from './route.js';

const tags = ['test'];
const shape = z.object({ ok: z.literal(true), n: z.number().int() });
const routes = [
  route({ method: 'GET', url: '/api/v1/test/good', tags, auth: 'public', summary: 'good', responses: { 200: shape }, handler: async () => ({ ok: true as const, n: 1 }) }),
  // The types (route.test.ts) keep a wrongly shaped answer out at compile time; a value they cannot see (1.5 is a
  // number, not an integer) is what the run-time check still catches.
  route({ method: 'GET', url: '/api/v1/test/bad', tags, auth: 'public', summary: 'bad', responses: { 200: shape }, handler: async () => ({ ok: true as const, n: 1.5 }) }),
  route({
    method: 'GET', url: '/api/v1/test/undeclared', tags, auth: 'public', summary: 'undeclared status', responses: { 201: shape },
    handler: async (_req, reply) => reply.status(200).send({ ok: true, n: 1 }),
  }),
];

describe('every answer is checked against the schema its route declares (on in the test suite)', () => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie('sqlite');
  });
  afterAll(async () => t.drop());

  it('is on for the whole suite, through vitest.config.ts', () => {
    expect(process.env.VIGIE_CHECK_RESPONSES).toBe('1');
  });

  it('lets a conforming answer through and turns a non-conforming one or an undeclared status into a 500 naming the route', async () => {
    const app = await buildApp(t.ctx, { extraRoutes: routes, logLevel: 'silent' });
    try {
      expect((await app.inject({ url: '/api/v1/test/good' })).json()).toEqual({ ok: true, n: 1 });
      const bad = await app.inject({ url: '/api/v1/test/bad' });
      expect(bad.statusCode).toBe(500);
      const undeclared = await app.inject({ url: '/api/v1/test/undeclared' });
      expect(undeclared.statusCode).toBe(500);
    } finally {
      await app.close();
    }
  });

  it('is off when asked (production default)', async () => {
    const app = await buildApp(t.ctx, { extraRoutes: routes, logLevel: 'silent', checkResponses: false });
    try {
      expect((await app.inject({ url: '/api/v1/test/bad' })).json()).toEqual({ ok: true, n: 1.5 });
    } finally {
      await app.close();
    }
  });
});
