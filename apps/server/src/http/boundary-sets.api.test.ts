import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplacementJob, startReplacementJob } from '../services/geography/replacement-job.service.js';
import { refuseUpdates } from '../test-support/failing-writes.js';
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

  it('shows a failed job with its error, and lets a reference manager retry it to its end (audited)', async () => {
    await t.ctx.engine.db.updateTable('incidents').set({ admin1_code: 'ML08', admin2_code: null }).execute();
    const job = await startReplacementJob(t.ctx, SYSTEM, 'import en échec');
    const allow = await refuseUpdates(t.ctx.engine, 'incidents', 'espace disque insuffisant');
    await runReplacementJob(t.ctx, SYSTEM, job.id, { log: () => undefined });
    const failed = (await admin.get('/api/v1/gazetteer/jobs')).json() as { items: { id: string; status: string; error: string | null }[] };
    const listed = failed.items.find((j) => j.id === job.id)!;
    expect(listed.status).toBe('failed');
    expect(listed.error).toContain('espace disque insuffisant');
    expect(listed.error).not.toMatch(/\n|\.ts:\d+/);
    expect((await analyst.post(`/api/v1/gazetteer/jobs/${job.id}/retry`)).statusCode).toBe(403);
    await allow();

    const retry = await admin.post(`/api/v1/gazetteer/jobs/${job.id}/retry`);
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toMatchObject({ id: job.id, status: 'running', error: null });
    // It runs after the answer: its progress is read back until it ends.
    let status = 'running';
    for (let i = 0; i < 200 && status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = ((await admin.get(`/api/v1/gazetteer/jobs/${job.id}`)).json() as { status: string }).status;
    }
    expect((await admin.get(`/api/v1/gazetteer/jobs/${job.id}`)).json()).toMatchObject({ status: 'done', done: 3, total: 3, moved: 3, error: null });
    const again = await admin.post(`/api/v1/gazetteer/jobs/${job.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect((await admin.post('/api/v1/gazetteer/jobs/inconnue/retry')).statusCode).toBe(404);
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select('details').where('action', '=', 'gazetteer.reassign').where('object_id', '=', job.id).orderBy('seq').execute();
    expect(audit.map((a) => (JSON.parse(String(a.details)) as { phase: string }).phase)).toEqual(['started', 'failed', 'retried', 'done']);
  });

  it('says where an incident was placed and in which boundary set, to readers who may see it', async () => {
    const inc = (await analyst.get('/api/v1/incidents?limit=1')).json() as { items: { id: string; admin1_code: string }[] };
    const id = inc.items[0]!.id;
    const res = await analyst.get(`/api/v1/incidents/${id}/placement`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      method: 'polygon',
      current: { set: { code: 'mli-ocha-cod-2015', valid_to: null }, admin1: { code: inc.items[0]!.admin1_code } },
      at_date: { set: { code: 'mli-ocha-cod-2015' }, admin1: { code: inc.items[0]!.admin1_code } },
    });
    const other = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 0 });
    const stranger = await signIn(app, other.login, other.password);
    expect((await stranger.get(`/api/v1/incidents/${id}/placement`)).statusCode).toBe(404);
  });
});
