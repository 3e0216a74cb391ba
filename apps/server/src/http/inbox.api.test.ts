import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { briefingSchema, notificationPageSchema, type Notification } from '@vigie/domain';
import { raiseFlashAlert } from '../services/alerts/alert.service.js';
import { addAction, addDecision, createMeeting } from '../services/coordination/coordination.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { rejectIncident, validateIncident } from '../services/incidents/incident-workflow.js';
import { addAxis, addIndicator, addObjective, createStrategy } from '../services/strategy/strategy.service.js';
import { enterValue, returnValue, submitValue } from '../services/strategy/strategy.values.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

describe.each(ENGINES)('inbox: notifications, "Mes signalements" and the briefing (%s)', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  beforeEach(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const inbox = async (c: Client, query = '') => {
    const res = await c.get(`/api/v1/notifications${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return notificationPageSchema.parse(res.json());
  };

  it('tells the reporter of a rejection with its reason, in their list of reports too; mark read changes only their own', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 2 });
    const colleague = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 2 });
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const { incident: mine } = await createIncident(t.ctx, reporter, newIncident({ state: 'MLI', narrative: 'Attaque signalée au marché de Sévaré.' }));
    await createIncident(t.ctx, colleague, newIncident({ state: 'MLI' }));
    await rejectIncident(t.ctx, analyst, mine.id, { reason: 'Source unique non confirmée, merci de préciser.' });

    const r = await signIn(app, reporter.login, reporter.password);
    const page = await inbox(r);
    expect(page.unread).toBe(1);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ kind: 'incident_rejected', object_type: 'incident', object_id: mine.id, reason: 'Source unique non confirmée, merci de préciser.', read_at: null });

    // "Mes signalements": only the caller's own reports, with status and reason.
    const list = await r.get('/api/v1/incidents?reporter=me&sort=-updated_at&limit=10');
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { id: string; status: string; rejection_reason: string | null }[] }).items;
    expect(items.map((i) => [i.id, i.status, i.rejection_reason])).toEqual([[mine.id, 'rejected', 'Source unique non confirmée, merci de préciser.']]);

    // The colleague has no notification, and cannot mark the reporter's read.
    const c = await signIn(app, colleague.login, colleague.password);
    expect((await inbox(c)).items).toHaveLength(0);
    const foreign = await c.post('/api/v1/notifications/read', { ids: [page.items[0]?.id] });
    expect(foreign.json()).toMatchObject({ updated: 0 });
    expect((await inbox(r)).unread).toBe(1);

    const read = await r.post('/api/v1/notifications/read', { ids: [page.items[0]?.id] });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ updated: 1, unread: 0 });
    expect((await inbox(r, '?unread=true')).items).toHaveLength(0);
    expect((await inbox(r)).items[0]?.read_at).not.toBeNull();
  });

  it('tells a state of an alert only to those cleared for it, and never another state of a national one', async () => {
    const raiser = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const cleared = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    const low = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const niger = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    const alert = await raiseFlashAlert(t.ctx, raiser, { title: 'Colonne signalée vers Ménaka', areas: ['ML10'], classification: 'confidential', sharing_scope: 'national' });

    const seen = async (u: { login: string; password: string }) => (await inbox(await signIn(app, u.login, u.password))).items.filter((n: Notification) => n.object_id === alert.id);
    expect(await seen(cleared)).toMatchObject([{ kind: 'alert_issued', subject: 'Colonne signalée vers Ménaka' }]);
    expect(await seen(low)).toHaveLength(0);
    expect(await seen(niger)).toHaveLength(0);
  });

  it('tells a state of an action given to it, and reminds once of an overdue one however often they look', async () => {
    const staff = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const analyst = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 1 });
    const meeting = await createMeeting(t.ctx, staff, { title: 'Conseil des ministres', date: daysAgo(30), place: 'Niamey', states: ['BFA', 'MLI', 'NER'] });
    const decision = await addDecision(t.ctx, staff, meeting.id, { text: 'Renforcer les patrouilles conjointes' });
    const action = await addAction(t.ctx, staff, decision.id, { title: 'Plan de patrouilles du Liptako', owner_state: 'BFA', due_date: daysAgo(3) });

    const a = await signIn(app, analyst.login, analyst.password);
    const first = await inbox(a);
    expect(first.items.map((n) => n.kind).sort()).toEqual(['action_assigned', 'action_overdue']);
    expect(first.items.find((n) => n.kind === 'action_overdue')).toMatchObject({ object_id: action.id, subject: 'Plan de patrouilles du Liptako', date: daysAgo(3) });
    expect((await inbox(a)).items).toHaveLength(2);
    await a.post('/api/v1/notifications/read', { all: true });
    expect((await inbox(a)).unread).toBe(0);
  });

  it('tells the analyst who entered an indicator value that it was returned, with the reason', async () => {
    const staff = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const other = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const focal = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 2 });
    const s = await createStrategy(t.ctx, staff, { code: 'SC-2026', title_fr: 'Stratégie commune 2026', title_en: 'Common strategy 2026', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    const axis = await addAxis(t.ctx, staff, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
    const obj = await addObjective(t.ctx, staff, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    const indicator = await addIndicator(t.ctx, staff, obj.id, {
      code: 'I2', name_fr: 'Communes avec comité de protection (%)', name_en: 'Communes with protection committee (%)', unit: 'percent',
      direction: 'increase', frequency: 'quarter', source: 'manual', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
    });
    const v = await enterValue(t.ctx, analyst, indicator.id, { period: '2026-Q1', value: 40 });
    await submitValue(t.ctx, analyst, v.id);
    await returnValue(t.ctx, focal, v.id, { reason: 'Pièce justificative manquante' });

    const mine = await inbox(await signIn(app, analyst.login, analyst.password));
    expect(mine.items).toMatchObject([{ kind: 'value_returned', object_id: v.id, subject: 'I2 — 2026-Q1', reason: 'Pièce justificative manquante' }]);
    expect((await inbox(await signIn(app, other.login, other.password))).items).toHaveLength(0);
  });

  it('answers bad input with problem+json naming the field, changing nothing', async () => {
    const u = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    const c = await signIn(app, u.login, u.password);
    // A cursor whose JSON holds a NUL character (PostgreSQL's text cannot) is refused as any other tampered cursor.
    const nul = Buffer.from(JSON.stringify(['\u0000', ''])).toString('base64url');
    const nulId = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'a\u0000'])).toString('base64url');
    for (const [query, field] of [['?cursor=abc', 'cursor'], [`?cursor=${nul}`, 'cursor'], [`?cursor=${nulId}`, 'cursor'], ['?limit=0', 'limit'], ['?unread=oui', 'unread']] as const) {
      const res = await c.get(`/api/v1/notifications${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json()), query).toContain(`"${field}"`);
    }
    for (const body of [{}, { ids: [] }, { all: false }]) {
      const res = await c.post('/api/v1/notifications/read', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await c.get('/api/v1/incidents?reporter=someone')).statusCode).toBe(400);
  });

  it('briefs a decision maker on their state: alerts to acknowledge, overdue actions, the week against the last', async () => {
    const staff = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const analyst = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    const dm = await newUser(t.ctx, { org: 'NER', role: 'decision_maker', clearance: 3 });
    const reporter = await newUser(t.ctx, { org: 'NER', role: 'reporter', clearance: 3 });
    const validated = async (daysBack: number, fatalities: number) => {
      const day = daysAgo(daysBack);
      const { incident: rec } = await createIncident(t.ctx, analyst, newIncident({ state: 'NER', occurred_start: `${day}T10:00:00Z`, fatalities_best: fatalities, civilian_fatalities: 0 }));
      await validateIncident(t.ctx, analyst, rec.id);
    };
    await validated(1, 4);
    await validated(2, 1);
    await validated(9, 2);
    await raiseFlashAlert(t.ctx, analyst, { title: 'Attaques répétées à Tillabéri', areas: ['NE006'], classification: 'restricted' });
    const meeting = await createMeeting(t.ctx, staff, { title: 'Sommet', date: daysAgo(40), place: 'Bamako' });
    const decision = await addDecision(t.ctx, staff, meeting.id, { code: 'D-1', text: 'Créer une cellule de renseignement commune' });
    await addAction(t.ctx, staff, decision.id, { title: 'Désigner les officiers de liaison', owner_state: 'NER', due_date: daysAgo(5) });

    const c = await signIn(app, dm.login, dm.password);
    const res = await c.get('/api/v1/briefing');
    expect(res.statusCode, res.body).toBe(200);
    const b = briefingSchema.parse(res.json());
    expect(b.week?.current).toEqual({ incidents: 2, fatalities: 5, civilian_fatalities: 0 });
    expect(b.week?.previous).toEqual({ incidents: 1, fatalities: 2, civilian_fatalities: 0 });
    expect(b.alerts).toMatchObject([{ title: 'Attaques répétées à Tillabéri', awaiting_acknowledgement: true, states: ['NER'] }]);
    expect(b.overdue_actions).toMatchObject([{ title: 'Désigner les officiers de liaison', decision_code: 'D-1', owner_state: 'NER' }]);
    expect(b.latest_evaluation).toBeNull();

    // A reporter has no coordination verb: that part is null, not an error.
    const r = await signIn(app, reporter.login, reporter.password);
    const rb = briefingSchema.parse((await r.get('/api/v1/briefing')).json());
    expect(rb.overdue_actions).toBeNull();
    expect(rb.week?.current.incidents).toBe(2);
  });
});
