import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import { generateSitrep } from './sitrep.service.js';

const WEEK = '2026-W10'; // 2 to 8 March 2026

/** Situation reports through the real HTTP stack: figures as the aggregates API gives them, frozen, identical for all. */
describe.each(ENGINES)('situation reports on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let analyst: Client;
  let decider: Client;
  let deciderLow: Client;
  let bfa: Client;
  let mliHigh: Client;
  let reportId: string;

  const incident = (state: string, day: string, o: Partial<Parameters<typeof newIncident>[0]> = {}) =>
    createIncident(t.ctx, SYSTEM, newIncident({ state, occurred_start: `${day}T08:00:00Z`, ...o }), { reportingState: state, status: 'validated' });

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const who = async (org: string, role: Parameters<typeof newUser>[1]['role'], clearance: number) => {
      const u = await newUser(t.ctx, { org, role, clearance });
      return signIn(app, u.login, u.password);
    };
    analyst = await who('CONF', 'confederation_analyst', 3);
    decider = await who('CONF', 'decision_maker', 1);
    deciderLow = await who('CONF', 'decision_maker', 0);
    bfa = await who('BFA', 'analyst', 3);
    mliHigh = await who('MLI', 'focal_point', 3);
    // This week: Mali 3 shared (one with 5 killed), one confidential (not in a restricted report), one national.
    await incident('MLI', '2026-03-02', { fatalities_best: 5, civilian_fatalities: 1, injured: 2, abducted: 3 });
    await incident('MLI', '2026-03-04');
    await incident('MLI', '2026-03-08');
    await incident('MLI', '2026-03-05', { classification: 'confidential', fatalities_best: 40 });
    await incident('MLI', '2026-03-05', { sharing_scope: 'national', fatalities_best: 9 });
    await incident('BFA', '2026-03-03', { fatalities_best: 0, civilian_fatalities: 0, injured: 0 });
    // History: last week and earlier weeks.
    await incident('MLI', '2026-02-24');
    await incident('BFA', '2026-02-10');
    await incident('BFA', '2026-01-05');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('generates a weekly report whose figures are those of the aggregates API for the same audience', async () => {
    const res = await analyst.post('/api/v1/sitreps', { period: WEEK });
    expect(res.statusCode).toBe(201);
    const head = res.json() as { id: string; audience: string; ceiling: string; from: string; to: string; as_of: string };
    reportId = head.id;
    expect(head).toMatchObject({ audience: 'CONF', ceiling: 'restricted', from: '2026-03-02', to: '2026-03-08' });
    const report = (await decider.get(`/api/v1/sitreps/${reportId}`)).json() as { figures: { key_figures: { state: string | null; current: Record<string, number>; previous: Record<string, number> }[] } };
    // The decision maker at « restricted » of the confederation is the audience's reader: the same aggregate answer.
    const agg = (await decider.get('/api/v1/aggregates?from=2026-03-02&to=2026-03-08&group_by=state')).json() as { items: { state: string; incidents: number; fatalities: number; civilian_fatalities: number; injured: number; abducted: number }[]; totals: Record<string, number> };
    for (const item of agg.items) {
      const k = report.figures.key_figures.find((x) => x.state === item.state);
      expect(k?.current).toEqual({ incidents: item.incidents, fatalities: item.fatalities, civilian_fatalities: item.civilian_fatalities, injured: item.injured, abducted: item.abducted });
    }
    expect(report.figures.key_figures.find((x) => x.state === null)?.current).toEqual(agg.totals);
    expect(agg.totals.incidents).toBe(4);
    const last = (await decider.get('/api/v1/aggregates?from=2026-02-23&to=2026-03-01&group_by=state')).json() as { totals: { incidents: number } };
    expect(report.figures.key_figures.find((x) => x.state === null)?.previous.incidents).toBe(last.totals.incidents);
  });

  it('is frozen: a later incident changes nothing, and two readers download the same bytes (HTML and PDF, fr and en)', async () => {
    await incident('NER', '2026-03-06', { fatalities_best: 12 });
    const a = await decider.get(`/api/v1/sitreps/${reportId}/report.pdf`);
    const b = await mliHigh.get(`/api/v1/sitreps/${reportId}/report.pdf`);
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const html = await Promise.all([decider, mliHigh, analyst].map((c) => c.get(`/api/v1/sitreps/${reportId}/report.html?lang=fr`)));
    for (const h of html) expect(h.body).toBe(html[0]?.body);
    const fr = html[0]?.body ?? '';
    expect(fr).toContain('Rapport de situation hebdomadaire — Semaine 10 (du 2 au 8 mars 2026)');
    expect(fr).toContain('Chiffres établis pour : Confédération');
    expect(fr).toContain('jusqu&#39;à « Diffusion restreinte » · Données arrêtées le');
    expect(fr).toContain('4 incidents cette semaine');
    expect(fr).toContain('Mali : 3 incidents ont été enregistrés');
    expect(fr).toContain('Burkina Faso : 1 incident a été enregistré');
    expect(fr).toContain('<svg class="map"');
    expect(fr).not.toContain('Niger : 1 incident');
    const en = (await decider.get(`/api/v1/sitreps/${reportId}/report.html?lang=en`)).body;
    expect(en).toContain('Situation report weekly — Week 10 (2 to 8 March 2026)');
    expect(en).toContain('up to “Restricted”');
    const pdfEn = await decider.get(`/api/v1/sitreps/${reportId}/report.pdf?lang=en`);
    expect(pdfEn.rawPayload.equals(a.rawPayload)).toBe(false);
  });

  it('keeps the map\'s outlines once for all reports of an audience, and a report that held them inline reads the same', async () => {
    const before = (await decider.get(`/api/v1/sitreps/${reportId}`)).json() as { figures: { map: { outlines: { d: string }[] } } };
    expect(before.figures.map.outlines.length).toBeGreaterThan(5);
    await generateSitrep(t.ctx, SYSTEM, { period: '2026-W09' });
    expect(await t.ctx.engine.db.selectFrom('situation_report_maps').select('hash').execute()).toHaveLength(1);
    const row = await t.ctx.engine.db.selectFrom('situation_reports').select(['figures', 'map_hash']).where('id', '=', reportId).executeTakeFirstOrThrow();
    expect(row.map_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.figures).not.toContain(before.figures.map.outlines[0]?.d);
    // As stored before the outlines had their own table: the same report, the same bytes.
    const html = (await decider.get(`/api/v1/sitreps/${reportId}/report.html`)).body;
    await t.ctx.engine.db.updateTable('situation_reports').set({ figures: JSON.stringify(before.figures), map_hash: null }).where('id', '=', reportId).execute();
    expect((await decider.get(`/api/v1/sitreps/${reportId}`)).json()).toEqual(before);
    expect((await decider.get(`/api/v1/sitreps/${reportId}/report.html`)).body).toBe(html);
  });

  it('refuses a reader below the ceiling or outside the audience with a 403 naming why', async () => {
    const low = await deciderLow.get(`/api/v1/sitreps/${reportId}`);
    expect(low.statusCode).toBe(403);
    expect(low.json()).toMatchObject({ reason: 'clearance', ceiling: 'restricted' });
    expect(low.json().detail).toContain('habilitation');
    const own = await mliHigh.post('/api/v1/sitreps', { period: WEEK, audience: 'MLI', ceiling: 'secret' });
    expect(own.statusCode).toBe(201);
    const mliId = (own.json() as { id: string }).id;
    const foreign = await bfa.get(`/api/v1/sitreps/${mliId}/report.pdf`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ reason: 'audience', audience: 'MLI' });
    // Mali's own view counts its national and confidential records.
    const mine = (await mliHigh.get(`/api/v1/sitreps/${mliId}`)).json() as { totals: { incidents: number }; figures: { states: { code: string }[] } };
    expect(mine.totals.incidents).toBe(5);
    expect(mine.figures.states.map((s) => s.code)).toEqual(['MLI']);
    // Nobody asks for figures above their clearance or for another state.
    expect((await bfa.post('/api/v1/sitreps', { period: WEEK, audience: 'MLI' })).json()).toMatchObject({ status: 400, errors: [{ field: 'audience' }] });
    expect((await analyst.post('/api/v1/sitreps', { period: '2026-W54' })).json()).toMatchObject({ errors: [{ field: 'period' }] });
    expect((await decider.post('/api/v1/sitreps', { period: WEEK })).statusCode).toBe(403);
  });

  it('archives and searches: by period, audience and words; a list never names a report its reader may not open', async () => {
    await generateSitrep(t.ctx, SYSTEM, { kind: 'month', period: '2026-02' });
    const all = (await decider.get('/api/v1/sitreps')).json() as { items: { period: string; audience: string }[] };
    expect(all.items.map((i) => i.audience)).not.toContain('MLI');
    expect(all.items.map((i) => i.period)).toEqual(expect.arrayContaining([WEEK, '2026-02']));
    expect(((await decider.get(`/api/v1/sitreps?period=${WEEK}`)).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(((await mliHigh.get('/api/v1/sitreps?audience=MLI')).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(((await decider.get('/api/v1/sitreps?q=burkina%20faso')).json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect(((await decider.get('/api/v1/sitreps?q=introuvable')).json() as { items: unknown[] }).items).toHaveLength(0);
    expect(((await deciderLow.get('/api/v1/sitreps')).json() as { items: unknown[] }).items).toHaveLength(0);
  });

  it('tells the audience\'s readers in their inbox, and puts the latest report on their briefing', async () => {
    const inbox = (await decider.get('/api/v1/notifications')).json() as { items: { kind: string; object_id: string; subject: string | null }[] };
    expect(inbox.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'sitrep_published', object_id: reportId, subject: WEEK })]));
    const other = (await bfa.get('/api/v1/notifications')).json() as { items: { object_type: string; object_id: string }[] };
    expect(other.items.filter((i) => i.object_type === 'sitrep').map((i) => i.object_id)).not.toContain((await mliHigh.get('/api/v1/sitreps?audience=MLI')).json().items[0].id);
    const briefing = (await decider.get('/api/v1/briefing')).json() as { latest_sitrep: { audience: string } | null };
    expect(briefing.latest_sitrep?.audience).toBe('CONF');
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select('action').where('action', 'in', ['sitrep.generate', 'sitrep.download']).execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['sitrep.generate', 'sitrep.download']));
  });
});
