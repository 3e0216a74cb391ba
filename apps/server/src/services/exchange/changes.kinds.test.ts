/** Every kind of record the change log follows, through the one mutation path: one entry per change, in the feed. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOf } from '../../repositories/change-log.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { acknowledgeAlert, closeAlert, raiseFlashAlert, respondToAlert } from '../alerts/alert.service.js';
import { beginTotpEnrollment } from '../accounts/auth.service.js';
import { readChanges } from './changes.service.js';
import { addAction, addActionNote, addDecision, createMeeting, patchAction, patchMeeting } from '../coordination/coordination.service.js';
import { createIncident } from '../incidents/incident.service.js';
import type { Principal } from '../principal.js';
import { addAxis, addIndicator, addObjective, createStrategy } from '../strategy/strategy.service.js';
import { approveValue, enterValue, submitValue } from '../strategy/strategy.values.service.js';

describe.each(ENGINES)('every kind of record in the change log on %s', (kind) => {
  let t: TestVigie;
  let conf: Principal;
  let analystMli: Principal;
  let focalMli: Principal;
  let readerBfa: Principal;
  beforeAll(async () => {
    t = await testVigie(kind);
    conf = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    focalMli = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 2 });
    readerBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
  });
  afterAll(async () => t.drop());

  const ops = async (type: string, id: string) => (await changesOf(t.ctx.engine.db, type, id)).map((c) => c.op);

  it('alerts, indicator values, meetings, decisions and actions: one entry per change, each in the feed as its reader sees it', async () => {
    const start = (await readChanges(t.ctx, readerBfa, { since: 0, limit: 1000 })).next_since;
    const rec = (await createIncident(t.ctx, analystMli, newIncident({ status: 'submitted' }))).incident;
    const alert = await raiseFlashAlert(t.ctx, analystMli, { title: 'Convoi attaqué près de Boni', summary: 'Trois attaques en 48 h', severity: 'critical', areas: ['ML05'], incident_ids: [rec.id] });
    await acknowledgeAlert(t.ctx, analystMli, alert.id, {});
    await respondToAlert(t.ctx, conf, alert.id, { text: 'Escorte renforcée' });
    await closeAlert(t.ctx, focalMli, alert.id, { note: 'Situation rétablie' });
    expect(await ops('alert', alert.id)).toEqual(['raise', 'acknowledge', 'respond', 'close']);

    const s = await createStrategy(t.ctx, conf, { code: 'SC-2026', title_fr: 'Stratégie commune 2026', title_en: 'Common strategy 2026', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    const axis = await addAxis(t.ctx, conf, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
    const obj = await addObjective(t.ctx, conf, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    const ind = await addIndicator(t.ctx, conf, obj.id, {
      code: 'I2', name_fr: 'Communes avec comité de protection (%)', name_en: 'Communes with protection committee (%)', unit: 'percent',
      direction: 'increase', frequency: 'quarter', source: 'manual', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
    });
    const value = await enterValue(t.ctx, analystMli, ind.id, { period: '2026-Q1', value: 40 });
    await enterValue(t.ctx, analystMli, ind.id, { period: '2026-Q1', value: 42 });
    await submitValue(t.ctx, analystMli, value.id);
    await approveValue(t.ctx, focalMli, value.id);
    expect(await ops('indicator_value', value.id)).toEqual(['enter', 'update', 'submit', 'approve']);

    const m = await createMeeting(t.ctx, conf, { title: 'Concertation des ministres', date: '2026-01-20', place: 'Bamako', states: ['MLI', 'BFA'], bodies: [] });
    await patchMeeting(t.ctx, conf, m.id, { version: 1, place: 'Niamey' });
    const d = await addDecision(t.ctx, conf, m.id, { text: 'Opérationnaliser la Force unifiée' });
    const a = await addAction(t.ctx, conf, d.id, { title: 'Désigner les officiers de liaison', owner_state: 'MLI', due_date: '2026-02-01' });
    await patchAction(t.ctx, analystMli, a.id, { version: 1, status: 'in_progress' });
    await addActionNote(t.ctx, analystMli, a.id, { text: 'Deux officiers désignés', progress: 50 });
    expect([await ops('meeting', m.id), await ops('decision', d.id), await ops('action', a.id)]).toEqual([['create', 'update'], ['create'], ['create', 'update', 'note']]);

    const page = await readChanges(t.ctx, readerBfa, { since: start, limit: 1000 });
    const seen = page.items.map((i) => `${i.type}:${i.deleted ? 'gone' : 'here'}`);
    // The BFA analyst sees the confederation-wide alert, MLI's approved value, the meeting, decision and action;
    // MLI's submitted record is not theirs to see, and they never could: no entry at all.
    expect(seen).toEqual(['alert:here', 'indicator_value:here', 'meeting:here', 'decision:here', 'action:here']);
    expect(page.items.find((i) => i.type === 'action')).toMatchObject({ op: 'note', record: { id: a.id, progress: 50 } });
    expect(page.items.find((i) => i.type === 'indicator_value')).toMatchObject({ record: { id: value.id, status: 'approved', value: 42 } });
  });

  it('setting up a second factor is checked, written in one transaction and audited (never the secret)', async () => {
    const user = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const { secret } = await beginTotpEnrollment(t.ctx, user);
    const rows = await sql<{ action: string; details: string }>`select action, details from audit_events where object_id = ${user.userId} order by seq`.execute(t.ctx.engine.db);
    expect(rows.rows.map((r) => r.action)).toContain('auth.totp_setup');
    expect(JSON.stringify(rows.rows)).not.toContain(secret);
  });
});
