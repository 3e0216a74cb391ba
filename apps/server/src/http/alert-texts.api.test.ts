/** An alert's title and summary reach each reader in their language, written from the alert's facts. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertRules } from '../services/alerts/alert-rules.service.js';
import { addWeeks, weekStart } from '../services/alerts/rules.js';
import { importIncidents } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface Texts { title: string; summary: string }
interface AlertBody extends Texts { rule: string; texts: { fr: Texts; en: Texts } }

describe.each(ENGINES)('alert texts over HTTP on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let conf: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    // One incident a week in Tillabéri for half a year, then nine in the last full week.
    const week = addWeeks(weekStart(new Date()), -1);
    const items = [];
    for (let w = 1; w <= 26; w++) items.push(newIncident({ state: 'NER', occurred_start: addWeeks(week, -w).replace('T00', 'T08'), classification: 'public', sharing_scope: 'confederation' }));
    for (let k = 0; k < 9; k++) items.push(newIncident({ state: 'NER', occurred_start: addWeeks(week, 0).replace('T00', `T1${k}`), classification: 'public', sharing_scope: 'confederation' }));
    await importIncidents(t.ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'NER' } })));
    const run = await runAlertRules(t.ctx, SYSTEM);
    expect(run.alerts.map((a) => a.rule)).toContain('count_spike');
    const u = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    conf = await signIn(app, u.login, u.password);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('answers in French by default and in English when the reader asks, with both languages in `texts`', async () => {
    const fr = ((await conf.get('/api/v1/alerts?rule=count_spike')).json() as { items: AlertBody[] }).items[0];
    const en = ((await conf.get('/api/v1/alerts?rule=count_spike', { 'accept-language': 'en-GB,en;q=0.9' })).json() as { items: AlertBody[] }).items[0];
    expect(fr?.title).toMatch(/^Pic d’incidents — Tillabéri, semaine du \d{1,2}(er)? \p{L}+ \d{4}$/u);
    expect(fr?.summary).toMatch(/^Tillabéri : 9 incidents la semaine du .+, contre 1 attendu d’habitude — un tel nombre n’arrive par hasard qu’environ une fois sur .+\.$/u);
    expect(en?.title).toMatch(/^Spike in incidents — Tillaberi, week of \d{1,2} [A-Z][a-z]+ \d{4}$/);
    expect(en?.summary).toMatch(/^Tillaberi: 9 incidents in the week of .+, against 1 expected usually — a number this high happens by chance about once in .+\.$/);
    expect(en?.texts).toEqual(fr?.texts);
    expect(en?.texts.en).toEqual({ title: en?.title, summary: en?.summary });
    // No codes, no raw statistics in the words a reader sees first.
    for (const s of [fr?.title, fr?.summary, en?.title, en?.summary]) expect(s).not.toMatch(/NE006|quantile|p = |\(s\)|e-\d/);
    const one = (await conf.get(`/api/v1/alerts/${(fr as unknown as { id: string }).id}`, { 'accept-language': 'en' })).json() as AlertBody;
    expect(one.title).toBe(en?.title);
  });

  it('names a refused field in the reader’s language', async () => {
    const fr = await conf.post('/api/v1/alerts', { title: 'Colonne signalée', areas: ['XX99'] });
    expect(fr.statusCode).toBe(400);
    expect(fr.json()).toMatchObject({ errors: [{ field: 'areas.0', message: 'Zone administrative inconnue' }] });
    const en = await conf.post('/api/v1/alerts', { title: 'Column reported', areas: ['XX99'] }, { 'accept-language': 'en' });
    expect(en.json()).toMatchObject({ title: 'Invalid input', errors: [{ field: 'areas.0', message: 'Unknown administrative area' }] });
    const short = await conf.post('/api/v1/alerts', { title: 'ab', areas: ['ML10'] }, { 'accept-language': 'en' });
    expect(short.json()).toMatchObject({ errors: [{ field: 'title', message: 'at least 3 characters' }] });
  });
});
