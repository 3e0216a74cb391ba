import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, POINTS, testVigie, type TestVigie } from '../../test-support/factories.js';
import { importBoundaries, readBoundaryFile } from '../geography/gazetteer.service.js';
import { createIncident, patchIncident } from './incident.service.js';
import { getIncident, incidentHistory } from './incident-reads.js';
import { validateIncident } from './incident-workflow.js';
import { SYSTEM, type Principal } from '../principal.js';

/** The problem a call ends with: its code and the fields it names. */
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, status: e.status, fields: (e.errors ?? []).map((f) => f.field) };
    if (e instanceof ZodError) return { code: 'validation_failed', status: 400, fields: e.issues.map((i) => i.path.join('.')) };
    throw e;
  }
  return { code: 'no error', status: 200, fields: [] };
};

describe.each(ENGINES)('what a reader sees of a record’s past, and who may change its protection, on %s', (kind) => {
  let t: TestVigie;
  let analystBfa: Principal;
  let reporterMli: Principal;
  let analystMli2: Principal;
  let lowAnalystMli: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    analystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    reporterMli = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    analystMli2 = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    lowAnalystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
  });
  afterAll(async () => t.drop());

  const auditOf = (id: string, action: string) =>
    t.ctx.engine.db.selectFrom('audit_events').select(['user_id', 'classification_level', 'details']).where('object_id', '=', id).where('action', '=', action).execute();

  /** A secret confederation record naming its source, validated, then lowered to restricted with a sanitised narrative. */
  async function sanitisedRecord() {
    const rec = (await createIncident(t.ctx, analystBfa, newIncident({
      state: 'BFA', classification: 'secret', narrative: 'Renseignement de la source HIBOU-7 au marché de Djibo', sharing_scope: 'confederation',
    }))).incident;
    await validateIncident(t.ctx, analystBfa, rec.id);
    await patchIncident(t.ctx, analystBfa, rec.id, {
      version: 2, classification: 'restricted', narrative: 'Attaque au marché de Djibo', change_reason: 'version expurgée pour diffusion',
    });
    return rec.id;
  }

  it('shows a reader cleared below a past version only its number and date', async () => {
    const id = await sanitisedRecord();
    const history = await incidentHistory(t.ctx, reporterMli, id);
    expect(history.map((v) => [v.version, v.accessible])).toEqual([[1, false], [2, false], [3, true]]);
    for (const v of history.slice(0, 2)) expect(Object.keys(v).sort()).toEqual(['accessible', 'changed_at', 'version']);
    const text = JSON.stringify(history);
    expect(text).not.toContain('HIBOU');
    expect(text).not.toContain('secret');
    expect(history[2]).toMatchObject({ accessible: true, reason: 'version expurgée pour diffusion', snapshot: { classification: 'restricted', narrative: 'Attaque au marché de Djibo' } });
    // Whoever was cleared for every version sees them all.
    expect((await incidentHistory(t.ctx, analystBfa, id)).map((v) => v.accessible)).toEqual([true, true, true]);
    // A reader who cannot read the record now gets nothing of its past.
    const raised = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA' }))).incident;
    await validateIncident(t.ctx, analystBfa, raised.id);
    await patchIncident(t.ctx, analystBfa, raised.id, { version: 2, classification: 'secret' });
    expect((await failure(incidentHistory(t.ctx, reporterMli, raised.id))).code).toBe('not_found');
  });

  it('audits a history read that returns confidential or secret versions, and only those', async () => {
    const id = await sanitisedRecord();
    await incidentHistory(t.ctx, reporterMli, id);
    expect(await auditOf(id, 'incident.history')).toEqual([]);
    const mid = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', classification: 'confidential' }))).incident;
    await validateIncident(t.ctx, analystBfa, mid.id);
    await patchIncident(t.ctx, analystBfa, mid.id, { version: 2, classification: 'restricted', change_reason: 'déclassifié' });
    await incidentHistory(t.ctx, analystMli2, mid.id);
    const rows = await auditOf(mid.id, 'incident.history');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: analystMli2.userId, classification_level: 2 });
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({ versions: [2] });
  });

  it('coarsens each past version by the location protection it had', async () => {
    const exact = { latitude: 14.123456, longitude: -1.654321 };
    const rec = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', ...exact, place_name: 'Puits de Gomdé', exact_location_classification: 'confidential' }))).incident;
    await validateIncident(t.ctx, analystBfa, rec.id);
    await patchIncident(t.ctx, analystBfa, rec.id, { version: 2, exact_location_classification: null, change_reason: 'lieu rendu public' });
    const [, protectedVersion, lifted] = await incidentHistory(t.ctx, reporterMli, rec.id);
    expect(protectedVersion?.accessible && protectedVersion.snapshot).toMatchObject({ location_coarsened: true, place_name: null });
    expect(protectedVersion?.accessible && protectedVersion.snapshot.latitude).not.toBe(exact.latitude);
    expect(JSON.stringify(protectedVersion)).not.toContain('Gomdé');
    expect(lifted?.accessible && lifted.snapshot).toMatchObject({ ...exact, location_coarsened: false, place_name: 'Puits de Gomdé' });
  });

  it('lets only someone cleared for a protected location change it, its point, precision or place', async () => {
    const exact = { latitude: 14.61, longitude: -4.02 };
    const rec = (await createIncident(t.ctx, SYSTEM, newIncident({ ...exact, place_name: 'Campement caché', exact_location_classification: 'secret' }), { reportingState: 'MLI', status: 'validated' })).incident;
    expect(await getIncident(t.ctx, lowAnalystMli, rec.id)).toMatchObject({ location_coarsened: true, place_name: null });
    for (const [field, value] of [['exact_location_classification', null], ['latitude', 14.7], ['longitude', -4.1], ['geo_precision', 3], ['place_name', 'Autre lieu']] as const) {
      expect(await failure(patchIncident(t.ctx, lowAnalystMli, rec.id, { version: 1, [field]: value, change_reason: 'essai' }))).toMatchObject({ code: 'forbidden', fields: [field] });
    }
    // Other fields stay editable, and the location stays as it was.
    const edited = await patchIncident(t.ctx, lowAnalystMli, rec.id, { version: 1, injured: 3 });
    expect(edited).toMatchObject({ version: 2, injured: 3, location_coarsened: true });
    expect(await getIncident(t.ctx, SYSTEM, rec.id)).toMatchObject({ ...exact, place_name: 'Campement caché', exact_location_classification: 'secret' });
  });

  it('refuses a classification or a location protection above the editor’s own clearance', async () => {
    const rec = (await createIncident(t.ctx, lowAnalystMli, newIncident())).incident;
    expect(await failure(patchIncident(t.ctx, lowAnalystMli, rec.id, { version: 1, classification: 'confidential' }))).toMatchObject({ code: 'forbidden', status: 403, fields: ['classification'] });
    expect(await failure(patchIncident(t.ctx, lowAnalystMli, rec.id, { version: 1, exact_location_classification: 'secret' }))).toMatchObject({ code: 'forbidden', fields: ['exact_location_classification'] });
    expect(await failure(createIncident(t.ctx, analystMli2, newIncident({ classification: 'secret' })))).toMatchObject({ code: 'forbidden', fields: ['classification'] });
    expect(await failure(createIncident(t.ctx, reporterMli, newIncident({ exact_location_classification: 'confidential' })))).toMatchObject({ code: 'forbidden', fields: ['exact_location_classification'] });
    expect((await getIncident(t.ctx, SYSTEM, rec.id)).version).toBe(1);
  });

  it('asks a reason to lower a classification or a location protection, and keeps it in history and audit', async () => {
    const rec = (await createIncident(t.ctx, analystMli2, newIncident({ classification: 'confidential', exact_location_classification: 'confidential' }))).incident;
    expect(await failure(patchIncident(t.ctx, analystMli2, rec.id, { version: 1, classification: 'restricted' }))).toMatchObject({ code: 'reason_required', status: 422, fields: ['change_reason'] });
    expect(await failure(patchIncident(t.ctx, analystMli2, rec.id, { version: 1, exact_location_classification: null }))).toMatchObject({ code: 'reason_required', fields: ['change_reason'] });
    expect((await getIncident(t.ctx, SYSTEM, rec.id)).version).toBe(1);
    await patchIncident(t.ctx, analystMli2, rec.id, { version: 1, classification: 'restricted', change_reason: 'source protégée retirée' });
    const last = (await incidentHistory(t.ctx, analystMli2, rec.id)).at(-1);
    expect(last).toMatchObject({ accessible: true, reason: 'source protégée retirée', changed_fields: ['classification'] });
    const [audit] = await auditOf(rec.id, 'incident.update');
    expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({ reason: 'source protégée retirée', lowered: { classification: ['confidential', 'restricted'] } });
    // The entry about a lowering is classified like the higher version it speaks of.
    expect(audit?.classification_level).toBe(2);
    // Raising needs no reason.
    expect((await patchIncident(t.ctx, analystMli2, rec.id, { version: 2, classification: 'confidential' })).version).toBe(3);
  });

  it('keeps a record’s point in its reporting state and its areas in that state, naming the field', async () => {
    const niger = await failure(createIncident(t.ctx, reporterMli, newIncident({ admin1_code: 'NE006' })));
    expect(niger).toMatchObject({ code: 'location_mismatch', status: 422, fields: ['admin1_code'] });
    expect(await failure(createIncident(t.ctx, reporterMli, newIncident({ ...POINTS.NER })))).toMatchObject({ code: 'location_mismatch', fields: ['latitude', 'longitude'] });
    const rec = (await createIncident(t.ctx, reporterMli, newIncident({ status: 'draft' }))).incident;
    expect(rec.admin1_code).toBe('ML05');
    expect(await failure(patchIncident(t.ctx, reporterMli, rec.id, { version: 1, admin1_code: 'NE006' }))).toMatchObject({ code: 'location_mismatch', fields: ['admin1_code'] });
    expect(await failure(patchIncident(t.ctx, reporterMli, rec.id, { version: 1, admin1_code: 'XX99' }))).toMatchObject({ code: 'validation_failed', fields: ['admin1_code'] });
  });

  it('accepts a point just across the border of its reporting state, within the gazetteer’s tolerance', async () => {
    // Walk from a point in Mali to one in Niger and find where the gazetteer's border lies on that line.
    let [inside, outside] = [POINTS.MLI!, POINTS.NER!];
    for (let i = 0; i < 30; i++) {
      const mid = { latitude: (inside.latitude + outside.latitude) / 2, longitude: (inside.longitude + outside.longitude) / 2 };
      if ((await t.ctx.gazetteer.place(mid.latitude, mid.longitude)).state === 'MLI') inside = mid;
      else outside = mid;
    }
    const across = (d: number) => ({ latitude: outside.latitude, longitude: outside.longitude + d });
    expect((await t.ctx.gazetteer.place(across(0.02).latitude, across(0.02).longitude)).state).not.toBe('MLI');
    const near = (await createIncident(t.ctx, reporterMli, newIncident(across(0.02)))).incident;
    expect(near.admin1_code?.startsWith('ML')).toBe(true);
    expect(await failure(createIncident(t.ctx, reporterMli, newIncident(across(0.5))))).toMatchObject({ code: 'location_mismatch', fields: ['latitude', 'longitude'] });
  });
});

const DATA = path.resolve(import.meta.dirname, '../../../../../../shared/data/admin-boundaries');
const ADM1 = path.join(DATA, 'adm1_mli_bfa_ner_ocha_wca.geojson');
const MLI_ADM2 = path.join(DATA, 'mli_adm2_ocha_2015.geojson');
const present = fs.existsSync(ADM1) && fs.existsSync(MLI_ADM2);

describe.skipIf(!present).each(ENGINES)('admin areas a client names agree with the polygons, on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    await importBoundaries(t.ctx, SYSTEM, readBoundaryFile(ADM1), { state: 'MLI', level: 1, codeField: 'admin1Pcod', nameField: 'admin1Name', filter: { field: 'admin0Pcod', value: 'ML' } });
    await importBoundaries(t.ctx, SYSTEM, readBoundaryFile(MLI_ADM2), { state: 'MLI', level: 2, codeField: 'admin2Pcod', nameField: 'admin2Name', parentField: 'admin1Pcod' });
  });
  afterAll(async () => t.drop());

  it('refuses an admin-1 or admin-2 the point is not in, and derives them when omitted', async () => {
    const placed = await t.ctx.gazetteer.place(POINTS.MLI!.latitude, POINTS.MLI!.longitude);
    expect(placed).toMatchObject({ state: 'MLI', admin1: 'ML05', method: 'polygon' });
    expect(await failure(createIncident(t.ctx, reporter, newIncident({ admin1_code: 'ML04' })))).toMatchObject({ code: 'location_mismatch', fields: ['admin1_code'] });
    const otherCercle = await t.ctx.engine.db.selectFrom('admin_areas').select('code').where('parent_code', '=', 'ML05').where('code', '!=', placed.admin2 ?? '').executeTakeFirstOrThrow();
    expect(await failure(createIncident(t.ctx, reporter, newIncident({ admin2_code: otherCercle.code })))).toMatchObject({ code: 'location_mismatch', fields: ['admin2_code'] });
    const named = (await createIncident(t.ctx, reporter, newIncident({ admin1_code: 'ML05', admin2_code: placed.admin2 }))).incident;
    const derived = (await createIncident(t.ctx, reporter, newIncident())).incident;
    expect([named.admin1_code, named.admin2_code]).toEqual(['ML05', placed.admin2]);
    expect([derived.admin1_code, derived.admin2_code]).toEqual(['ML05', placed.admin2]);
  });

  it('refuses a reader cleared below a protected location a change of its admin-2', async () => {
    const low = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    const rec = (await createIncident(t.ctx, SYSTEM, newIncident({ exact_location_classification: 'confidential' }), { reportingState: 'MLI', status: 'validated' })).incident;
    expect(await failure(patchIncident(t.ctx, low, rec.id, { version: 1, admin2_code: null }))).toMatchObject({ code: 'forbidden', fields: ['admin2_code'] });
  });
});
