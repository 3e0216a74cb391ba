import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplacementJob, startReplacementJob } from '../services/geography/replacement-job.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';
import { createIncident } from '../services/incidents/incident.service.js';

const totpOf = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });

describe.each(ENGINES)('boundary sets over the API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  let admin: Client;
  let jobId: string;
  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const a = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    const m = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
    analyst = await signIn(app, a.login, a.password);
    admin = await signIn(app, m.login, m.password);
    // Administrators enrol a second factor before anything else.
    const { secret } = (await admin.post('/api/v1/auth/totp/setup')).json() as { secret: string };
    expect((await admin.post('/api/v1/auth/totp/confirm', { code: totpOf(secret).generate() })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) await createIncident(t.ctx, a, newIncident());
    const job = await startReplacementJob(t.ctx, SYSTEM, 'api test');
    jobId = job.id;
    await runReplacementJob(t.ctx, SYSTEM, jobId, { batchSize: 2, maxBatches: 1 });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('says which boundary sets the figures by area use', async () => {
    const res = await analyst.get('/api/v1/aggregates?group_by=admin1&states=MLI');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { boundary_frame: { sets: { code: string; name_fr: string }[] } };
    expect(body.boundary_frame.sets).toEqual([expect.objectContaining({ code: 'mli-ocha-cod-2015', name_fr: 'Mali — cercles OCHA 2015, régions 2021' })]);
    const all = (await analyst.get('/api/v1/aggregates?group_by=state')).json() as typeof body;
    expect(all.boundary_frame.sets.map((s) => s.code)).toEqual(['mli-ocha-cod-2015', 'bfa-geoboundaries-wb-2017', 'ner-ocha-rowca-wca']);
  });

  it('lists the sets with their validity', async () => {
    const res = await analyst.get('/api/v1/boundary-sets?state=MLI');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sets: [{ code: 'mli-ocha-cod-2015', valid_from: null, valid_to: null }], crosswalk: [] });
    expect((await analyst.get('/api/v1/boundary-sets?state=mali')).statusCode).toBe(400);
  });

  it('shows a re-placement job’s progress to reference managers only', async () => {
    const res = await admin.get(`/api/v1/gazetteer/jobs/${jobId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: jobId, status: 'running', done: 2, reason: 'api test' });
    expect((await admin.get('/api/v1/gazetteer/jobs')).json()).toMatchObject({ items: [{ id: jobId }] });
    expect((await analyst.get(`/api/v1/gazetteer/jobs/${jobId}`)).statusCode).toBe(403);
    expect((await admin.get('/api/v1/gazetteer/jobs/unknown')).statusCode).toBe(404);
  });
});
