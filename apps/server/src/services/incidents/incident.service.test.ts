import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newId, newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { readableHistory } from '../../test-support/history.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { assignIncident, rejectIncident, submitIncident, validateIncident } from './incident-workflow.js';
import { createIncident, patchIncident } from './incident.service.js';
import { getIncident, incidentHistory, listIncidents } from './incident-reads.js';
import { mergeIncident } from './merge.service.js';
import type { Principal } from '../principal.js';

const problemCode = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof Problem) return e.code;
    if (e instanceof ZodError) return 'validation_failed';
    throw e;
  }
  return 'no error';
};

describe.each(ENGINES)('incident registry on %s', (kind) => {
  let t: TestVigie;
  let reporterMli: Principal;
  let analystMli: Principal;
  let analystMli2: Principal;
  let analystBfa: Principal;
  let lowAnalystBfa: Principal;
  let confAnalyst: Principal;
  let decider: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    reporterMli = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    analystMli2 = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    analystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    lowAnalystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 1 });
    confAnalyst = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    decider = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 3 });
  });
  afterAll(async () => t.drop());

  it('creates an incident once per client id: a retry returns it, other content is a conflict', async () => {
    const body = newIncident();
    const first = await createIncident(t.ctx, reporterMli, body);
    expect(first.created).toBe(true);
    expect(first.incident).toMatchObject({ id: body.id, reporting_state: 'MLI', status: 'submitted', version: 1, admin1_code: 'ML05' });
    const again = await createIncident(t.ctx, reporterMli, body);
    expect(again.created).toBe(false);
    expect(again.incident.version).toBe(1);
    expect(await problemCode(createIncident(t.ctx, reporterMli, { ...body, fatalities_best: 9, civilian_fatalities: 2 }))).toBe('id_conflict');
    const page = await listIncidents(t.ctx, analystMli, { q: 'marche hebdomadaire' });
    expect(page.items.filter((i) => i.id === body.id)).toHaveLength(1);
  });

  it('refuses a point outside every member state and an unknown actor, naming the field', async () => {
    const outside = newIncident({ latitude: 48.85, longitude: 2.35 });
    const err = await createIncident(t.ctx, reporterMli, outside).catch((e: Problem) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).code).toBe('location_outside_states');
    const badActor = await createIncident(t.ctx, reporterMli, newIncident({ actor1: 'NOPE' })).catch((e: Problem) => e);
    expect((badActor as Problem).errors?.[0]?.field).toBe('actor1');
    const badType = await createIncident(t.ctx, reporterMli, newIncident({ event_type: 'battles', sub_event_type: 'attack' })).catch((e: ZodError) => e);
    expect(badType).toBeInstanceOf(ZodError);
    expect((badType as ZodError).issues[0]?.path).toEqual(['sub_event_type']);
  });

  it('enforces who sees what on single reads, lists and search', async () => {
    const national = (await createIncident(t.ctx, analystMli, newIncident({ sharing_scope: 'national', narrative: 'embuscade nationale Boni' }))).incident;
    const shared = (await createIncident(t.ctx, analystMli, newIncident({ sharing_scope: 'confederation', narrative: 'embuscade partagée Boni' }))).incident;
    const secret = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', classification: 'secret', narrative: 'embuscade secrète Djibo' }))).incident;
    for (const i of [national, shared]) await validateIncident(t.ctx, analystMli, i.id);
    await validateIncident(t.ctx, analystBfa, secret.id);

    // Another state's analyst sees the shared record but not the national one.
    expect(await problemCode(getIncident(t.ctx, analystBfa, national.id))).toBe('not_found');
    expect((await getIncident(t.ctx, analystBfa, shared.id)).id).toBe(shared.id);
    const bfaSearch = await listIncidents(t.ctx, analystBfa, { q: 'embuscade' });
    expect(bfaSearch.items.map((i) => i.id).sort()).toEqual([shared.id, secret.id].sort());
    // Clearance below classification hides the record everywhere.
    const low = await listIncidents(t.ctx, lowAnalystBfa, { q: 'embuscade' });
    expect(low.items.map((i) => i.id)).toEqual([shared.id]);
    expect(await problemCode(getIncident(t.ctx, lowAnalystBfa, secret.id))).toBe('not_found');
    // Confederation staff read what is shared with the confederation, at their clearance.
    const conf = await listIncidents(t.ctx, confAnalyst, { q: 'embuscade' });
    expect(conf.items.map((i) => i.id).sort()).toEqual([shared.id, secret.id].sort());
    // Decision makers read dashboards, not incident records.
    expect(await problemCode(listIncidents(t.ctx, decider, {}))).toBe('forbidden');
  });

  it('keeps drafts to their reporter and submitted reports to their state', async () => {
    const draft = (await createIncident(t.ctx, reporterMli, newIncident({ status: 'draft' }))).incident;
    expect(await problemCode(getIncident(t.ctx, analystMli, draft.id))).toBe('not_found');
    const submitted = await submitIncident(t.ctx, reporterMli, draft.id);
    expect(submitted.status).toBe('submitted');
    expect((await getIncident(t.ctx, analystMli, draft.id)).status).toBe('submitted');
    expect(await problemCode(getIncident(t.ctx, confAnalyst, draft.id))).toBe('not_found');
  });

  it('coarsens the location for readers below the record’s exact-location level, in lists, bbox filters and history', async () => {
    const exact = { latitude: 14.123456, longitude: -1.654321 };
    const rec = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', ...exact, exact_location_classification: 'secret', place_name: 'Lieu sensible' }))).incident;
    await validateIncident(t.ctx, analystBfa, rec.id);
    const full = await getIncident(t.ctx, analystBfa, rec.id);
    expect(full).toMatchObject({ ...exact, location_coarsened: false, place_name: 'Lieu sensible' });
    const seen = await getIncident(t.ctx, analystMli, rec.id);
    expect(seen.location_coarsened).toBe(true);
    expect(seen.place_name).toBeNull();
    expect(Math.abs(seen.latitude - exact.latitude) + Math.abs(seen.longitude - exact.longitude)).toBeGreaterThan(0.01);
    // A tiny box around the exact point must not reveal the record to the coarsened reader.
    const bbox = `${exact.longitude - 0.001},${exact.latitude - 0.001},${exact.longitude + 0.001},${exact.latitude + 0.001}`;
    expect((await listIncidents(t.ctx, analystMli, { bbox })).items.map((i) => i.id)).not.toContain(rec.id);
    expect((await listIncidents(t.ctx, analystBfa, { bbox })).items.map((i) => i.id)).toContain(rec.id);
    // Nor may a search on the hidden place name.
    expect((await listIncidents(t.ctx, analystMli, { q: 'sensible' })).items.map((i) => i.id)).not.toContain(rec.id);
    const history = await incidentHistory(t.ctx, analystMli, rec.id);
    // The submitted first version was never visible outside BFA: a placeholder; the validated one is coarsened.
    expect(history.map((v) => v.accessible)).toEqual([false, true]);
    expect(history.every((v) => !v.accessible || (v.snapshot.location_coarsened && v.snapshot.latitude !== exact.latitude))).toBe(true);
  });

  it('edits with optimistic concurrency and keeps every version with what changed and why', async () => {
    const rec = (await createIncident(t.ctx, analystMli, newIncident())).incident;
    const v2 = await patchIncident(t.ctx, analystMli, rec.id, { version: 1, fatalities_best: 5, civilian_fatalities: 3, change_reason: 'bilan revu' });
    expect(v2).toMatchObject({ version: 2, fatalities_best: 5, civilian_fatalities: 3 });
    const stale = await patchIncident(t.ctx, analystMli2, rec.id, { version: 1, injured: 4 }).catch((e: Problem) => e);
    expect(stale).toBeInstanceOf(Problem);
    expect((stale as Problem).code).toBe('version_conflict');
    expect((stale as Problem).extra.current_version).toBe(2);
    const history = await readableHistory(t.ctx, analystMli, rec.id);
    expect(history.map((h) => [h.version, h.action])).toEqual([[1, 'create'], [2, 'update']]);
    expect(history[1]?.changed_fields.sort()).toEqual(['civilian_fatalities', 'fatalities_best']);
    expect(history[1]?.reason).toBe('bilan revu');
    expect(history[0]?.snapshot.fatalities_best).toBe(2);
  });

  it('moves through review: take it, validate, reject with a reason, merge a duplicate', async () => {
    const a = (await createIncident(t.ctx, reporterMli, newIncident())).incident;
    const b = (await createIncident(t.ctx, reporterMli, newIncident())).incident;
    const c = (await createIncident(t.ctx, reporterMli, newIncident())).incident;
    expect((await assignIncident(t.ctx, analystMli, a.id, true)).assigned_to).toBe(analystMli.userId);
    expect(await problemCode(assignIncident(t.ctx, analystMli2, a.id, true))).toBe('conflict');
    expect(await problemCode(validateIncident(t.ctx, analystBfa, a.id))).toBe('not_found');
    expect((await validateIncident(t.ctx, analystMli, a.id)).status).toBe('validated');
    expect(await problemCode(validateIncident(t.ctx, analystMli, a.id))).toBe('invalid_transition');
    expect(await problemCode(rejectIncident(t.ctx, analystMli, b.id, { reason: '' }))).toBe('validation_failed');
    expect((await rejectIncident(t.ctx, analystMli, b.id, { reason: 'Doublon non confirmé' })).rejection_reason).toBe('Doublon non confirmé');
    const merged = await mergeIncident(t.ctx, analystMli, c.id, { into: a.id });
    expect(merged).toMatchObject({ status: 'merged', merged_into: a.id });
    expect(await problemCode(mergeIncident(t.ctx, analystMli, a.id, { into: newId() }))).toBe('validation_failed');
    expect(await problemCode(validateIncident(t.ctx, reporterMli, c.id))).toBe('forbidden');
  });

  it('filters by period, state, type, actor and status, and pages with a cursor without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let d = 1; d <= 7; d++) {
      const rec = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', occurred_start: `2025-01-0${d}T10:00:00Z`, event_type: 'battles', sub_event_type: 'armed_clash', actor1: 'FDS-BFA', actor2: 'JNIM', civilian_fatalities: 0 }))).incident;
      await validateIncident(t.ctx, analystBfa, rec.id);
      ids.push(rec.id);
    }
    const filter = { from: '2025-01-02', to: '2025-01-06', states: 'BFA', event_types: 'battles', actors: 'JNIM', status: 'validated' };
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listIncidents(t.ctx, analystBfa, { ...filter, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids.slice(1, 6).reverse());
    const rec = await getIncident(t.ctx, analystBfa, ids[0]!);
    expect(rec.interaction).toBe(12);
  });

  it('writes every change to a hash chain that verifies', async () => {
    const res = await verifyAuditChain(t.ctx.engine);
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(20);
  });
});
