import * as OTPAuth from 'otpauth';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../services/accounts/auth.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

describe.each(ENGINES)('HTTP API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporter: Client;
  let analyst: Client;
  let reporterLogin: string;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const r = await newUser(t.ctx, { org: 'NER', role: 'reporter', clearance: 1 });
    const a = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    reporterLogin = r.login;
    reporter = await signIn(app, r.login, r.password);
    analyst = await signIn(app, a.login, a.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const count = async () => Number((await t.ctx.engine.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers health and serves an OpenAPI 3.1 document generated from the schemas', async () => {
    expect((await app.inject({ url: '/api/v1/health' })).json()).toMatchObject({ status: 'ok', engine: kind });
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/api/v1/incidents']?.post;
    expect(Object.keys(post?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'occurred_start', 'latitude', 'event_type', 'sub_event_type', 'fatalities_best', 'sources', 'classification', 'sharing_scope']),
    );
    expect(doc.paths['/api/v1/incidents/{id}/history']).toBeDefined();
  });

  it('refuses anonymous callers and wrong passwords with problem+json', async () => {
    const anon = await app.inject({ url: '/api/v1/incidents' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toContain('application/problem+json');
    expect(anon.json()).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Authentification requise' });
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: reporterLogin, password: 'faux' }, headers: { 'accept-language': 'en' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials', title: 'Wrong login or password' });
  });

  it('slows password guessing on one account: the 11th attempt in a minute is refused', async () => {
    const target = await newUser(t.ctx, { org: 'NER', role: 'reporter' });
    const attempt = () => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: target.login, password: 'devinette' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    // Another account from the same address is not locked out.
    await signIn(app, reporterLogin, 'mot-de-passe-solide-123');
  });

  it('creates idempotently over HTTP: 201, then 200 for the same body, 409 for other content', async () => {
    const body = newIncident({ state: 'NER' });
    const first = await reporter.post('/api/v1/incidents', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ id: body.id, reporting_state: 'NER', admin1_code: 'NE006', version: 1 });
    const again = await reporter.post('/api/v1/incidents', body);
    expect(again.statusCode).toBe(200);
    const other = await reporter.post('/api/v1/incidents', { ...body, injured: 7 });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('id_conflict');
    const list = (await analyst.get('/api/v1/incidents?states=NER&status=submitted')).json() as { items: { id: string }[] };
    expect(list.items.filter((i) => i.id === body.id)).toHaveLength(1);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/incidents', payload: newIncident({ state: 'NER' }), headers: { cookie: reporter.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('rejects bad input with a clear message naming the field, and writes nothing', async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{ ...newIncident({ state: 'NER' }), latitude: 'abc' }, 'latitude'],
      [{ ...newIncident({ state: 'NER' }), latitude: 95 }, 'latitude'],
      [{ ...newIncident({ state: 'NER' }), event_type: 'bataille' }, 'event_type'],
      [{ ...newIncident({ state: 'NER' }), occurred_start: '2025-02-30T10:00:00Z' }, 'occurred_start'],
      [{ ...newIncident({ state: 'NER' }), sources: [{ name: 'x', kind: 'media', reliability: 'G', credibility: 2 }] }, 'sources.0.reliability'],
      [{ ...newIncident({ state: 'NER' }), fatalities_best: -1 }, 'fatalities_best'],
      [{ ...newIncident({ state: 'NER' }), suspect_name: 'X' }, 'suspect_name'],
      [{ ...newIncident({ state: 'NER' }), id: 'not-a-uuid' }, 'id'],
    ];
    for (const [body, field] of cases) {
      const res = await reporter.post('/api/v1/incidents', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const malformed = await reporter.request({ method: 'POST', url: '/api/v1/incidents', payload: '{"id": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_json');
    const huge = await reporter.post('/api/v1/incidents', { ...newIncident({ state: 'NER' }), narrative: 'x'.repeat(1_100_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('payload_too_large');
    expect(await count()).toBe(before);
  });

  it('stores text that looks like SQL or HTML verbatim and returns it as JSON data', async () => {
    const narrative = `'); DROP TABLE incidents; -- <script>alert("x")</script> & <img src=x onerror=alert(1)>`;
    const body = newIncident({ state: 'NER', narrative, place_name: "Village d'<b>essai</b>" });
    expect((await reporter.post('/api/v1/incidents', body)).statusCode).toBe(201);
    const res = await reporter.get(`/api/v1/incidents/${body.id}`);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ narrative, place_name: "Village d'<b>essai</b>" });
    expect(await count()).toBeGreaterThan(0);
  });

  it('edits with optimistic concurrency over HTTP and reports the current version on conflict', async () => {
    const body = newIncident({ state: 'NER' });
    await analyst.post('/api/v1/incidents', body);
    const ok = await analyst.patch(`/api/v1/incidents/${body.id}`, { version: 1, injured: 3, change_reason: 'correction' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await analyst.patch(`/api/v1/incidents/${body.id}`, { version: 1, injured: 4 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current_version: 2 });
    const history = (await analyst.get(`/api/v1/incidents/${body.id}/history`)).json() as { items: { version: number; changed_fields: string[] }[] };
    expect(history.items.map((v) => v.version)).toEqual([1, 2]);
    expect(history.items[1]?.changed_fields).toEqual(['injured']);
    const validated = await analyst.post(`/api/v1/incidents/${body.id}/validate`, {});
    expect(validated.json().status).toBe('validated');
    const twice = await analyst.post(`/api/v1/incidents/${body.id}/validate`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ status: 409, code: 'invalid_transition', current_status: 'validated' });
    const rejected = await analyst.post(`/api/v1/incidents/${body.id}/reject`, {});
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().errors[0].field).toBe('reason');
  });

  it('accepts API tokens until they are revoked', async () => {
    const { id, token } = await createApiToken(t.ctx, SYSTEM, reporterLogin, 'poste');
    const ok = await app.inject({ url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    const stored = await t.ctx.engine.db.selectFrom('api_tokens').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(6));
    await revokeApiToken(t.ctx, SYSTEM, id);
    expect((await app.inject({ url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('makes an admin enrol a TOTP second factor, then requires it at sign-in', async () => {
    const admin = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
    const c = await signIn(app, admin.login, admin.password);
    expect((await c.get('/api/v1/auth/me')).json().totp_enrollment_required).toBe(true);
    expect((await c.get('/api/v1/users')).json().code).toBe('totp_enrollment_required');
    const { secret } = (await c.post('/api/v1/auth/totp/setup')).json() as { secret: string };
    const code = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    expect((await c.post('/api/v1/auth/totp/confirm', { code: '000000' === code() ? '111111' : '000000' })).statusCode).toBe(401);
    expect((await c.post('/api/v1/auth/totp/confirm', { code: code() })).statusCode).toBe(200);
    expect((await c.get('/api/v1/users')).statusCode).toBe(200);
    const noCode = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: admin.login, password: admin.password } });
    expect(noCode.json().code).toBe('totp_required');
    // The confirming code is used up: sign in with the next time-step's code (accepted within one step of drift).
    await signIn(app, admin.login, admin.password, new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + 30_000 }));
  });

  it('lets a focal point manage the users of its own state only, within its clearance', async () => {
    const fp = await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 2 });
    const c = await signIn(app, fp.login, fp.password);
    const created = await c.post('/api/v1/users', { login: 'analyste.ner.nouveau', organisation: 'NER', role: 'analyst', clearance: 2 });
    expect(created.statusCode).toBe(201);
    expect(created.json().password).toHaveLength(20);
    expect((await c.post('/api/v1/users', { login: 'intrus.mli', organisation: 'MLI', role: 'analyst', clearance: 1 })).statusCode).toBe(403);
    expect((await c.post('/api/v1/users', { login: 'trop.haut', organisation: 'NER', role: 'analyst', clearance: 3 })).statusCode).toBe(403);
    expect((await c.post('/api/v1/users', { login: 'Bad Login!', organisation: 'NER', role: 'analyst', clearance: 1 })).json().errors[0].field).toBe('login');
  });
});
