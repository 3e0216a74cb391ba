import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';
import { openAlertStream as openStream } from '../test-support/sse.js';
import { importIncidents } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';

describe.each(ENGINES)('alerts API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let port: number;
  let mli: Client;
  let ner: Client;
  let nerLow: Client;
  let conf: Client;
  let minister: Client;
  let visibleId: string;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    const users = {
      mli: await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 }),
      ner: await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 }),
      nerLow: await newUser(t.ctx, { org: 'NER', role: 'decision_maker', clearance: 0 }),
      conf: await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 }),
      minister: await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 }),
    };
    mli = await signIn(app, users.mli.login, users.mli.password);
    ner = await signIn(app, users.ner.login, users.ner.password);
    nerLow = await signIn(app, users.nerLow.login, users.nerLow.password);
    conf = await signIn(app, users.conf.login, users.conf.password);
    minister = await signIn(app, users.minister.login, users.minister.password);
    const incident = newIncident({ state: 'MLI', classification: 'restricted', sharing_scope: 'confederation' });
    visibleId = incident.id;
    await importIncidents(t.ctx, SYSTEM, [{ input: incident, options: { status: 'validated', reportingState: 'MLI' } }]);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('raises a flash alert, lists it, reads it with its evidence, and runs the lifecycle over HTTP', async () => {
    const res = await mli.post('/api/v1/alerts', { title: 'Attaque contre un convoi', areas: ['ML05'], incident_ids: [visibleId], severity: 'high' });
    expect(res.statusCode).toBe(201);
    const alert = res.json() as { id: string; status: string; classification: string; states: { state: string }[] };
    expect(alert).toMatchObject({ status: 'issued', classification: 'restricted', states: [{ state: 'MLI' }] });
    expect(res.headers.location).toBe(`/api/v1/alerts/${alert.id}`);

    const list = (await minister.get('/api/v1/alerts?open=true')).json() as { items: { id: string }[]; total: number };
    expect(list.items.map((a) => a.id)).toContain(alert.id);
    // The clearance-0 reader does not see an alert about restricted incidents.
    expect((await nerLow.get(`/api/v1/alerts/${alert.id}`)).statusCode).toBe(404);
    const evidence = (await conf.get(`/api/v1/alerts/${alert.id}/evidence`)).json() as { items: { id: string; latitude: number }[] };
    expect(evidence.items.map((e) => e.id)).toEqual([visibleId]);
    expect((await minister.get(`/api/v1/alerts/${alert.id}/evidence`)).statusCode).toBe(403);

    expect((await minister.post(`/api/v1/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(403);
    expect((await ner.post(`/api/v1/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(403);
    const ack = await mli.post(`/api/v1/alerts/${alert.id}/acknowledge`, { note: 'Pris en compte' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    const bad = await conf.post(`/api/v1/alerts/${alert.id}/respond`, { text: 'Renforts', link: 'pas une adresse' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await conf.post(`/api/v1/alerts/${alert.id}/respond`, { text: 'Renforts envoyés à Boni' })).json()).toMatchObject({ status: 'responded' });
    expect((await conf.post(`/api/v1/alerts/${alert.id}/close`, { note: 'Clos' })).json()).toMatchObject({ status: 'closed' });
    const again = await conf.post(`/api/v1/alerts/${alert.id}/close`, {});
    expect(again.statusCode, again.body).toBe(409);
  });

  it('documents the alert and forecast routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const p of ['/api/v1/alerts', '/api/v1/alerts/stream', '/api/v1/alerts/{id}', '/api/v1/alerts/{id}/evidence', '/api/v1/alerts/{id}/acknowledge', '/api/v1/alerts/{id}/respond', '/api/v1/alerts/{id}/close', '/api/v1/forecast']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/api/v1/alerts/stream'])).toContain('text/event-stream');
  });

  it('refuses alert runs to analysts and lets the confederation staff run the rules', async () => {
    expect((await mli.post('/api/v1/alerts/run')).statusCode).toBe(403);
    const run = await conf.post('/api/v1/alerts/run');
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ issued: expect.any(Number), weeks: expect.any(Array) });
  });

  it('streams alerts live (server-sent events) only to signed-in readers who may see them', async () => {
    const anonymous = await new Promise<number>((resolve) => http.get({ host: '127.0.0.1', port, path: '/api/v1/alerts/stream' }, (r) => { resolve(r.statusCode ?? 0); r.resume(); }));
    expect(anonymous).toBe(401);
    const forMinister = await openStream(port, minister.cookie);
    const forNer = await openStream(port, ner.cookie);
    const forLow = await openStream(port, nerLow.cookie);
    try {
      expect(forMinister.status).toBe(200);
      expect(forMinister.type).toContain('text/event-stream');
      // A national Niger alert: Niger's analyst gets it, Mali's minister does not.
      const national = (await ner.post('/api/v1/alerts', { title: 'Alerte nationale Tillabéri', areas: ['NE006'], sharing_scope: 'national' })).json() as { id: string };
      const first = await forNer.next();
      expect(first).toMatchObject({ event: 'alert.issued', data: { id: national.id, status: 'issued' } });
      // A public confederation-wide alert reaches everyone, the clearance-0 reader included.
      const shared = (await mli.post('/api/v1/alerts', { title: 'Alerte partagée', areas: ['ML05'], classification: 'public' })).json() as { id: string };
      const seen = await forMinister.next();
      expect(seen).toMatchObject({ event: 'alert.issued', data: { id: shared.id } }); // the national one was never sent here
      expect((await forLow.next()).data.id).toBe(shared.id);
      expect((await forNer.next()).data.id).toBe(shared.id);
      await mli.post(`/api/v1/alerts/${shared.id}/acknowledge`, {});
      expect(await forMinister.next()).toMatchObject({ event: 'alert.acknowledged', data: { id: shared.id, status: 'acknowledged' } });
      await conf.post(`/api/v1/alerts/${shared.id}/close`, {});
      expect(await forLow.next()).toMatchObject({ event: 'alert.acknowledged' });
      expect(await forLow.next()).toMatchObject({ event: 'alert.closed', data: { status: 'closed' } });
      // After signing out, the stream ends at the next change.
      const ended = new Promise<void>((resolve) => forMinister.onEnd(resolve));
      await minister.post('/api/v1/auth/logout');
      await mli.post('/api/v1/alerts', { title: 'Après la déconnexion', areas: ['ML05'], classification: 'public' });
      await ended;
    } finally {
      forMinister.close();
      forNer.close();
      forLow.close();
    }
  });
  it('tells a live reader, by id only, that an alert re-classified above their clearance is gone, and nobody who never saw it', async () => {
    const forLow = await openStream<{ id: string; origin_node?: string | null }>(port, nerLow.cookie);
    const forNer = await openStream<{ id: string; origin_node?: string | null }>(port, ner.cookie);
    const forMli = await openStream<{ id: string; origin_node?: string | null }>(port, mli.cookie);
    try {
      // Public and shared: all three see it; raised to restricted, Niger's clearance-0 reader may no longer.
      const shared = (await mli.post('/api/v1/alerts', { title: 'Alerte reclassée', areas: ['ML05'], classification: 'public' })).json() as { id: string };
      for (const s of [forLow, forNer, forMli]) expect((await s.next()).data.id).toBe(shared.id);
      expect((await mli.patch(`/api/v1/alerts/${shared.id}`, { classification: 'restricted' })).statusCode).toBe(200);
      expect(await forLow.next()).toEqual({ event: 'alert.withdrawn', data: { id: shared.id, origin_node: null } });
      expect(await forNer.next()).toMatchObject({ event: 'alert.updated', data: { id: shared.id, classification: 'restricted' } });
      expect(await forMli.next()).toMatchObject({ event: 'alert.updated', data: { id: shared.id } });
      // A national Niger alert raised above the low reader: Mali's analyst, who never saw it, hears nothing of it.
      const national = (await ner.post('/api/v1/alerts', { title: 'Alerte nationale reclassée', areas: ['NE006'], sharing_scope: 'national', classification: 'public' })).json() as { id: string };
      expect((await forLow.next()).data.id).toBe(national.id);
      expect((await forNer.next()).data.id).toBe(national.id);
      expect((await ner.patch(`/api/v1/alerts/${national.id}`, { classification: 'confidential' })).statusCode).toBe(200);
      expect(await forLow.next()).toEqual({ event: 'alert.withdrawn', data: { id: national.id, origin_node: null } });
      expect(await forNer.next()).toMatchObject({ event: 'alert.updated', data: { id: national.id } });
      // The next thing Mali's stream carries is the next alert it may see, not the Niger one's withdrawal.
      const marker = (await mli.post('/api/v1/alerts', { title: 'Marqueur', areas: ['ML05'], classification: 'public' })).json() as { id: string };
      expect(await forMli.next()).toMatchObject({ event: 'alert.issued', data: { id: marker.id } });
      // The low reader is no longer told anything of the re-classified alert's later changes either.
      expect(await forLow.next()).toMatchObject({ event: 'alert.issued', data: { id: marker.id } });
      await mli.post(`/api/v1/alerts/${shared.id}/acknowledge`, {});
      const after = (await mli.post('/api/v1/alerts', { title: 'Marqueur suivant', areas: ['ML05'], classification: 'public' })).json() as { id: string };
      expect(await forLow.next()).toMatchObject({ event: 'alert.issued', data: { id: after.id } });
    } finally {
      forLow.close();
      forNer.close();
      forMli.close();
    }
  });

  it('lets one user hold five live streams, answers the sixth 429 problem+json in French, and frees a slot when a stream closes', async () => {
    const user = await newUser(t.ctx, { org: 'NER', role: 'decision_maker', clearance: 1 });
    const client = await signIn(app, user.login, user.password);
    const listeners = t.ctx.events.listenerCount('alert.changed');
    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await openStream(port, client.cookie));
    try {
      expect(streams.map((x) => x.status)).toEqual([200, 200, 200, 200, 200]);
      // One listener on the event bus for all of them (no MaxListenersExceededWarning however many readers).
      expect(t.ctx.events.listenerCount('alert.changed')).toBeLessThanOrEqual(Math.max(listeners, 1));
      const refused = await client.get('/api/v1/alerts/stream');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'rate_limited', title: 'Trop de requêtes', max_streams: 5 });
      // Another user is not affected.
      const other = await openStream(port, ner.cookie);
      expect(other.status).toBe(200);
      other.close();
      // Closing a stream frees its slot (the server sees the close shortly after).
      streams.pop()?.close();
      await vi.waitFor(async () => {
        const again = await openStream(port, client.cookie);
        if (again.status !== 200) throw new Error(`still ${again.status}`);
        streams.push(again);
      });
    } finally {
      for (const x of streams) x.close();
    }
  });

  it('forecasts next month per admin-1 area from the incidents the reader may see (GET /api/v1/forecast)', async () => {
    const items = [];
    for (let m = 1; m <= 10; m++) {
      const month = `2025-${String(m).padStart(2, '0')}`;
      items.push(newIncident({ state: 'MLI', occurred_start: `${month}-10T08:00:00Z`, fatalities_best: 5, civilian_fatalities: 1, classification: 'restricted', sharing_scope: 'confederation' }));
    }
    // A secret massacre in October: only cleared readers' forecasts may rest on it.
    items.push(newIncident({ state: 'MLI', occurred_start: '2025-10-20T08:00:00Z', fatalities_best: 900, civilian_fatalities: 0, classification: 'secret', sharing_scope: 'confederation' }));
    await importIncidents(t.ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })));
    const m = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    const reader = await signIn(app, m.login, m.password);
    const forConf = (await conf.get('/api/v1/forecast?month=2025-11')).json() as { month: string; areas: { admin1_code: string; last_month: number; fatalities: number }[] };
    const forMinister = (await reader.get('/api/v1/forecast?month=2025-11')).json() as typeof forConf;
    expect(forConf.month).toBe('2025-11');
    expect(forConf.areas.find((a) => a.admin1_code === 'ML05')?.last_month).toBe(905);
    expect(forMinister.areas.find((a) => a.admin1_code === 'ML05')?.last_month).toBe(5);
    expect(forMinister.areas.find((a) => a.admin1_code === 'ML05')?.fatalities).toBeGreaterThan(0);
    expect((await reader.get('/api/v1/forecast?month=2025-13')).statusCode).toBe(400);
  });
});
