/**
 * Federation both ways, without the transport: what the confederation owns reaches a national node read-only; what a
 * national state owns (approved values, acknowledgements, responses) reaches the confederation; received records join
 * the confederation's lists, map and figures under the same who-sees-what rule as its own.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { fedConfig } from '../../test-support/federation-harness.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { signIn, testApp } from '../../test-support/http.js';
import { getAlert, raiseFlashAlert } from '../alerts/alert.service.js';
import { addAction, addDecision, createMeeting, getAction } from '../coordination/coordination.service.js';
import { assignIncident, validateIncident } from '../incidents/incident-workflow.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { addAxis, addIndicator, addObjective, createStrategy, getStrategy } from '../strategy/strategy.service.js';
import { approveValue, enterValue, submitValue } from '../strategy/strategy.values.service.js';
import { strategySnapshots } from './conf-strategy.js';
import type { FederationConfig } from './federation-config.js';
import { addPeerKey, collectOutbound, receiveMessages } from './federation.service.js';
import { reportOnForeignAction } from './foreign-actions.js';
import { acknowledgeForeignAlert, respondToForeignAlert } from './foreign-alerts.js';
import { listHeldObjects } from './held-objects.js';
import { generateNodeKey } from './signing.js';

const fed = (node: string, o: Partial<FederationConfig> = {}) => fedConfig(node, o.role, o);

describe.each(ENGINES)('federation both ways on %s', (kind) => {
  let mli: TestVigie;
  let conf: TestVigie;
  let confApp: FastifyInstance;
  let mliApp: FastifyInstance;
  const mliKey = generateNodeKey();
  const confKey = generateNodeKey();
  const mliFed = fed('mli');
  const confFed = fed('conf', { role: 'confederation', peers: ['mli'], ceiling: 2 });
  let confAnalyst: Principal;
  let mliFocal: Principal & { password: string };
  let alertId: string;
  let strategyId: string;
  let indicatorId: string;
  let meetingId: string;
  let actionId: string;
  let otherActionId: string;
  const cursors = { conf: 0, mli: 0 };

  /** Everything the confederation has to send that the national node has not had yet. */
  async function confToMli() {
    const page = await collectOutbound(conf.ctx, confFed, confKey, cursors.conf, 1000);
    cursors.conf = page.next;
    const strategies = await strategySnapshots(conf.ctx, confFed, confKey, new Map());
    return receiveMessages(mli.ctx, mliFed, [...page.messages, ...strategies.messages]);
  }
  async function mliToConf() {
    const page = await collectOutbound(mli.ctx, mliFed, mliKey, cursors.mli, 1000);
    cursors.mli = page.next;
    return { page, result: await receiveMessages(conf.ctx, confFed, page.messages) };
  }

  beforeAll(async () => {
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    await addPeerKey(conf.ctx, SYSTEM, 'mli', mliKey.publicPem);
    await addPeerKey(mli.ctx, SYSTEM, 'conf', confKey.publicPem);
    confAnalyst = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    mliFocal = await newUser(mli.ctx, { org: 'MLI', role: 'focal_point', clearance: 2 });
    [confApp, mliApp] = await Promise.all([testApp(conf.ctx), testApp(mli.ctx)]);
    const s = await createStrategy(conf.ctx, confAnalyst, { code: 'SC-2026', title_fr: 'Stratégie commune 2026', title_en: 'Common strategy 2026', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    strategyId = s.id;
    const axis = await addAxis(conf.ctx, confAnalyst, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
    const obj = await addObjective(conf.ctx, confAnalyst, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    indicatorId = (await addIndicator(conf.ctx, confAnalyst, obj.id, {
      code: 'I2', name_fr: 'Communes avec comité de protection (%)', name_en: 'Communes with protection committee (%)', unit: 'percent',
      direction: 'increase', frequency: 'quarter', source: 'manual', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
    })).id;
    alertId = (await raiseFlashAlert(conf.ctx, confAnalyst, { title: 'Convoi attaqué près de Boni', summary: 'Trois attaques en 48 h', severity: 'critical', areas: ['ML05'] })).id;
    const m = await createMeeting(conf.ctx, confAnalyst, { title: 'Concertation des ministres', date: '2026-01-20', place: 'Bamako', states: ['MLI', 'BFA'], bodies: [] });
    meetingId = m.id;
    const d = await addDecision(conf.ctx, confAnalyst, m.id, { text: 'Opérationnaliser la Force unifiée' });
    actionId = (await addAction(conf.ctx, confAnalyst, d.id, { title: 'Désigner les officiers de liaison', owner_state: 'MLI', due_date: '2026-02-01' })).id;
    otherActionId = (await addAction(conf.ctx, confAnalyst, d.id, { title: 'Ouvrir le poste de Djibo', owner_state: 'BFA', due_date: '2026-03-01' })).id;
  });
  afterAll(async () => {
    await confApp?.close();
    await mliApp?.close();
    await mli?.drop();
    await conf?.drop();
  });

  it("the confederation's alert, strategy, meeting, decision and action reach the national node read-only, applied once", async () => {
    const first = await confToMli();
    expect(first.refused).toEqual([]);
    const held = await listForeignObjects(mli.ctx.engine.db, { origin: 'conf' });
    expect(new Set(held.map((r) => r.entity_type))).toEqual(new Set(['alert', 'strategy', 'meeting', 'decision', 'action']));
    // The national node reads the confederation's strategy as its own users would, targets included.
    const tree = await getStrategy(mli.ctx, mliFocal, strategyId);
    expect(tree.axes[0]?.objectives[0]?.indicators[0]).toMatchObject({ code: 'I2', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }] });
    // Sent again (a publisher restarted): nothing changes, each refusal says why.
    cursors.conf = 0;
    const again = await confToMli();
    expect(again.applied).toBe(0);
    expect(new Set(again.refused.map((r) => r.reason))).toEqual(new Set(['replay']));

    // Edits of a foreign object are refused at the national node's API, naming the owner.
    const analyst = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const client = await signIn(mliApp, analyst.login, analyst.password);
    for (const [url, body] of [
      [`/api/v1/strategies/${strategyId}`, { version: 1, title_fr: 'Changée ici' }],
      [`/api/v1/indicators/${indicatorId}`, { version: 1, name_fr: 'Changé ici' }],
      [`/api/v1/meetings/${meetingId}`, { version: 1, place: 'Ailleurs' }],
    ] as const) {
      const res = await client.patch(url, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json(), url).toMatchObject({ owner: 'conf' });
      expect(res.json().detail).toContain('conf');
    }
    const closing = await client.post(`/api/v1/alerts/${alertId}/close`, {});
    expect([closing.statusCode, closing.json().owner]).toEqual([403, 'conf']);
  });

  it("a national state's approved values, acknowledgement and response reach the confederation, and the alert's new state comes back", async () => {
    const draft = await enterValue(mli.ctx, mliFocal, indicatorId, { period: '2026-Q2', value: 30 });
    const value = await enterValue(mli.ctx, mliFocal, indicatorId, { period: '2026-Q1', value: 40 });
    await submitValue(mli.ctx, mliFocal, value.id);
    await approveValue(mli.ctx, mliFocal, value.id);
    await acknowledgeForeignAlert(mli.ctx, mliFocal, mliFed, alertId, { note: 'Reçu, patrouilles renforcées' });
    await respondToForeignAlert(mli.ctx, mliFocal, mliFed, alertId, { text: 'Escorte des convois sur la RN16' });
    const { page, result } = await mliToConf();
    expect(result.refused).toEqual([]);
    expect(page.messages.map((m) => m.subject.split('.')[2]).sort()).toEqual(['alert_ack', 'alert_response', 'indicator_value']);
    expect(page.messages.some((m) => m.subject.endsWith(draft.id))).toBe(false);
    const values = await conf.ctx.engine.db.selectFrom('indicator_values').selectAll().execute();
    expect(values.map((v) => [v.id, v.state, Number(v.value), v.status])).toEqual([[value.id, 'MLI', 40, 'approved']]);
    const alert = await getAlert(conf.ctx, confAnalyst, alertId);
    expect(alert.states.find((s) => s.state === 'MLI')).toMatchObject({ note: 'Reçu, patrouilles renforcées' });
    expect(alert.states.find((s) => s.state === 'MLI')?.acknowledged_at).toBeTruthy();
    expect(alert.responses.map((r) => [r.state, r.text])).toEqual([['MLI', 'Escorte des convois sur la RN16']]);
    // A second acknowledgement is refused at the national node; the alert's new state comes back from its owner.
    await expect(acknowledgeForeignAlert(mli.ctx, mliFocal, mliFed, alertId, {})).rejects.toMatchObject({ status: 409 });
    await confToMli();
    const back = (await listForeignObjects(mli.ctx.engine.db, { origin: 'conf', type: 'alert' }))[0];
    expect(JSON.parse(back!.record!).responses).toHaveLength(1);
  });

  it("the state an action is assigned to reports on it from its node; the confederation adds the note, and the new progress comes back", async () => {
    const report = await reportOnForeignAction(mli.ctx, mliFocal, mliFed, actionId, { text: 'Deux officiers désignés', progress: 60, status: 'in_progress' });
    expect(report).toMatchObject({ action_id: actionId, state: 'MLI', progress: 60 });
    // Another state's action, or an unknown one, is not Mali's to report on.
    await expect(reportOnForeignAction(mli.ctx, mliFocal, mliFed, otherActionId, { text: 'Pas le nôtre' })).rejects.toMatchObject({ status: 403 });
    await expect(reportOnForeignAction(mli.ctx, mliFocal, mliFed, 'inconnue', { text: 'Inconnue' })).rejects.toMatchObject({ status: 404 });
    await expect(reportOnForeignAction(mli.ctx, mliFocal, mliFed, actionId, { text: 'Trop', progress: 140 })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['progress'] })] });
    // The report is shown with the held action until its new state comes back.
    const mine = (await listHeldObjects(mli.ctx, mliFocal, { type: 'action' })).items.find((i) => i.id === actionId);
    expect(mine?.replies?.map((r) => [r.type, r.text, r.progress])).toEqual([['action_report', 'Deux officiers désignés', 60]]);
    const { page, result } = await mliToConf();
    expect(result.refused).toEqual([]);
    expect(page.messages.map((m) => m.subject.split('.')[2])).toEqual(['action_report']);
    const action = await getAction(conf.ctx, confAnalyst, actionId);
    expect([action.status, action.progress]).toEqual(['in_progress', 60]);
    expect(action.notes?.map((n) => [n.organisation, n.text])).toEqual([['MLI', 'Deux officiers désignés']]);
    await confToMli();
    const back = (await listForeignObjects(mli.ctx.engine.db, { origin: 'conf', type: 'action' })).find((r) => r.entity_id === actionId);
    expect(JSON.parse(back!.record!)).toMatchObject({ progress: 60, status: 'in_progress' });
  });

  it("received records join the confederation's lists, map and figures, marked with their origin; a reader below the line sees none of them", async () => {
    const analyst = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const ids: string[] = [];
    for (const fatalities of [3, 4]) {
      const body = newIncident({ status: 'submitted', sharing_scope: 'confederation', classification: 'restricted', fatalities_best: fatalities, occurred_start: '2026-03-10T08:00:00Z' });
      await createIncident(mli.ctx, analyst, body);
      await assignIncident(mli.ctx, analyst, body.id, true);
      await validateIncident(mli.ctx, analyst, body.id, { version: 1 });
      ids.push(body.id);
    }
    expect((await mliToConf()).result.refused).toEqual([]);
    const high = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2 });
    const low = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 0 });
    const [hi, lo] = await Promise.all([signIn(confApp, high.login, high.password), signIn(confApp, low.login, low.password)]);
    const range = 'from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z';
    const list = (await hi.get(`/api/v1/incidents?${range}`)).json() as { items: { id: string; origin_node?: string }[] };
    expect(list.items.map((i) => [i.id, i.origin_node]).sort()).toEqual(ids.map((id) => [id, 'mli']).sort());
    const agg = (await hi.get(`/api/v1/aggregates?group_by=state&${range}`)).json() as { items: { state: string; incidents: number; fatalities: number }[] };
    expect(agg.items).toMatchObject([{ state: 'MLI', incidents: 2, fatalities: 7 }]);
    const grid = (await hi.get(`/api/v1/aggregates/grid?${range}`)).json() as { items: { incidents: number }[] };
    expect(grid.items.reduce((n, c) => n + c.incidents, 0)).toBe(2);
    // Below the line (restricted records, a public-cleared reader): nothing, not even in the figures.
    expect(((await lo.get(`/api/v1/incidents?${range}`)).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await lo.get(`/api/v1/aggregates?group_by=state&${range}`)).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await lo.get(`/api/v1/aggregates/grid?${range}`)).json() as { items: unknown[] }).items).toEqual([]);
    expect((await lo.get(`/api/v1/incidents/${ids[0]}`)).statusCode).toBe(404);
    // Read-only at the confederation: an edit is refused, naming the owner.
    const edit = await hi.patch(`/api/v1/incidents/${ids[0]}`, { version: 2, narrative: 'Réécrit à la confédération' });
    expect([edit.statusCode, edit.json().owner]).toEqual([403, 'mli']);
  });
});
