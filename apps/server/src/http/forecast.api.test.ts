import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIncidents } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface Quantiles { q05: number; q25: number; q50: number; q75: number; q95: number }
interface AreaView {
  admin1_code: string;
  fatalities: number;
  last_month: number;
  fatalities_quantiles: Quantiles;
  fatalities_exceedance: Record<string, number>;
  incidents: number;
  incidents_quantiles: Quantiles;
  incidents_exceedance: Record<string, number>;
}
interface ForecastBody {
  month: string;
  source: string;
  thresholds: { fatalities: number[]; incidents: number[] };
  areas: AreaView[];
  horizons: Array<{ month: string; horizon: number; areas: AreaView[] }>;
}

describe.each(ENGINES)('probabilistic forecast API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let cleared: Client;
  let minister: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const items = [];
    // Two years of a steady, visible toll in Mopti (ML05): 4 to 12 deaths a month, two incidents.
    for (let m = 0; m < 24; m += 1) {
      const month = `${2024 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const day of ['05', '20']) {
        items.push(newIncident({ state: 'MLI', occurred_start: `${month}-${day}T08:00:00Z`, fatalities_best: 2 + ((m * 7) % 5), civilian_fatalities: 0, classification: 'restricted', sharing_scope: 'confederation' }));
      }
    }
    // Secret massacres in the last three months: only cleared readers' forecasts may rest on them.
    for (const month of ['2025-10', '2025-11', '2025-12']) {
      items.push(newIncident({ state: 'MLI', occurred_start: `${month}-25T08:00:00Z`, fatalities_best: 150, civilian_fatalities: 100, classification: 'secret', sharing_scope: 'confederation' }));
    }
    await importIncidents(t.ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })));
    const c = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const m = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    cleared = await signIn(app, c.login, c.password);
    minister = await signIn(app, m.login, m.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('gives quantiles, incidents and the probability of reaching each threshold for the next three months', async () => {
    const res = await minister.get('/api/v1/forecast?month=2026-01');
    expect(res.statusCode).toBe(200);
    const body = res.json() as ForecastBody;
    expect(body.source).toBe('visible_validated_incidents');
    expect(body.thresholds).toEqual({ fatalities: [1, 25, 100], incidents: [1, 5, 10] });
    expect(body.horizons.map((h) => [h.month, h.horizon])).toEqual([['2026-01', 1], ['2026-02', 2], ['2026-03', 3]]);
    const mopti = body.areas.find((a) => a.admin1_code === 'ML05')!;
    const q = mopti.fatalities_quantiles;
    expect(q.q05).toBeLessThanOrEqual(q.q25);
    expect(q.q25).toBeLessThanOrEqual(q.q50);
    expect(q.q50).toBeLessThanOrEqual(q.q75);
    expect(q.q75).toBeLessThanOrEqual(q.q95);
    expect(q.q95).toBeGreaterThan(q.q05);
    expect(Object.keys(mopti.fatalities_exceedance)).toEqual(['1', '25', '100']);
    expect(mopti.fatalities_exceedance['1']).toBeGreaterThan(0.5);
    expect(mopti.fatalities_exceedance['25']).toBeGreaterThanOrEqual(mopti.fatalities_exceedance['100']);
    expect(mopti.incidents).toBeGreaterThan(0);
    expect(mopti.incidents_exceedance['1']).toBeGreaterThan(0.5);
  });

  it('rests only on the records the reader may read: the secret massacres raise the surge probability for the cleared reader only', async () => {
    const forCleared = (await cleared.get('/api/v1/forecast?month=2026-01&thresholds=25,100')).json() as ForecastBody;
    const forMinister = (await minister.get('/api/v1/forecast?month=2026-01&thresholds=25,100')).json() as ForecastBody;
    const c = forCleared.areas.find((a) => a.admin1_code === 'ML05')!;
    const m = forMinister.areas.find((a) => a.admin1_code === 'ML05')!;
    expect(m.last_month).toBeLessThan(20);
    expect(c.last_month).toBeGreaterThan(150);
    expect(Object.keys(m.fatalities_exceedance)).toEqual(['25', '100']);
    expect(c.fatalities_exceedance['25']).toBeGreaterThan(m.fatalities_exceedance['25']);
    expect(c.fatalities_quantiles.q95).toBeGreaterThan(m.fatalities_quantiles.q95);
  });

  it('refuses malformed thresholds with a 400 naming the field', async () => {
    const res = await minister.get('/api/v1/forecast?month=2026-01&thresholds=vingt');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('thresholds');
  });
});
