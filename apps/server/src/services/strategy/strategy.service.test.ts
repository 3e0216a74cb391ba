import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { addAction, addActionNote, addDecision, createMeeting, listActions, overdueActions, patchAction } from '../coordination/coordination.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { validateIncident } from '../incidents/incident-workflow.js';
import type { Principal } from '../principal.js';
import { buildReport, createEvaluation, getEvaluation, listStrategyEvaluations, patchEvaluation } from './strategy.evaluation.service.js';
import { indicatorTrend, strategyProgress } from './strategy.progress.service.js';
import { addAxis, addIndicator, addObjective, createStrategy, getStrategy, listStrategies, reviseStrategy } from './strategy.service.js';
import { approveValue, enterValue, listStrategyValues, reportingStatus, returnValue, submitValue } from './strategy.values.service.js';
import { renderReportHtml } from './report-html.js';
import { renderReportPdf } from './report-pdf.js';

/** The error a call fails with: its code and the fields it names. */
async function failure(p: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, fields: (e.errors ?? []).map((x) => x.field) };
    if (e instanceof ZodError) return { code: 'validation_failed', fields: e.issues.map((i) => i.path.join('.')) };
    throw e;
  }
  return { code: 'no error', fields: [] };
}

describe.each(ENGINES)('strategy and coordination on %s', (kind) => {
  let t: TestVigie;
  let conf: Principal;
  let analystMli: Principal;
  let focalMli: Principal;
  let focalBfa: Principal;
  let decider: Principal;
  let strategyId: string;
  let objectiveId: string;
  let civIndicator: string;
  let manualIndicator: string;
  const count = async (table: 'indicator_values' | 'strategy_indicators' | 'indicator_targets' | 'evaluations') =>
    Number((await t.ctx.engine.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await testVigie(kind);
    conf = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    focalMli = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    focalBfa = await newUser(t.ctx, { org: 'BFA', role: 'focal_point', clearance: 3 });
    decider = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 2 });
    const s = await createStrategy(t.ctx, conf, { code: 'SC-2026', title_fr: 'Stratégie commune 2026', title_en: 'Common strategy 2026', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    strategyId = s.id;
    const axis = await addAxis(t.ctx, conf, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
    const obj = await addObjective(t.ctx, conf, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    objectiveId = obj.id;
    civIndicator = (await addIndicator(t.ctx, conf, obj.id, {
      code: 'I1', name_fr: 'Civils tués (Mopti)', name_en: 'Civilians killed (Mopti)', unit: 'count', direction: 'decrease', frequency: 'quarter',
      source: 'computed', civilian_harm: true, baseline_value: 20, baseline_period: '2025',
      definition: { measure: 'civilian_fatalities', filter: { admin1: ['ML05'] } },
      targets: [{ period: '2026-Q1', state: null, value: 10 }, { period: '2026-Q1', state: 'MLI', value: 10 }],
    })).id;
    manualIndicator = (await addIndicator(t.ctx, conf, obj.id, {
      code: 'I2', name_fr: 'Communes avec comité de protection (%)', name_en: 'Communes with protection committee (%)', unit: 'percent',
      direction: 'increase', frequency: 'quarter', source: 'manual', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
    })).id;
  });
  afterAll(async () => t.drop());

  it('builds the structure and computes an indicator from the same aggregates, recomputed when incidents change', async () => {
    const tree = await getStrategy(t.ctx, decider, strategyId);
    expect(tree.axes[0]?.objectives[0]?.indicators.map((i) => i.code)).toEqual(['I1', 'I2']);
    const before = await strategyProgress(t.ctx, decider, strategyId, '2026-Q1');
    const cell = () => before.axes[0]?.objectives[0]?.indicators[0]?.cells.find((c) => c.state === 'MLI');
    expect(cell()?.value).toBe(0);
    const inc = (await createIncident(t.ctx, analystMli, newIncident({ occurred_start: '2026-02-10T08:00:00Z', fatalities_best: 6, civilian_fatalities: 4 }))).incident;
    await validateIncident(t.ctx, analystMli, inc.id);
    const after = await strategyProgress(t.ctx, decider, strategyId, '2026-Q1');
    const ind = after.axes[0]?.objectives[0]?.indicators[0];
    expect(ind?.cells.find((c) => c.state === 'MLI')?.value).toBe(4);
    expect(ind?.cells[0]).toMatchObject({ state: null, value: 4, target: 10 });
    // 20 → 4 against a target of 10: beyond the target, on track.
    expect(ind?.status).toBe('on_track');
    expect(ind?.cells.find((c) => c.state === 'NER')?.value).toBe(0);
    const trend = await indicatorTrend(t.ctx, decider, civIndicator);
    expect(trend.periods[0]).toBe('2026-Q1');
    expect(trend.series[0]?.values[0]).toBe(4);
  });

  it('refuses bad definitions and targets with the field named, writing nothing', async () => {
    const n = await count('strategy_indicators');
    const base = { code: 'BAD', name_fr: 'x', name_en: 'x', unit: 'count', direction: 'decrease', frequency: 'quarter', source: 'computed' } as const;
    expect(await failure(addIndicator(t.ctx, conf, objectiveId, { ...base, definition: { measure: 'deaths' } as never }))).toEqual({ code: 'validation_failed', fields: ['definition.measure'] });
    expect(await failure(addIndicator(t.ctx, conf, objectiveId, { ...base, definition: { measure: 'incidents', filter: { admin1: ['ZZ99'] } } }))).toEqual({ code: 'validation_failed', fields: ['definition.filter.admin1.0'] });
    expect(await failure(addIndicator(t.ctx, conf, objectiveId, { ...base, definition: { measure: 'incidents' }, targets: [{ period: '2030-Q1', state: null, value: 3 }] }))).toEqual({ code: 'validation_failed', fields: ['targets.0.period'] });
    expect(await failure(addIndicator(t.ctx, conf, objectiveId, { ...base, definition: { measure: 'incidents' }, targets: [{ period: '2026-Q1', state: null, value: 2.5 }] }))).toEqual({ code: 'validation_failed', fields: ['targets.0.value'] });
    expect((await failure(addIndicator(t.ctx, analystMli, objectiveId, { ...base, definition: { measure: 'incidents' } }))).code).toBe('forbidden');
    expect(await count('strategy_indicators')).toBe(n);
  });

  it('takes values from the state, approved by its own focal point only', async () => {
    const n = await count('indicator_values');
    expect(await failure(enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 140 }))).toEqual({ code: 'validation_failed', fields: ['value'] });
    expect(await failure(enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 40, unit: 'count' }))).toEqual({ code: 'validation_failed', fields: ['unit'] });
    expect(await failure(enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 'beaucoup' as never }))).toEqual({ code: 'validation_failed', fields: ['value'] });
    expect((await failure(enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 40, state: 'BFA' }))).code).toBe('forbidden');
    expect(await failure(enterValue(t.ctx, analystMli, civIndicator, { period: '2026-Q1', value: 4 }))).toEqual({ code: 'validation_failed', fields: ['indicator_id'] });
    expect(await count('indicator_values')).toBe(n);

    const v = await enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 40, comment: 'Relevé des préfectures', evidence: [{ title: 'Rapport trimestriel' }] });
    expect(v).toMatchObject({ status: 'draft', state: 'MLI', value: 40 });
    // Another state does not see the draft; the decision maker neither.
    expect((await listStrategyValues(t.ctx, focalBfa, strategyId)).map((x) => x.id)).not.toContain(v.id);
    await submitValue(t.ctx, analystMli, v.id);
    expect((await failure(approveValue(t.ctx, analystMli, v.id))).code).toBe('forbidden');
    expect((await failure(approveValue(t.ctx, focalBfa, v.id))).code).toBe('forbidden');
    const returned = await returnValue(t.ctx, focalMli, v.id, { reason: 'Pièce justificative manquante' });
    expect(returned).toMatchObject({ status: 'returned', return_reason: 'Pièce justificative manquante' });
    await enterValue(t.ctx, analystMli, manualIndicator, { period: '2026-Q1', value: 45, submit: true, evidence: [{ title: 'Rapport trimestriel', reference: 'MLI/2026/T1' }] });
    const approved = await approveValue(t.ctx, focalMli, v.id);
    expect(approved).toMatchObject({ status: 'approved', value: 45 });
    expect((await listStrategyValues(t.ctx, focalBfa, strategyId)).map((x) => x.id)).toContain(v.id);
    const progress = await strategyProgress(t.ctx, decider, strategyId, '2026-Q1');
    const ind = progress.axes[0]?.objectives[0]?.indicators[1];
    expect(ind?.cells.find((c) => c.state === 'MLI')).toMatchObject({ value: 45, target: 50, achievement: 0.9, status: 'on_track' });
    const reporting = await reportingStatus(t.ctx, conf, strategyId, '2026-06-15');
    expect(reporting.find((r) => r.state === 'MLI' && r.period === '2026-Q1')).toMatchObject({ status: 'approved', late: false });
    expect(reporting.find((r) => r.state === 'NER' && r.period === '2026-Q1')).toMatchObject({ status: 'missing', late: true });
  });

  it('evaluates a period, with overrides only when justified, and renders the report in French with civilian harm', async () => {
    expect(await failure(createEvaluation(t.ctx, conf, strategyId, { period: '2026-Q1', ratings: [{ objective_id: objectiveId, rating: 'off_track' }] })))
      .toEqual({ code: 'validation_failed', fields: ['ratings.0.justification'] });
    expect(await count('evaluations')).toBe(0);
    expect((await failure(createEvaluation(t.ctx, decider, strategyId, { period: '2026-Q1' }))).code).toBe('forbidden');
    const e = await createEvaluation(t.ctx, conf, strategyId, {
      period: '2026-Q1', narrative: 'Le trimestre montre une baisse des victimes civiles.',
      ratings: [{ objective_id: objectiveId, rating: 'at_risk', justification: 'Les chiffres du premier trimestre restent fragiles.' }],
    });
    expect(e.ratings[0]).toMatchObject({ derived: 'on_track', rating: 'at_risk', final: 'at_risk' });
    const read = await getEvaluation(t.ctx, decider, e.id);
    expect(read.narrative).toContain('baisse');
    const model = await buildReport(t.ctx, decider, e.id);
    const html = renderReportHtml(model);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Rapport d&#39;évaluation de la stratégie commune');
    expect(html).toContain('id="atteintes-aux-civils"');
    expect(html).toContain('Axe 1 — Protection des civils');
    expect(model.civilianHarm.civilian_fatalities.MLI?.[0]).toBe(4);
    const pdf = await renderReportPdf(model);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(3000);
  });

  it('finalises an evaluation, then refuses edits until it is back to draft; readers below the clearance do not see the strategy', async () => {
    const [e] = await listStrategyEvaluations(t.ctx, decider, strategyId);
    const final = await patchEvaluation(t.ctx, conf, e?.id as string, { version: e?.version as number, status: 'final' });
    expect(final.status).toBe('final');
    expect((await failure(patchEvaluation(t.ctx, conf, final.id, { version: final.version, narrative: 'changement' }))).code).toBe('invalid_transition');
    const back = await patchEvaluation(t.ctx, conf, final.id, { version: final.version, status: 'draft', narrative: 'Révisé.' });
    expect(back).toMatchObject({ status: 'draft', narrative: 'Révisé.' });
    const uncleared = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 0 });
    expect((await failure(getStrategy(t.ctx, uncleared, strategyId))).code).toBe('not_found');
    expect((await listStrategies(t.ctx, uncleared)).map((x) => x.id)).not.toContain(strategyId);
  });

  it('revises a strategy: the old one stays readable and frozen', async () => {
    const next = await reviseStrategy(t.ctx, conf, strategyId, { code: 'SC-2027', valid_from: '2027-01-01', valid_to: '2027-12-31' });
    expect(next.supersedes_id).toBe(strategyId);
    expect(next.axes[0]?.objectives[0]?.indicators).toHaveLength(2);
    expect(next.axes[0]?.objectives[0]?.indicators[0]?.targets).toEqual([]);
    const old = await getStrategy(t.ctx, decider, strategyId);
    expect(old).toMatchObject({ status: 'superseded', superseded_by: next.id });
    expect((await failure(addAxis(t.ctx, conf, strategyId, { code: 'A9', name_fr: 'x', name_en: 'x' }))).code).toBe('invalid_transition');
  });

  it('follows meetings, decisions and actions, with overdue ones at a glance', async () => {
    const m = await createMeeting(t.ctx, conf, { title: 'Concertation des ministres de la Défense', date: '2026-01-20', place: 'Bamako', states: ['MLI', 'BFA', 'NER'], bodies: ['État-major de la Force unifiée'] });
    expect(await failure(createMeeting(t.ctx, conf, { title: 'Réunion', date: '2026-02-01', place: 'Niamey', states: ['MLI', 'XYZ'] }))).toEqual({ code: 'validation_failed', fields: ['states.1'] });
    const d = await addDecision(t.ctx, conf, m.id, { text: 'Opérationnaliser la Force unifiée' });
    expect(await failure(addAction(t.ctx, conf, d.id, { title: 'Action sans responsable', due_date: '2026-03-01' }))).toEqual({ code: 'validation_failed', fields: ['owner_state'] });
    const a = await addAction(t.ctx, conf, d.id, { title: 'Désigner les officiers de liaison', owner_state: 'MLI', due_date: '2026-02-01', objective_ids: [objectiveId], alert_id: 'alerte-123' });
    const b = await addAction(t.ctx, conf, d.id, { title: 'Plan de soutien logistique', owner_body: 'État-major de la Force unifiée', due_date: '2099-01-01' });
    expect((await overdueActions(t.ctx, decider)).items.map((x) => x.id)).toEqual([a.id]);
    expect((await failure(addActionNote(t.ctx, focalBfa, a.id, { text: 'ok' }))).code).toBe('forbidden');
    const noted = await addActionNote(t.ctx, analystMli, a.id, { text: 'Officiers désignés', status: 'done', evidence: [{ title: 'Note de service' }] });
    expect(noted).toMatchObject({ status: 'done', progress: 100, overdue: false });
    expect(noted.notes?.[0]?.organisation).toBe('MLI');
    expect((await failure(patchAction(t.ctx, analystMli, b.id, { version: 1, due_date: '2099-02-01' }))).code).toBe('forbidden');
    expect((await listActions(t.ctx, analystMli, { mine: 'true' })).map((x) => x.id)).toEqual([a.id]);
    expect((await listActions(t.ctx, decider, { objective_id: objectiveId })).map((x) => x.id)).toEqual([a.id]);
    expect((await overdueActions(t.ctx, decider)).count).toBe(0);
  });

  it('keeps the audit chain whole', async () => {
    const r = await verifyAuditChain(t.ctx.engine);
    expect(r.ok).toBe(true);
    const actions = await t.ctx.engine.db.selectFrom('audit_events').select('action').distinct().execute();
    expect(actions.map((x) => x.action)).toEqual(expect.arrayContaining(['strategy.create', 'strategy.indicator.create', 'indicator_value.approve', 'indicator_value.return', 'evaluation.create', 'strategy.revise', 'action.note']));
  });
});
