import { changesPageSchema } from '@vigie/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

describe.each(ENGINES)('GET /api/v1/changes (%s)', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const who = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    analyst = await signIn(app, who.login, who.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('follows what the analyst records, page by page, each answer as declared', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = newIncident();
      expect((await analyst.post('/api/v1/incidents', body)).statusCode).toBe(201);
      ids.push(body.id);
    }
    const seen: string[] = [];
    let since = 0;
    for (;;) {
      const res = await analyst.get(`/api/v1/changes?since=${since}&limit=2`);
      expect(res.statusCode, res.body).toBe(200);
      const page = changesPageSchema.parse(res.json());
      seen.push(...page.items.map((i) => i.id));
      since = page.next_since;
      if (page.caught_up) break;
    }
    expect(seen).toEqual(ids);
  });

  it('a long poll is answered when a record is created meanwhile', async () => {
    const { next_since } = changesPageSchema.parse((await analyst.get('/api/v1/changes?limit=1000')).json());
    const waiting = analyst.get(`/api/v1/changes?since=${next_since}&wait=60`);
    // The follower is waiting (listening for the next append) before the record is created.
    while (t.ctx.events.listenerCount('changes.appended') === 0) await new Promise((r) => setImmediate(r));
    const body = newIncident();
    expect((await analyst.post('/api/v1/incidents', body)).statusCode).toBe(201);
    const page = changesPageSchema.parse((await waiting).json());
    expect(page.items.map((i) => i.id)).toEqual([body.id]);
  });

  it('refuses bad paging naming the field, and answers nobody without a session', async () => {
    for (const [query, field] of [['since=-1', 'since'], ['limit=0', 'limit'], ['limit=5000', 'limit'], ['wait=600', 'wait'], ['since=abc', 'since'], ['other=1', 'other']]) {
      const res = await analyst.get(`/api/v1/changes?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(res.json()), query).toContain(field);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/changes' })).statusCode).toBe(401);
  });
});
