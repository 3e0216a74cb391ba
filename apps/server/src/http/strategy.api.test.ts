import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../services/demo/demo-seed.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface Tree { id: string; axes: { id: string; code: string; civilian_protection: boolean; objectives: { id: string; code: string; indicators: { id: string; code: string; source: string; unit: string; frequency: string }[] }[] }[] }

describe.each(ENGINES)('strategy and coordination API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let staff: Client;
  let analystNer: Client;
  let focalNer: Client;
  let focalMli: Client;
  let decider: Client;
  let tree: Tree;
  let evaluationId: string;
  const valueCount = async () => Number((await t.ctx.engine.db.selectFrom('indicator_values').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await testVigie(kind);
    const seeded = await seedDemo(t.ctx, { count: 600, endDate: new Date('2026-11-20T00:00:00Z'), seed: 7 });
    expect(seeded.incidents.rejected).toEqual([]);
    app = await testApp(t.ctx);
    const login = async (org: string, role: 'confederation_analyst' | 'analyst' | 'focal_point' | 'decision_maker') => {
      const u = await newUser(t.ctx, { org, role, clearance: 3 });
      return signIn(app, u.login, u.password);
    };
    staff = await login('CONF', 'confederation_analyst');
    analystNer = await login('NER', 'analyst');
    focalNer = await login('NER', 'focal_point');
    focalMli = await login('MLI', 'focal_point');
    decider = await login('CONF', 'decision_maker');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('serves the demo strategy: 5 axes incl. protection of civilians, ~25 indicators, about half computed, in the OpenAPI document', async () => {
    const list = await decider.get('/api/v1/strategies');
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: { id: string; status: string }[] }).items;
    expect(items).toHaveLength(1);
    tree = (await decider.get(`/api/v1/strategies/${items[0]?.id}`)).json() as Tree;
    expect(tree.axes).toHaveLength(5);
    expect(tree.axes.filter((a) => a.civilian_protection)).toHaveLength(1);
    const indicators = tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators));
    expect(tree.axes.flatMap((a) => a.objectives)).toHaveLength(10);
    expect(indicators).toHaveLength(25);
    expect(indicators.filter((i) => i.source === 'computed').length).toBe(13);
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/strategies/{id}/progress', '/api/v1/evaluations/{id}/report.pdf', '/api/v1/indicator-values/{id}/approve', '/api/v1/actions/overdue', '/api/v1/meetings']) {
      expect(doc.paths[p]).toBeDefined();
    }
  });

  it('shows progress, trends and missing or late values', async () => {
    const progress = await decider.get(`/api/v1/strategies/${tree.id}/progress?period=2026-Q2`);
    expect(progress.statusCode).toBe(200);
    const body = progress.json() as { axes: { objectives: { status: string | null; indicators: { code: string; cells: { state: string | null; value: number | null }[] }[] }[] }[] };
    const civ = body.axes[1]?.objectives[0]?.indicators.find((i) => i.code === 'I07');
    expect(civ?.cells.map((c) => c.state)).toEqual([null, 'MLI', 'BFA', 'NER']);
    expect(civ?.cells[0]?.value).toBeGreaterThan(0);
    const i07 = tree.axes[1]?.objectives[0]?.indicators.find((i) => i.code === 'I07');
    const trend = (await decider.get(`/api/v1/indicators/${i07?.id}/trend`)).json() as { periods: string[]; series: unknown[] };
    expect(trend.periods[0]).toBe('2025-Q1');
    expect(trend.series).toHaveLength(4);
    const outside = await decider.get(`/api/v1/strategies/${tree.id}/progress?period=2031-Q1`);
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'period' }] });
    const reporting = (await analystNer.get(`/api/v1/strategies/${tree.id}/reporting`)).json() as { items: { state: string; status: string; late: boolean }[] };
    expect(new Set(reporting.items.map((r) => r.state))).toEqual(new Set(['NER']));
    expect(reporting.items.some((r) => r.status === 'approved')).toBe(true);
  });

  it('lets a state enter, submit and have its focal point approve; refuses bad input naming the field, writing nothing', async () => {
    const ind = tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators)).find((i) => i.code === 'I06');
    const before = await valueCount();
    const bad = await analystNer.post(`/api/v1/indicators/${ind?.id}/values`, { period: '2026-Q4', value: 130 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'value' }] });
    const wrongType = await analystNer.post(`/api/v1/indicators/${ind?.id}/values`, { period: '2026-Q4', value: '60' });
    expect(wrongType.statusCode).toBe(400);
    expect((wrongType.json() as { errors: { field: string }[] }).errors[0]?.field).toBe('value');
    const outside = await analystNer.post(`/api/v1/indicators/${ind?.id}/values`, { period: '2031-Q1', value: 60 });
    expect(outside.json()).toMatchObject({ errors: [{ field: 'period' }] });
    const notMine = await analystNer.post(`/api/v1/indicators/${ind?.id}/values`, { period: '2026-Q4', value: 60, state: 'MLI' });
    expect(notMine.statusCode).toBe(403);
    expect(await valueCount()).toBe(before);

    const entered = await analystNer.post(`/api/v1/indicators/${ind?.id}/values`, { period: '2026-Q4', value: 61.5, submit: true, comment: 'Relevé de la direction des routes' });
    expect(entered.statusCode).toBe(200);
    const id = (entered.json() as { id: string }).id;
    const byAnalyst = await analystNer.post(`/api/v1/indicator-values/${id}/approve`);
    expect(byAnalyst.statusCode).toBe(403);
    expect(byAnalyst.json()).toMatchObject({ code: 'forbidden' });
    expect((await focalMli.post(`/api/v1/indicator-values/${id}/approve`)).statusCode).toBe(403);
    const approved = await focalNer.post(`/api/v1/indicator-values/${id}/approve`);
    expect(approved.json()).toMatchObject({ status: 'approved', value: 61.5 });
    expect((await focalNer.post(`/api/v1/indicator-values/${id}/approve`)).statusCode).toBe(409);
  });

  it('refuses an unknown measure and a target outside the strategy when an indicator is saved', async () => {
    const objective = tree.axes[0]?.objectives[0];
    const body = { code: 'X1', name_fr: 'Essai', name_en: 'Test', unit: 'count', direction: 'decrease', frequency: 'quarter', source: 'computed' };
    const unknown = await staff.post(`/api/v1/objectives/${objective?.id}/indicators`, { ...body, definition: { measure: 'victims' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'definition.measure' }] });
    expect((unknown.json() as { errors: { message: string }[] }).errors[0]?.message).toContain('Mesure inconnue');
    const outside = await staff.post(`/api/v1/objectives/${objective?.id}/indicators`, { ...body, definition: { measure: 'incidents' }, targets: [{ period: '2035-Q1', value: 3 }] });
    expect(outside.json()).toMatchObject({ errors: [{ field: 'targets.0.period' }] });
    expect((await decider.post(`/api/v1/objectives/${objective?.id}/indicators`, { ...body, definition: { measure: 'incidents' } })).statusCode).toBe(403);
  });

  it("produces the ministers' report as printable HTML and PDF, in French, with civilian harm", async () => {
    const evals = (await decider.get(`/api/v1/strategies/${tree.id}/evaluations`)).json() as { items: { id: string; period: string; status: string; audience: string; ceiling: string; as_of: string | null }[] };
    // The demo holds the last ended quarter's evaluation, final (frozen for the confederation), and the current one in progress.
    expect(evals.items.map((e) => [e.period, e.status])).toEqual([['2026-Q4', 'draft'], ['2026-Q3', 'final']]);
    const final = evals.items[1];
    expect(final).toMatchObject({ audience: 'CONF', ceiling: 'restricted' });
    expect(final?.as_of).toMatch(/^2026-/);
    evaluationId = final?.id as string;
    const html = await decider.get(`/api/v1/evaluations/${evaluationId}/report.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Atteintes aux civils');
    expect(html.body).toContain('Axe 2 — Protéger les populations civiles');
    expect(html.body).toContain('T3 2026');
    expect(html.body).toContain('Chiffres établis pour : Confédération');
    const pdf = await decider.get(`/api/v1/evaluations/${evaluationId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(20_000);
  });

  it('follows the demo meetings and actions, with the overdue ones', async () => {
    const meetings = (await decider.get('/api/v1/meetings')).json() as { items: { id: string; states: string[]; bodies: string[] }[] };
    expect(meetings.items).toHaveLength(2);
    const m = (await decider.get(`/api/v1/meetings/${meetings.items[1]?.id}`)).json() as { decisions: { actions: unknown[] }[] };
    expect(m.decisions.length).toBeGreaterThan(0);
    const overdue = (await decider.get('/api/v1/actions/overdue')).json() as { count: number; items: { overdue: boolean; status: string }[] };
    expect(overdue.count).toBeGreaterThan(0);
    expect(overdue.items.every((a) => a.overdue && a.status !== 'done')).toBe(true);
    const mine = (await analystNer.get('/api/v1/actions?mine=true')).json() as { items: { id: string; owner_state: string; version: number }[] };
    expect(mine.items.every((a) => a.owner_state === 'NER')).toBe(true);
    const a = mine.items[0];
    const note = await analystNer.post(`/api/v1/actions/${a?.id}/notes`, { text: 'Convoi escorté, axe rouvert', status: 'done', evidence: [{ title: 'Compte rendu' }] });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ status: 'done', progress: 100, overdue: false });
    const bad = await staff.post('/api/v1/meetings', { title: 'Réunion', date: '2026-13-45', place: 'Ouagadougou' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'date' }] });
  });
});
