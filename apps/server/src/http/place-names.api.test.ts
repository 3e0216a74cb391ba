import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp } from '../test-support/http.js';

describe.each(ENGINES)('GET /api/v1/places/nearest (%s)', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  beforeEach(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  it('names a map cluster by its state and admin-1 area, and refuses a malformed point naming the field', async () => {
    const u = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    const c = await signIn(app, u.login, u.password);
    // Centres of cells in Mopti (Mali) and Tillabéri (Niger), and one in the Atlantic.
    const res = await c.get('/api/v1/places/nearest?points=14.5,-4.2;14.2,1.45;10,-30');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { state: string | null; admin1: { name_fr: string } | null }[] }).items;
    expect(items.map((i) => i.state)).toEqual(['MLI', 'NER', null]);
    expect(items[0]?.admin1?.name_fr).toBe('Mopti');
    expect(items[1]?.admin1?.name_fr).toBe('Tillabéri');
    expect(items[2]?.admin1).toBeNull();
    for (const bad of ['14.5', '14.5,-4.2,3', 'nord,sud', '95,0', '']) {
      const r = await c.get(`/api/v1/places/nearest?points=${encodeURIComponent(bad)}`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.json()), bad).toContain('"points"');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/places/nearest?points=14.5,-4.2' })).statusCode).toBe(401);
  });
});
