import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEventSchema } from '@vigie/domain';
import { createIncident } from '../services/incidents/incident.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp } from '../test-support/http.js';

describe.each(ENGINES)('GET /api/v1/audit (%s)', (kind) => {
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

  it('pages the filtered trail with a keyset cursor, each entry as declared', async () => {
    const reporter = await newUser(t.ctx, { org: 'BFA', role: 'reporter', clearance: 3 });
    for (let i = 0; i < 5; i++) await createIncident(t.ctx, reporter, newIncident({ state: 'BFA' }));
    const focal = await newUser(t.ctx, { org: 'BFA', role: 'focal_point', clearance: 3 });
    const c = await signIn(app, focal.login, focal.password);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await c.get(`/api/v1/audit?user=${reporter.login}&action=incident.create&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: unknown[]; next_cursor: string | null };
      for (const item of body.items) seen.push(auditEventSchema.parse(item).seq);
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const today = new Date().toISOString().slice(0, 10);
    const period = await c.get(`/api/v1/audit?action=incident.create&from=${today}&to=${today}`);
    expect((period.json() as { items: unknown[] }).items).toHaveLength(5);
  });

  it('answers a bad filter with problem+json naming the field, and refuses roles without audit.read', async () => {
    const focal = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 2 });
    const c = await signIn(app, focal.login, focal.password);
    for (const [query, field] of [['from=hier', 'from'], ['cursor=abc', 'cursor'], ['action=DROP%20TABLE', 'action'], ['object_type=x%3B', 'object_type'], ['from=2026-03-02&to=2026-03-01', 'to'], ['colour=red', '']] as const) {
      const res = await c.get(`/api/v1/audit?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (field) expect(JSON.stringify(res.json()), query).toContain(`"${field}"`);
    }
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    const a = await signIn(app, analyst.login, analyst.password);
    expect((await a.get('/api/v1/audit')).statusCode).toBe(403);
  });
});
