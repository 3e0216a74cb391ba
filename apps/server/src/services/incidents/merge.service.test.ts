import { fieldErrors } from '@vigie/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident, patchIncident } from './incident.service.js';
import { getIncident, incidentHistory } from './incident-reads.js';
import { mergeIncident, previewMerge, unmergeIncident } from './merge.service.js';
import { SYSTEM, type Principal } from '../principal.js';

const problem = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, fields: (e.errors ?? []).map((x) => x.field) };
    if (e instanceof ZodError) return { code: 'validation_failed', fields: fieldErrors(e).map((x) => x.field) };
    throw e;
  }
  return { code: 'no error', fields: [] };
};

describe.each(ENGINES)('merging duplicates on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  let analyst: Principal;
  let lowAnalyst: Principal;
  let analystBfa: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    lowAnalyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    analystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
  });
  afterAll(async () => t.drop());

  /** The report of the issue: an attack killing 11 civilians, and an abduction of 5 filed for the same place and day. */
  async function pair() {
    const attack = (await createIncident(t.ctx, reporter, newIncident({
      place_name: 'Sabon Tenda', fatalities_best: 11, civilian_fatalities: 11, injured: 3, narrative: 'Attaque du village ; onze civils tués.',
      sources: [{ name: 'Maire de Sabon Tenda', kind: 'local_authority', reliability: 'B', credibility: 2 }],
    }))).incident;
    const abduction = (await createIncident(t.ctx, reporter, newIncident({
      place_name: 'Sabon Tenda', sub_event_type: 'abduction_forced_disappearance', fatalities_best: 0, civilian_fatalities: 0, injured: 0, abducted: 5,
      narrative: 'Cinq habitants enlevés.', tags: ['enlèvement'], classification: 'confidential', sharing_scope: 'national',
      sources: [{ name: 'Radio locale', kind: 'media', reliability: 'C', credibility: 3 }],
    }))).incident;
    return { attack, abduction };
  }

  it('keeps every casualty by default: the higher tolls, both narratives, both sources, the stricter protection', async () => {
    const { attack, abduction } = await pair();
    const preview = await previewMerge(t.ctx, analyst, attack.id, { into: abduction.id });
    expect(preview.result).toMatchObject({ fatalities_best: 11, civilian_fatalities: 11, injured: 3, abducted: 5, classification: 'confidential', sharing_scope: 'national' });
    expect(preview.result.narrative).toContain('onze civils tués');
    expect(preview.result.narrative).toContain('Cinq habitants enlevés');
    expect(preview.result.sources.map((s) => s.name)).toEqual(['Radio locale', 'Maire de Sabon Tenda']);
    expect(preview.fields.find((f) => f.field === 'fatalities_best')).toMatchObject({ choice: 'this' });
    // A preview writes nothing.
    expect((await getIncident(t.ctx, analyst, abduction.id)).fatalities_best).toBe(0);

    const merged = await mergeIncident(t.ctx, analyst, attack.id, { into: abduction.id, version: attack.version, into_version: abduction.version });
    expect(merged).toMatchObject({ status: 'merged', merged_into: abduction.id });
    const kept = await getIncident(t.ctx, analyst, abduction.id);
    expect(kept).toMatchObject({ fatalities_best: 11, civilian_fatalities: 11, abducted: 5, version: 2, classification: 'confidential', sharing_scope: 'national' });
    expect(kept.sources).toHaveLength(2);
  });

  it('takes the values the analyst chose, field by field, and says which choice breaks a rule', async () => {
    const { attack, abduction } = await pair();
    const choices = { event: 'this', fatalities_best: 'into', civilian_fatalities: 'into', narrative: 'into' } as const;
    const preview = await previewMerge(t.ctx, analyst, attack.id, { into: abduction.id, choices });
    expect(preview.result).toMatchObject({ sub_event_type: 'attack', fatalities_best: 0, narrative: 'Cinq habitants enlevés.' });
    // Choosing the killed toll brings the civilians killed with it, unless the analyst chooses them too.
    expect((await previewMerge(t.ctx, analyst, attack.id, { into: abduction.id, choices: { fatalities_best: 'into' } })).result).toMatchObject({ fatalities_best: 0, civilian_fatalities: 0, abducted: 5 });
    // 11 civilians out of 0 killed: the civilian toll's choice is named, nothing is written.
    const bad = await problem(mergeIncident(t.ctx, analyst, attack.id, { into: abduction.id, choices: { fatalities_best: 'into', civilian_fatalities: 'this' } }));
    expect(bad).toEqual({ code: 'validation_failed', fields: ['choices.civilian_fatalities'] });
    // @ts-expect-error `both` is for the narrative only: a toll given it is refused, naming the field.
    expect((await problem(previewMerge(t.ctx, analyst, attack.id, { into: abduction.id, choices: { injured: 'both' } }))).fields).toEqual(['choices.injured']);
    expect((await getIncident(t.ctx, analyst, attack.id)).status).toBe('submitted');
  });

  it('answers a retried merge with the same result and writes it once', async () => {
    const { attack, abduction } = await pair();
    const body = { into: abduction.id, version: attack.version, choices: { abducted: 'into' } } as const;
    await mergeIncident(t.ctx, analyst, attack.id, body);
    const again = await mergeIncident(t.ctx, analyst, attack.id, body);
    expect(again).toMatchObject({ status: 'merged', merged_into: abduction.id, version: 2 });
    expect((await getIncident(t.ctx, analyst, abduction.id)).version).toBe(2);
    expect((await problem(mergeIncident(t.ctx, analyst, attack.id, { into: abduction.id, choices: { abducted: 'this' } }))).code).toBe('invalid_transition');
  });

  it('undoes a merge: both records as before, the history of both tells it, and a second undo changes nothing', async () => {
    const { attack, abduction } = await pair();
    await mergeIncident(t.ctx, analyst, attack.id, { into: abduction.id });
    const reopened = await unmergeIncident(t.ctx, analyst, attack.id, { reason: 'Deux événements distincts' });
    expect(reopened).toMatchObject({ status: 'submitted', merged_into: null, version: 3 });
    const kept = await getIncident(t.ctx, analyst, abduction.id);
    expect(kept).toMatchObject({ fatalities_best: 0, abducted: 5, narrative: 'Cinq habitants enlevés.', version: 3 });
    expect(kept.sources).toHaveLength(1);
    const again = await unmergeIncident(t.ctx, analyst, attack.id, {});
    expect(again.version).toBe(3);
    const hist = await incidentHistory(t.ctx, analyst, abduction.id);
    expect(hist.map((v) => (v.accessible ? [v.action, v.related_incident ?? null] : null))).toEqual([['create', null], ['absorb', attack.id], ['unabsorb', attack.id]]);
    const mine = await incidentHistory(t.ctx, analyst, attack.id);
    expect(mine.map((v) => (v.accessible ? v.action : null))).toEqual(['create', 'merge', 'unmerge']);
    // Merged again after the undo, then the kept record edited: undo is refused rather than overwrite that edit.
    await mergeIncident(t.ctx, analyst, attack.id, { into: abduction.id });
    const edited = await getIncident(t.ctx, analyst, abduction.id);
    await patchIncident(t.ctx, analyst, abduction.id, { version: edited.version, injured: 4 });
    expect(await problem(unmergeIncident(t.ctx, analyst, attack.id, {}))).toEqual({ code: 'version_conflict', fields: ['merged_into'] });
  });

  it('lets only analysts of the state who see both records merge or undo, and never with a location they see coarsened', async () => {
    const { attack, abduction } = await pair();
    expect((await problem(mergeIncident(t.ctx, analystBfa, attack.id, { into: abduction.id }))).code).toBe('not_found');
    // The abduction is confidential: an analyst cleared 1 does not see it.
    expect(await problem(mergeIncident(t.ctx, lowAnalyst, attack.id, { into: abduction.id }))).toEqual({ code: 'validation_failed', fields: ['into'] });
    const bfa = (await createIncident(t.ctx, SYSTEM, newIncident({ state: 'BFA', sharing_scope: 'confederation' }), { reportingState: 'BFA', status: 'validated' })).incident;
    expect(await problem(mergeIncident(t.ctx, analyst, attack.id, { into: bfa.id }))).toEqual({ code: 'forbidden', fields: ['into'] });
    const hidden = (await createIncident(t.ctx, reporter, newIncident({ place_name: 'Lieu protégé', exact_location_classification: 'secret' }))).incident;
    const visible = (await createIncident(t.ctx, reporter, newIncident({ classification: 'restricted' }))).incident;
    const secretPlace = await problem(previewMerge(t.ctx, lowAnalyst, hidden.id, { into: visible.id, choices: { location: 'this' } }));
    expect(secretPlace).toEqual({ code: 'forbidden', fields: ['choices.location'] });
    // Kept location, but the merged record's protection carries over: the exact point is not shown to those below it.
    await mergeIncident(t.ctx, analyst, hidden.id, { into: visible.id });
    const seen = await getIncident(t.ctx, lowAnalyst, visible.id);
    expect(seen).toMatchObject({ exact_location_classification: 'secret', location_coarsened: true, place_name: null });
    expect((await problem(unmergeIncident(t.ctx, analystBfa, hidden.id, {}))).code).toBe('forbidden');
  });
});
