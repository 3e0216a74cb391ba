import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface ProblemJson { status: number; code: string; errors?: { field: string; message: string }[] }

describe.each(ENGINES)('merging over HTTP on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporter: Client;
  let analyst: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const r = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 2 });
    const a = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    reporter = await signIn(app, r.login, r.password);
    analyst = await signIn(app, a.login, a.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const problem = (res: { headers: Record<string, unknown>; json(): unknown }) => {
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    return res.json() as ProblemJson;
  };

  it('previews, merges once however often it is sent, refuses bad choices naming the field, and undoes', async () => {
    const kept = newIncident({ fatalities_best: 11, civilian_fatalities: 11 });
    const dup = newIncident({ fatalities_best: 0, civilian_fatalities: 0, narrative: 'Autre témoignage.' });
    for (const b of [kept, dup]) expect((await reporter.post('/api/v1/incidents', b)).statusCode).toBe(201);

    const bad = await analyst.post(`/api/v1/incidents/${dup.id}/merge`, { into: kept.id, choices: { fatalities_best: 'mine' } });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).errors?.map((e) => e.field)).toEqual(['choices.fatalities_best']);
    const clash = await analyst.post(`/api/v1/incidents/${dup.id}/merge`, { into: kept.id, choices: { fatalities_best: 'this', civilian_fatalities: 'into' } });
    expect(clash.statusCode).toBe(400);
    expect(problem(clash).errors?.map((e) => e.field)).toEqual(['choices.civilian_fatalities']);

    const preview = await analyst.post(`/api/v1/incidents/${dup.id}/merge/preview`, { into: kept.id });
    expect(preview.statusCode).toBe(200);
    expect((preview.json() as { result: { fatalities_best: number } }).result.fatalities_best).toBe(11);

    const body = { into: kept.id, version: 1, into_version: 1, comment: 'Même attaque' };
    const first = await analyst.post(`/api/v1/incidents/${dup.id}/merge`, body);
    const again = await analyst.post(`/api/v1/incidents/${dup.id}/merge`, body);
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(again.json()).toMatchObject({ status: 'merged', merged_into: kept.id, version: 2 });
    const audits = await t.ctx.engine.db.selectFrom('audit_events').select('action').where('object_id', 'in', [kept.id, dup.id]).where('action', 'in', ['incident.merge', 'incident.absorb']).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['incident.absorb', 'incident.merge']);

    const undo = await analyst.post(`/api/v1/incidents/${dup.id}/unmerge`, { version: 2 });
    expect(undo.statusCode).toBe(200);
    expect(undo.json()).toMatchObject({ status: 'submitted', merged_into: null });
    const stale = await analyst.post(`/api/v1/incidents/${kept.id}/unmerge`, {});
    expect(problem(stale).code).toBe('invalid_transition');
  });
});
