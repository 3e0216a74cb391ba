import { compareResultSchema } from '@vigie/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp } from '../test-support/http.js';
import { comparePeriods } from './aggregate-compare.service.js';
import { createIncident } from './incidents/incident.service.js';
import { validateIncident } from './incidents/incident-workflow.js';
import type { Principal } from './principal.js';

// Wednesday of ISO week 2026-W47: the week has three days behind it.
const NOW = new Date('2026-11-18T12:00:00Z');

describe.each(ENGINES)('period over period (%s)', (kind) => {
  let t: TestVigie;
  let mliCleared: Principal;
  let mliLow: Principal & { login: string; password: string };
  let ner: Principal;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const analysts: Record<string, Principal> = {};
    for (const s of ['MLI', 'BFA', 'NER']) analysts[s] = await newUser(t.ctx, { org: s, role: 'analyst', clearance: 3 });
    mliCleared = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    mliLow = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    ner = await newUser(t.ctx, { org: 'NER', role: 'decision_maker', clearance: 3 });
    const add = async (state: string, day: string, extra: Parameters<typeof newIncident>[0] = {}) => {
      const a = analysts[state] as Principal;
      const { incident } = await createIncident(t.ctx, a, newIncident({ state, occurred_start: `${day}T08:00:00Z`, fatalities_best: 3, civilian_fatalities: 1, ...extra }));
      await validateIncident(t.ctx, a, incident.id);
    };
    await add('MLI', '2026-11-16'); // this week, day 1
    await add('MLI', '2026-11-17', { classification: 'secret', sharing_scope: 'national' }); // this week, secret
    await add('NER', '2026-11-17', { sharing_scope: 'national' }); // this week, Niger's own
    await add('MLI', '2026-11-10'); // last week, day 2: like for like
    await add('BFA', '2026-11-14'); // last week, day 6: in its total only
    await add('MLI', '2025-11-18'); // 2025-W47, day 2
    await add('MLI', '2026-10-05'); // October
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('compares the week so far with the same first days of last week and of the same week last year, marked incomplete', async () => {
    const r = compareResultSchema.parse(await comparePeriods(t.ctx, mliCleared, { period: 'week' }, NOW));
    expect(r).toMatchObject({ complete: false, days: 7, elapsed_days: 3 });
    expect(r.current).toMatchObject({ key: '2026-W47', from: '2026-11-16', to: '2026-11-22', compared: { from: '2026-11-16', to: '2026-11-18' } });
    expect(r.previous).toMatchObject({ key: '2026-W46', from: '2026-11-09', to: '2026-11-15', compared: { to: '2026-11-11' } });
    expect(r.last_year).toMatchObject({ key: '2025-W47', from: '2025-11-17', compared: { to: '2025-11-19' } });
    expect(r.current.totals.incidents).toBe(2);
    expect(r.previous.compared.totals.incidents).toBe(1);
    expect(r.previous.totals.incidents).toBe(2);
    expect(r.last_year.compared.totals).toMatchObject({ incidents: 1, fatalities: 3, civilian_fatalities: 1 });
    expect(r.by_state.find((s) => s.state === 'MLI')?.current.incidents).toBe(2);
    expect(r.by_state.some((s) => s.state === 'NER' && s.current.incidents > 0)).toBe(false);
  });

  it('never counts what the reader may not see: a lower clearance, another state\'s national record', async () => {
    expect((await comparePeriods(t.ctx, mliLow, { period: 'week' }, NOW)).current.totals.incidents).toBe(1);
    const n = await comparePeriods(t.ctx, ner, { period: 'week' }, NOW);
    expect(n.current.totals.incidents).toBe(2);
    expect(n.by_state.find((s) => s.state === 'NER')?.current.incidents).toBe(1);
  });

  it('compares a past month whole; a custom range with as many days before it and the same days a year earlier', async () => {
    const m = await comparePeriods(t.ctx, mliCleared, { period: 'month', anchor: '2026-10' }, NOW);
    expect(m).toMatchObject({ complete: true, elapsed_days: 31, current: { from: '2026-10-01', to: '2026-10-31', totals: { incidents: 1 } }, previous: { key: '2026-09' }, last_year: { key: '2025-10' } });
    const c = await comparePeriods(t.ctx, mliCleared, { period: 'custom', from: '2026-11-10', to: '2026-11-16' }, NOW);
    expect(c).toMatchObject({ complete: true, days: 7, previous: { from: '2026-11-03', to: '2026-11-09' }, last_year: { from: '2025-11-10', to: '2025-11-16' } });
    expect(c.current.totals.incidents).toBe(3);
    const q = await comparePeriods(t.ctx, mliCleared, { period: 'quarter' }, NOW);
    expect(q).toMatchObject({ complete: false, current: { key: '2026-Q4' }, previous: { key: '2026-Q3' }, last_year: { key: '2025-Q4' } });
  });

  it('answers the API with problems naming the field, and the declared schema', async () => {
    const c = await signIn(app, mliLow.login, mliLow.password);
    const ok = await c.get('/api/v1/aggregates/compare?period=year');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(compareResultSchema.parse(ok.json()).current.key).toBe(String(new Date().getUTCFullYear()));
    for (const [url, field] of [
      ['/api/v1/aggregates/compare?period=custom&from=2026-01-01', 'to'],
      ['/api/v1/aggregates/compare?period=week&anchor=2026-13', 'anchor'],
      ['/api/v1/aggregates/compare?period=month&anchor=2099-01', 'anchor'],
      ['/api/v1/aggregates/compare?period=decade', 'period'],
    ] as const) {
      const res = await c.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(JSON.stringify(res.json()), url).toContain(`"${field}"`);
    }
  });
});
