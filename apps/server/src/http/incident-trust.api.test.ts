import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, POINTS, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface ProblemJson { status: number; code: string; title: string; errors?: { field: string; message: string }[] }

describe.each(ENGINES)('classified content over HTTP on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let bfaAnalyst: Client;
  let mliReporter: Client;
  let mliLowAnalyst: Client;
  let mliAnalyst: Client;
  let mliAnalystId: string;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const users = {
      bfaAnalyst: await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 }),
      mliReporter: await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 }),
      mliLowAnalyst: await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 }),
      mliAnalyst: await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 }),
    };
    mliAnalystId = users.mliAnalyst.userId ?? '';
    bfaAnalyst = await signIn(app, users.bfaAnalyst.login, users.bfaAnalyst.password);
    mliReporter = await signIn(app, users.mliReporter.login, users.mliReporter.password);
    mliLowAnalyst = await signIn(app, users.mliLowAnalyst.login, users.mliLowAnalyst.password);
    mliAnalyst = await signIn(app, users.mliAnalyst.login, users.mliAnalyst.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    return res.json() as ProblemJson;
  };

  it('gives a reader cleared 1 a placeholder for the secret versions of a record later lowered, and audits classified history reads', async () => {
    const body = newIncident({ state: 'BFA', classification: 'secret', narrative: 'Source HIBOU-7 : attaque au marché de Djibo' });
    expect((await bfaAnalyst.post('/api/v1/incidents', body)).statusCode).toBe(201);
    expect((await bfaAnalyst.post(`/api/v1/incidents/${body.id}/validate`, {})).statusCode).toBe(200);
    const lowered = await bfaAnalyst.patch(`/api/v1/incidents/${body.id}`, { version: 2, classification: 'restricted', narrative: 'Attaque au marché de Djibo', change_reason: 'expurgé' });
    expect(lowered.statusCode).toBe(200);

    const res = await mliReporter.get(`/api/v1/incidents/${body.id}/history`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(items.slice(0, 2)).toEqual([
      { version: 1, changed_at: expect.any(String), accessible: false },
      { version: 2, changed_at: expect.any(String), accessible: false },
    ]);
    expect(items[2]).toMatchObject({ version: 3, accessible: true, reason: 'expurgé', snapshot: { classification: 'restricted' } });
    expect(res.body).not.toContain('HIBOU');
    expect(res.body).not.toContain('secret');

    const audited = await t.ctx.engine.db.selectFrom('audit_events').select(['user_id', 'classification_level']).where('object_id', '=', body.id).where('action', '=', 'incident.history').execute();
    expect(audited).toEqual([]);
    expect((await bfaAnalyst.get(`/api/v1/incidents/${body.id}/history`)).statusCode).toBe(200);
    const afterCleared = await t.ctx.engine.db.selectFrom('audit_events').select(['classification_level']).where('object_id', '=', body.id).where('action', '=', 'incident.history').execute();
    expect(afterCleared).toEqual([{ classification_level: 3 }]);
  });

  it('refuses with 403 naming the field a change to a location protected above the editor, and keeps it protected', async () => {
    const exact = { latitude: 14.61, longitude: -4.02 };
    const rec = (await createIncident(t.ctx, SYSTEM, newIncident({ ...exact, place_name: 'Campement caché', exact_location_classification: 'secret' }), { reportingState: 'MLI', status: 'validated' })).incident;
    const seen = (await mliLowAnalyst.get(`/api/v1/incidents/${rec.id}`)).json() as { location_coarsened: boolean; place_name: string | null };
    expect(seen).toMatchObject({ location_coarsened: true, place_name: null });
    const lift = await mliLowAnalyst.patch(`/api/v1/incidents/${rec.id}`, { version: 1, exact_location_classification: null, change_reason: 'je veux voir' });
    expect(lift.statusCode).toBe(403);
    expect(problem(lift)).toMatchObject({ code: 'forbidden', errors: [{ field: 'exact_location_classification' }] });
    const move = await mliLowAnalyst.patch(`/api/v1/incidents/${rec.id}`, { version: 1, latitude: 14.7 });
    expect(problem(move)).toMatchObject({ status: 403, errors: [{ field: 'latitude' }] });
    const after = (await mliLowAnalyst.get(`/api/v1/incidents/${rec.id}`)).json() as { version: number; location_coarsened: boolean; latitude: number };
    expect(after).toMatchObject({ version: 1, location_coarsened: true });
    expect(after.latitude).not.toBe(exact.latitude);
  });

  it('refuses a classification above the editor’s clearance (403) and a lowering without a reason (422), naming the field', async () => {
    const body = newIncident({ classification: 'confidential', status: 'submitted' });
    expect((await mliAnalyst.post('/api/v1/incidents', body)).statusCode).toBe(201);
    const above = await mliAnalyst.patch(`/api/v1/incidents/${body.id}`, { version: 1, classification: 'secret' });
    expect(above.statusCode).toBe(403);
    expect(problem(above).errors?.map((e) => e.field)).toEqual(['classification']);
    const noReason = await mliAnalyst.patch(`/api/v1/incidents/${body.id}`, { version: 1, classification: 'restricted' });
    expect(noReason.statusCode).toBe(422);
    expect(problem(noReason)).toMatchObject({ code: 'reason_required', title: 'Motif requis', errors: [{ field: 'change_reason' }] });
    const ok = await mliAnalyst.patch(`/api/v1/incidents/${body.id}`, { version: 1, classification: 'restricted', change_reason: 'source retirée' });
    expect(ok.statusCode).toBe(200);
    const history = (await mliAnalyst.get(`/api/v1/incidents/${body.id}/history`)).json() as { items: { reason?: string | null }[] };
    expect(history.items.at(-1)?.reason).toBe('source retirée');
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select(['user_id', 'details']).where('object_id', '=', body.id).where('action', '=', 'incident.update').executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(mliAnalystId);
    expect(JSON.parse(audit.details)).toMatchObject({ reason: 'source retirée' });
  });

  it('refuses an MLI record filed under a Niger region or placed in Niger (422 naming the field)', async () => {
    const niger = await mliReporter.post('/api/v1/incidents', newIncident({ admin1_code: 'NE006' }));
    expect(niger.statusCode).toBe(422);
    expect(problem(niger)).toMatchObject({ code: 'location_mismatch', errors: [{ field: 'admin1_code' }] });
    const inNiger = await mliReporter.post('/api/v1/incidents', newIncident({ ...POINTS.NER }));
    expect(inNiger.statusCode).toBe(422);
    expect(problem(inNiger).errors?.map((e) => e.field)).toEqual(['latitude', 'longitude']);
  });

  it('explains bad input in French and in English: what was expected, what was received, dates from 1989', async () => {
    const bad = { ...newIncident(), latitude: '14', longitude: 200, occurred_start: '1800-01-01T00:00:00Z', injured: 'trois' };
    const fr = await mliReporter.request({ method: 'POST', url: '/api/v1/incidents', payload: bad, headers: { 'accept-language': 'fr' } });
    expect(fr.statusCode).toBe(400);
    const frErrors = Object.fromEntries((problem(fr).errors ?? []).map((e) => [e.field, e.message]));
    expect(frErrors).toEqual({
      latitude: 'nombre attendu, texte reçu', longitude: 'doit être au plus 180', injured: 'nombre attendu, texte reçu',
      occurred_start: 'La date de début doit être le 1er janvier 1989 ou après',
    });
    const en = await mliReporter.request({ method: 'POST', url: '/api/v1/incidents', payload: bad, headers: { 'accept-language': 'en' } });
    const enErrors = Object.fromEntries((problem(en).errors ?? []).map((e) => [e.field, e.message]));
    expect(enErrors).toEqual({
      latitude: 'number expected, text received', longitude: 'must be at most 180', injured: 'number expected, text received',
      occurred_start: 'The start date must be on or after 1 January 1989',
    });
    expect(fr.body + en.body).not.toMatch(/ind[ée]fini|undefined|<=|Trop grand|Too big/);
    const year0 = await mliReporter.patch(`/api/v1/incidents/${newIncident().id}`, { version: 1, occurred_start: '0000-01-01T00:00:00Z' });
    expect(problem(year0).errors).toEqual([{ field: 'occurred_start', message: 'La date de début doit être le 1er janvier 1989 ou après' }]);
  });
});
