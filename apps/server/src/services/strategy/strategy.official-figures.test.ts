import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from '../incidents/incident.service.js';
import { validateIncident } from '../incidents/incident-workflow.js';
import { SYSTEM, type Principal } from '../principal.js';
import { buildReport, createEvaluation, getEvaluation, patchEvaluation } from './strategy.evaluation.service.js';
import { strategyProgress } from './strategy.progress.service.js';
import { addAxis, addIndicator, addObjective, createStrategy } from './strategy.service.js';
import { approveValue, enterValue } from './strategy.values.service.js';
import { renderReportHtml } from './report-html.js';
import { renderReportPdf } from './report-pdf.js';
import { confValue, fmt, pct } from './report-text.js';

async function problemOf(p: Promise<unknown>): Promise<{ code: string; status: number } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, status: e.status };
    throw e;
  }
}

/** Official figures: an evaluation is computed for its stated audience and ceiling, and frozen when final. */
describe.each(ENGINES)('official figures of an evaluation on %s', (kind) => {
  let t: TestVigie;
  let conf: Principal;
  let focalMli: Principal;
  let focalBfa: Principal;
  let decider: Principal;
  let restrictedReader: Principal;
  let strategyId: string;
  let objectiveId: string;
  let manualId: string;

  const incident = async (state: string, civilians: number, o: { classification?: 'restricted' | 'confidential'; sharing_scope?: 'national' | 'confederation' } = {}) => {
    const analyst = await newUser(t.ctx, { org: state, role: 'analyst', clearance: 3 });
    const { incident: inc } = await createIncident(t.ctx, analyst, newIncident({ state, occurred_start: '2026-02-10T08:00:00Z', fatalities_best: civilians, civilian_fatalities: civilians, ...o }));
    await validateIncident(t.ctx, analyst, inc.id);
  };
  const civilians = (p: { axes: { objectives: { indicators: { code: string; cells: { state: string | null; value: number | null }[] }[] }[] }[] }) =>
    p.axes[0]?.objectives[0]?.indicators.find((i) => i.code === 'I1')?.cells[0]?.value;

  beforeAll(async () => {
    t = await testVigie(kind);
    conf = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    focalMli = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    focalBfa = await newUser(t.ctx, { org: 'BFA', role: 'focal_point', clearance: 3 });
    decider = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 2 });
    restrictedReader = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 1 });
    const s = await createStrategy(t.ctx, conf, { code: 'SC-OF', title_fr: 'Stratégie', title_en: 'Strategy', valid_from: '2025-01-01', valid_to: '2026-12-31' });
    strategyId = s.id;
    const axis = await addAxis(t.ctx, conf, s.id, { code: 'A1', name_fr: 'Protéger les civils', name_en: 'Protect civilians', civilian_protection: true });
    const obj = await addObjective(t.ctx, conf, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    objectiveId = obj.id;
    await addIndicator(t.ctx, conf, obj.id, {
      code: 'I1', name_fr: 'Civils tués', name_en: 'Civilians killed', unit: 'count', direction: 'decrease', frequency: 'quarter', source: 'computed',
      civilian_harm: true, definition: { measure: 'civilian_fatalities' }, targets: [{ period: '2026-Q1', state: null, value: 10 }],
    });
    manualId = (await addIndicator(t.ctx, conf, obj.id, {
      code: 'I2', name_fr: 'Opérations conjointes', name_en: 'Joint operations', unit: 'count', direction: 'increase', frequency: 'quarter', source: 'manual',
      targets: [{ period: '2026-Q1', state: null, value: 22 }],
    })).id;
    // Shared and restricted (everyone's), shared but confidential, and Mali's own: each reader sees a different total.
    await incident('MLI', 4);
    await incident('BFA', 10, { classification: 'confidential' });
    await incident('MLI', 7, { sharing_scope: 'national' });
    const analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const v = await enterValue(t.ctx, analystMli, manualId, { period: '2026-Q1', value: 6, submit: true });
    await approveValue(t.ctx, focalMli, v.id);
  });
  afterAll(async () => t.drop());

  it('live pages show each reader their own view; the evaluation shows its audience\'s view to everyone', async () => {
    expect(civilians(await strategyProgress(t.ctx, conf, strategyId, '2026-Q1'))).toBe(14);
    expect(civilians(await strategyProgress(t.ctx, focalMli, strategyId, '2026-Q1'))).toBe(21);
    expect(civilians(await strategyProgress(t.ctx, restrictedReader, strategyId, '2026-Q1'))).toBe(4);
    const e = await createEvaluation(t.ctx, conf, strategyId, { period: '2026-Q1' });
    expect(e).toMatchObject({ audience: 'CONF', ceiling: 'restricted', as_of: null, status: 'draft' });
    for (const reader of [conf, focalMli, decider, restrictedReader]) expect(civilians((await getEvaluation(t.ctx, reader, e.id)).progress)).toBe(4);
  });

  it('freezes the figures when final: later incidents do not change them, every reader and the CLI get the same report', async () => {
    const e = await createEvaluation(t.ctx, conf, strategyId, { period: '2025-Q4', narrative: 'Trimestre de référence.' });
    await patchEvaluation(t.ctx, conf, e.id, { version: e.version, status: 'final' });
    const q1 = (await getEvaluation(t.ctx, conf, (await createEvaluation(t.ctx, conf, strategyId, { period: '2026-Q2' })).id));
    const final = await patchEvaluation(t.ctx, conf, q1.id, { version: q1.version, status: 'final' });
    expect(final.as_of).toMatch(/^\d{4}-\d\d-\d\dT/);
    const before = (await buildReport(t.ctx, focalMli, final.id)).civilianHarm.civilian_fatalities[''];
    await incident('NER', 30);
    expect(civilians(await strategyProgress(t.ctx, restrictedReader, strategyId, '2026-Q1'))).toBe(34);
    const models = await Promise.all([conf, focalMli, decider, restrictedReader, SYSTEM].map((p) => buildReport(t.ctx, p, final.id)));
    expect(models[0]?.civilianHarm.civilian_fatalities['']).toEqual(before);
    const html = models.map(renderReportHtml);
    for (const h of html) expect(h).toBe(html[0]);
    expect(html[0]).toContain('Chiffres établis pour : ');
    expect(html[0]).toContain('jusqu&#39;à « Diffusion restreinte » · Données arrêtées le');
    const pdfs = await Promise.all(models.slice(0, 2).map(renderReportPdf));
    expect(pdfs[0]?.equals(pdfs[1] as Buffer)).toBe(true);
    // Back to draft: figures are live again (for the audience), and re-frozen on the next finalisation.
    const back = await patchEvaluation(t.ctx, conf, final.id, { version: final.version, status: 'draft' });
    expect(back.as_of).toBeNull();
  });

  it('refuses the figures to readers outside the audience or below the ceiling, with a 403', async () => {
    // The confederation's staff cannot compute Mali's own view (it holds records they may not read); the operator can.
    expect((await problemOf(createEvaluation(t.ctx, conf, strategyId, { period: '2026-Q3', audience: 'MLI' })))?.code).toBe('validation_failed');
    const e = await createEvaluation(t.ctx, SYSTEM, strategyId, { period: '2026-Q3', audience: 'MLI', ceiling: 'confidential' });
    await patchEvaluation(t.ctx, SYSTEM, e.id, { version: e.version, status: 'final' });
    expect(civilians((await getEvaluation(t.ctx, focalMli, e.id)).progress)).not.toBeUndefined();
    expect(await problemOf(buildReport(t.ctx, focalBfa, e.id))).toEqual({ code: 'forbidden', status: 403 });
    expect(await problemOf(getEvaluation(t.ctx, focalBfa, e.id))).toEqual({ code: 'forbidden', status: 403 });
    const lowMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    expect(await problemOf(buildReport(t.ctx, lowMli, e.id))).toEqual({ code: 'forbidden', status: 403 });
    // Nobody sets a ceiling above their own clearance, nor an unknown audience.
    expect((await problemOf(createEvaluation(t.ctx, decider, strategyId, { period: '2026-Q4' })))?.code).toBe('forbidden');
    const low = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 1 });
    expect((await problemOf(createEvaluation(t.ctx, low, strategyId, { period: '2026-Q4', ceiling: 'secret' })))?.code).toBe('validation_failed');
    expect((await problemOf(createEvaluation(t.ctx, conf, strategyId, { period: '2026-Q4', audience: 'XYZ' })))?.code).toBe('validation_failed');
  });

  it("does not rate a confederation total that only some states declared, and says how many did", async () => {
    const ind = (await strategyProgress(t.ctx, conf, strategyId, '2026-Q1')).axes[0]?.objectives[0]?.indicators.find((i) => i.id === manualId);
    expect(ind?.cells[0]).toMatchObject({ value: 6, target: 22, achievement: null, status: null, coverage: { reported: 1, expected: 3 } });
    expect(ind?.status).toBeNull();
    expect(confValue(ind?.cells[0], 'count')).toBe('6 (1 État sur 3 a déclaré)');
  });

  it('prints progress that moved away from the target as a setback and counts as whole numbers', () => {
    expect(pct(-1.29)).toBe('0 % (recul)');
    expect(pct(0.5)).toBe('50 %');
    expect(fmt(0.8, 'count')).toBe('1');
    expect(fmt(0.8, 'ratio')).toBe('0,8');
  });
});
