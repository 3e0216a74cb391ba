import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/domain/alert.schema';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { acknowledgeAlert, alertEvidence, closeAlert, getAlert, listAlerts, raiseFlashAlert, respondToAlert, type AlertChange } from './alert.service.js';
import { runAlertRules } from './alert-rules.service.js';
import { addWeeks } from './rules.js';
import { importIncidents } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';

const AS_OF = '2026-03-18T12:00:00.000Z'; // a Wednesday; its week starts Monday 2026-03-16
const WEEK = '2026-03-16T00:00:00.000Z';

type Extra = Parameters<typeof newIncident>[0];
/** Validated incidents of one state: two a week for 26 weeks, then `spike` this week. */
function history(state: string, spike: Extra[]) {
  const items = [];
  // Djibo sits nearer the Nord centroid than the Sahel one while no boundaries are imported: name the region.
  const area = state === 'BFA' ? { admin1_code: 'BF56' } : {};
  for (let w = 1; w <= 26; w++) {
    for (let k = 0; k < (w % 2 ? 1 : 2); k++) {
      items.push(newIncident({ state, occurred_start: addWeeks(WEEK, -w).replace('T00', `T1${k}`), fatalities_best: 0, civilian_fatalities: 0, classification: 'restricted', sharing_scope: 'confederation', ...area }));
    }
  }
  for (const [k, extra] of spike.entries()) {
    items.push(newIncident({ state, occurred_start: `2026-03-1${6 + (k % 3)}T0${k % 10}:00:00Z`, fatalities_best: 0, civilian_fatalities: 0, classification: 'restricted', sharing_scope: 'confederation', ...area, ...extra }));
  }
  return items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: state } }));
}

describe.each(ENGINES)('alerts on %s', (kind) => {
  let t: TestVigie;
  let mliAnalyst: Principal;
  let nerAnalyst: Principal;
  let nerFocal: Principal;
  let bfaAnalyst: Principal;
  let bfaFocal: Principal;
  let confAnalyst: Principal;
  let reporter: Principal;
  let minister: Principal;
  const changes: AlertChange[] = [];
  let spikeIds: Record<string, string[]> = {};

  beforeAll(async () => {
    // Without the shipped boundaries: with them Sahel and Mopti are neighbours and a third cross-border alert is due.
    t = await testVigie(kind, { shippedBoundaries: false });
    t.ctx.events.on('alert.changed', (c: AlertChange) => changes.push(c));
    mliAnalyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    nerAnalyst = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    nerFocal = await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 2 });
    bfaAnalyst = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    bfaFocal = await newUser(t.ctx, { org: 'BFA', role: 'focal_point', clearance: 2 });
    confAnalyst = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    minister = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    const spike = (n: number, special: Extra) => [special, ...Array.from({ length: n - 1 }, () => ({}))];
    const items = [
      // Mali (Mopti): a spike whose evidence includes a secret record.
      ...history('MLI', spike(12, { classification: 'secret' })),
      // Niger (Tillabéri): a spike with one national record.
      ...history('NER', spike(12, { sharing_scope: 'national' })),
      // Burkina Faso (Sahel): a spike of ordinary records.
      ...history('BFA', spike(12, {})),
    ];
    const out = await importIncidents(t.ctx, SYSTEM, items);
    expect(out.rejected).toEqual([]);
    spikeIds = { MLI: [], NER: [], BFA: [] };
    for (const it of items) {
      const input = it.input;
      if (input.occurred_start >= WEEK) spikeIds[it.options.reportingState]?.push(input.id);
    }
  });
  afterAll(async () => {
    await t.drop();
  });

  const byRule = async (p: Principal) => (await listAlerts(t.ctx, p, {})).items.map((a) => `${a.rule}:${a.areas.join('|')}`).sort();

  it('raises each spike once, and a cross-border spread between Sahel and Tillabéri; a second run raises nothing', async () => {
    const res = await runAlertRules(t.ctx, SYSTEM, { asOf: AS_OF });
    expect(res.alerts.map((a) => `${a.rule}:${a.areas.join('|')}`).sort()).toEqual(['count_spike:BF56', 'count_spike:ML05', 'count_spike:NE006', 'cross_border:BF56|NE006']);
    expect(changes.filter((c) => c.action === 'issued')).toHaveLength(4);
    const again = await runAlertRules(t.ctx, SYSTEM, { asOf: AS_OF });
    expect(again).toMatchObject({ issued: 0, duplicates: again.findings });
    expect(again.findings).toBeGreaterThanOrEqual(4);
    expect((await listAlerts(t.ctx, SYSTEM, {})).total).toBe(4);
  });

  it('records the statistics and the baseline behind an alert', async () => {
    const [ml] = (await listAlerts(t.ctx, confAnalyst, { area: 'ML05' })).items;
    expect(ml).toMatchObject({ rule: 'count_spike', status: 'issued', classification: 'secret', sharing_scope: 'confederation', window_start: WEEK });
    expect(ml?.statistics).toMatchObject({ metric: 'count', observed: 12, quantile_level: 0.99, baseline: { periods: 26 } });
    expect(ml?.statistics?.expected).toBeGreaterThan(1);
    expect(ml?.statistics?.expected).toBeLessThan(2);
    expect(ml?.statistics?.p_value).toBeLessThan(0.001);
    expect(ml?.evidence_count).toBe(12);
    // Reading a secret alert is audited, as reading a secret incident is.
    await getAlert(t.ctx, confAnalyst, ml?.id ?? '');
    const reads = await t.ctx.engine.db.selectFrom('audit_events').select(['action', 'user_id', 'classification_level']).where('object_id', '=', ml?.id ?? '').where('action', '=', 'alert.read').execute();
    expect(reads).toEqual([{ action: 'alert.read', user_id: confAnalyst.userId, classification_level: 3 }]);
  });

  it('shows each reader the alerts and figures of the records they may read, evidence through the incidents’ rule', async () => {
    // Every audience's own records cross the thresholds here, so every reader sees the four alerts…
    expect(await byRule(mliAnalyst)).toEqual(['count_spike:BF56', 'count_spike:ML05', 'count_spike:NE006', 'cross_border:BF56|NE006']);
    expect(await byRule(nerAnalyst)).toEqual(['count_spike:BF56', 'count_spike:ML05', 'count_spike:NE006', 'cross_border:BF56|NE006']);
    const seen = async (p: Principal, area: string) => (await listAlerts(t.ctx, p, { area, rule: 'count_spike' })).items[0] as Alert;
    // …but the Mopti alert counts its secret record only for readers cleared for it,
    expect(await seen(mliAnalyst, 'ML05')).toMatchObject({ classification: 'restricted', statistics: { observed: 11 }, evidence_count: 11, figures_for: { view: 'MLI', ceiling: 'confidential' } });
    expect(await seen(confAnalyst, 'ML05')).toMatchObject({ classification: 'secret', statistics: { observed: 12 }, evidence_count: 12, figures_for: { view: '*', ceiling: 'secret' } });
    // and the Tillabéri alert counts the national Niger record only for Niger.
    expect(await seen(nerAnalyst, 'NE006')).toMatchObject({ sharing_scope: 'national', statistics: { observed: 12 }, evidence_count: 12 });
    const forBfaAlert = await seen(bfaAnalyst, 'NE006');
    expect(forBfaAlert).toMatchObject({ sharing_scope: 'confederation', statistics: { observed: 11 }, evidence_count: 11 });
    expect(forBfaAlert.summary).toContain('11 incidents la semaine du');
    const spread = (await listAlerts(t.ctx, bfaAnalyst, { rule: 'cross_border' })).items[0] as Alert;
    expect(spread.states.map((s) => s.state)).toEqual(['BFA', 'NER']);
    // Burkina sees the spread, but not the national Niger record among its evidence.
    const forBfa = await alertEvidence(t.ctx, bfaAnalyst, spread.id);
    const forNer = await alertEvidence(t.ctx, nerAnalyst, spread.id);
    expect(forNer.length).toBe(forBfa.length + 1);
    expect(forBfa.map((e) => e.id)).not.toContain(spikeIds.NER?.[0]);
    expect(forNer.map((e) => e.id)).toContain(spikeIds.NER?.[0]);
  });

  it('goes issued → acknowledged by each concerned state → responded → closed, audited', async () => {
    const spread = (await listAlerts(t.ctx, bfaAnalyst, { rule: 'cross_border' })).items[0] as Alert;
    const one = await acknowledgeAlert(t.ctx, bfaAnalyst, spread.id, { note: 'Reçu, patrouilles renforcées' });
    expect(one.status).toBe('issued');
    expect(one.states).toMatchObject([{ state: 'BFA', acknowledged_by: bfaAnalyst.userId, note: 'Reçu, patrouilles renforcées' }, { state: 'NER', acknowledged_at: null }]);
    await expect(acknowledgeAlert(t.ctx, bfaFocal, spread.id, {})).rejects.toMatchObject({ code: 'conflict' });
    await expect(acknowledgeAlert(t.ctx, confAnalyst, spread.id, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(acknowledgeAlert(t.ctx, mliAnalyst, spread.id, {})).rejects.toMatchObject({ code: 'forbidden' });
    const both = await acknowledgeAlert(t.ctx, nerFocal, spread.id, {});
    expect(both.status).toBe('acknowledged');
    await expect(respondToAlert(t.ctx, reporter, spread.id, { text: 'rien' })).rejects.toMatchObject({ code: 'forbidden' });
    // Mali sees the spread but is not concerned: it does not answer it; the confederation does.
    await expect(respondToAlert(t.ctx, mliAnalyst, spread.id, { text: 'Vu de Bamako' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await respondToAlert(t.ctx, confAnalyst, spread.id, { text: 'Vu et noté' })).status).toBe('responded');
    const responded = await respondToAlert(t.ctx, nerAnalyst, spread.id, { text: 'Opération conjointe décidée', link: 'https://vigie.example/actions/42' });
    expect(responded.status).toBe('responded');
    expect(responded.responses).toMatchObject([{ text: 'Vu et noté', state: null }, { text: 'Opération conjointe décidée', link: 'https://vigie.example/actions/42', state: 'NER', responded_by: nerAnalyst.userId }]);
    await expect(closeAlert(t.ctx, nerAnalyst, spread.id, {})).rejects.toMatchObject({ code: 'forbidden' });
    const closed = await closeAlert(t.ctx, bfaFocal, spread.id, { note: 'Situation stabilisée' });
    expect(closed).toMatchObject({ status: 'closed', closure_note: 'Situation stabilisée' });
    await expect(respondToAlert(t.ctx, nerAnalyst, spread.id, { text: 'trop tard' })).rejects.toMatchObject({ code: 'invalid_transition' });
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select(['action', 'login']).where('object_id', '=', spread.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['alert.issue', 'alert.acknowledge', 'alert.acknowledge', 'alert.respond', 'alert.respond', 'alert.close']);
    expect(changes.filter((c) => c.id === spread.id).map((c) => c.action)).toEqual(['issued', 'acknowledged', 'acknowledged', 'responded', 'responded', 'closed']);
  });

  it('lets analysts raise flash alerts from incidents they can see, within their clearance', async () => {
    const evidence = spikeIds.MLI?.slice(1, 4) ?? [];
    const flash = await raiseFlashAlert(t.ctx, mliAnalyst, { title: 'Convoi attaqué près de Boni', summary: 'Trois attaques en 48 h', severity: 'critical', areas: ['ML05'], incident_ids: evidence });
    expect(flash).toMatchObject({ rule: 'flash', status: 'issued', severity: 'critical', classification: 'restricted', sharing_scope: 'confederation', raised_by: mliAnalyst.userId, evidence_count: 3 });
    expect(flash.states.map((s) => s.state)).toEqual(['MLI']);
    await expect(raiseFlashAlert(t.ctx, mliAnalyst, { title: 'Secret', areas: ['ML05'], incident_ids: [spikeIds.MLI?.[0] ?? ''] }))
      .rejects.toMatchObject({ code: 'validation_failed', errors: [{ field: 'incident_ids.0' }] });
    await expect(raiseFlashAlert(t.ctx, mliAnalyst, { title: 'Trop haut', areas: ['ML05'], classification: 'secret' }))
      .rejects.toMatchObject({ code: 'validation_failed', errors: [{ field: 'classification' }] });
    await expect(raiseFlashAlert(t.ctx, mliAnalyst, { title: 'Ailleurs', areas: ['XX99'] })).rejects.toMatchObject({ errors: [{ field: 'areas.0' }] });
    await expect(raiseFlashAlert(t.ctx, minister, { title: 'Ministre', areas: ['ML05'] })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listAlerts(t.ctx, minister, { rule: 'flash' })).items.map((a) => a.id)).toEqual([flash.id]);
    // A national flash alert stays with its state.
    const national = await raiseFlashAlert(t.ctx, nerAnalyst, { title: 'Alerte nationale', areas: ['NE006'], sharing_scope: 'national' });
    await expect(getAlert(t.ctx, bfaAnalyst, national.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getAlert(t.ctx, nerFocal, national.id)).sharing_scope).toBe('national');
  });

  it('filters the list', async () => {
    expect((await listAlerts(t.ctx, bfaAnalyst, { open: 'false' })).items.map((a) => a.rule)).toEqual(['cross_border']);
    expect((await listAlerts(t.ctx, bfaAnalyst, { open: 'true', rule: 'cross_border' })).total).toBe(0);
    expect((await listAlerts(t.ctx, confAnalyst, { states: 'MLI', rule: 'count_spike' })).items.map((a) => a.areas)).toEqual([['ML05']]);
    expect((await listAlerts(t.ctx, confAnalyst, { severity: 'critical', rule: 'flash' })).total).toBe(1);
    expect((await listAlerts(t.ctx, confAnalyst, { to: '2026-01-01' })).total).toBe(0);
  });
});
