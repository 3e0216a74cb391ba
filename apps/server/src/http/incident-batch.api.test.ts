/**
 * POST /api/v1/incidents/batch, as the outbox uses it: each report is judged alone (one bad report never holds back
 * the others), a resent batch creates nothing twice, and two copies of one batch racing store each report once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface ItemResult { index: number; id: string | null; status: number; problem?: { code: string; title: string; errors?: { field: string; message: string }[] } }

describe.each(ENGINES)('sending several reports at once on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporter: Client;
  let staff: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const r = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const c = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2 });
    reporter = await signIn(app, r.login, r.password);
    staff = await signIn(app, c.login, c.password);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const report = (narrative: string) => ({ ...newIncident({ state: 'MLI', narrative }), status: 'submitted' as const });
  const send = async (client: Client, items: unknown[], lang = 'fr') => {
    const res = await client.post('/api/v1/incidents/batch', { items }, { 'accept-language': lang });
    return { status: res.statusCode, items: (res.json() as { items?: ItemResult[] }).items ?? [], body: res.json() as Record<string, unknown> };
  };
  const stored = async (ids: string[]) => (await t.ctx.engine.db.selectFrom('incidents').select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort();

  it('creates the good reports and answers each bad one with its own reason', async () => {
    const taken = report('Déjà reçu avec un autre contenu');
    expect((await reporter.post('/api/v1/incidents', taken)).statusCode).toBe(201);
    const good = [report('Premier rapport du lot'), report('Deuxième rapport du lot')];
    const { occurred_start: _missing, ...invalid } = report('Sans date');
    const secret = { ...report('Au-dessus de l’habilitation'), classification: 'secret' };
    const conflict = { ...taken, narrative: 'Autre contenu pour le même identifiant' };
    const res = await send(reporter, [good[0], invalid, conflict, secret, good[1]]);
    expect(res.status).toBe(200);
    expect(res.items.map((i) => [i.index, i.status])).toEqual([[0, 201], [1, 400], [2, 409], [3, 403], [4, 201]]);
    expect(res.items[1]?.problem?.errors?.map((e) => e.field)).toContain('occurred_start');
    expect(res.items[1]?.problem?.title).toBe('Données invalides');
    expect(res.items[2]?.problem?.code).toBe('id_conflict');
    expect(res.items[2]?.id).toBe(taken.id);
    expect(await stored([good[0]!.id, good[1]!.id, invalid.id, secret.id])).toEqual([good[0]!.id, good[1]!.id].sort());
    // The one that conflicted kept its first content.
    const kept = await reporter.get(`/api/v1/incidents/${taken.id}`);
    expect(kept.json()).toMatchObject({ narrative: 'Déjà reçu avec un autre contenu' });
    // Each created report has its history and its own audit entry, as a single create would.
    const history = await reporter.get(`/api/v1/incidents/${good[1]!.id}/history`);
    expect((history.json() as { items: { action: string }[] }).items.map((v) => v.action)).toEqual(['create']);
    const audits = await t.ctx.engine.db.selectFrom('audit_events').select('object_id').where('action', '=', 'incident.create').where('object_id', 'in', good.map((g) => g.id)).execute();
    expect(audits).toHaveLength(2);
  });

  it('answers 200 "already received" for every report of a batch sent again, and stores nothing twice', async () => {
    const items = [report('Renvoi A'), report('Renvoi B'), report('Renvoi C')];
    expect((await send(reporter, items)).items.map((i) => i.status)).toEqual([201, 201, 201]);
    expect((await send(reporter, items)).items.map((i) => i.status)).toEqual([200, 200, 200]);
    expect(await stored(items.map((i) => i.id))).toHaveLength(3);
  });

  it('stores once a report that appears twice in one batch', async () => {
    const one = report('Deux fois dans le lot');
    expect((await send(reporter, [one, one])).items.map((i) => i.status)).toEqual([201, 200]);
    expect(await stored([one.id])).toEqual([one.id]);
  });

  it('stores each report once when two copies of a batch arrive at the same moment', async () => {
    const items = Array.from({ length: 10 }, (_, i) => report(`Course ${i}`));
    const answers = await Promise.all([1, 2, 3].map(() => send(reporter, items)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const a of answers) expect(a.items.every((i) => i.status === 201 || i.status === 200)).toBe(true);
    // Each report was created by exactly one of the three requests.
    for (let i = 0; i < items.length; i++) expect(answers.filter((a) => a.items[i]?.status === 201)).toHaveLength(1);
    expect(await stored(items.map((i) => i.id))).toHaveLength(10);
  });

  it('speaks English to an English reader', async () => {
    const { occurred_start: _missing, ...invalid } = report('Missing date');
    const res = await send(reporter, [invalid], 'en');
    expect(res.items[0]?.problem?.title).toBe('Invalid input');
  });

  it('refuses an empty or oversized batch naming the field, and a sender who reports for no state', async () => {
    expect((await send(reporter, [])).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'items' })] });
    expect((await send(reporter, Array.from({ length: 201 }, () => report('Trop')))).body).toMatchObject({ errors: [expect.objectContaining({ field: 'items' })] });
    const conf = await send(staff, [report('Personnel de la confédération')]);
    expect(conf.status).toBe(403);
  });
});
