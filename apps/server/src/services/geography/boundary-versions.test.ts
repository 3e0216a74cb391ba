/**
 * Boundary versions: a second set imported with a validity date keeps the first, incidents are placed in the set valid
 * at their date and mapped to the current set by the area-overlap crosswalk, and the re-placement job resumes after an
 * interruption. The second set is Mali's Mopti region split as in the 2023 reform (Bandiagara and Douentza regions),
 * built from the shipped cercles.
 */
import type { FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { at, maliWithMoptiSplit } from '../../test-support/boundary-sets.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { boundaryFrame } from './boundary-sets.service.js';
import { importBoundaries } from './gazetteer.service.js';
import { getReplacementJob, resumeReplacementJobs, runReplacementJob, startReplacementJob } from './replacement-job.service.js';


describe.each(ENGINES)('boundary versions on %s', (kind) => {
  let t: TestVigie;
  let analyst: Principal;
  const ids: Record<string, string> = {};
  const row = (id: string) => t.ctx.engine.db.selectFrom('incidents').select(['admin1_code', 'admin2_code', 'placed_boundary_set', 'placed_admin1_code', 'placed_admin2_code', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  const file = (f: FeatureCollection) => importBoundaries(t.ctx, SYSTEM, f, { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2025-07-01', source: 'test:mali-2023' });

  beforeAll(async () => {
    t = await testVigie(kind);
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const make = async (key: string, area: string, date: string) => {
      ids[key] = (await createIncident(t.ctx, analyst, newIncident({ ...at(area), occurred_start: `${date}T08:00:00Z` }))).incident.id;
    };
    await make('douentza2024', 'ML0504', '2024-03-01');
    await make('douentza2025', 'ML0504', '2025-09-01');
    await make('bankass2024', 'ML0502', '2024-05-10');
    await make('segou2024', 'ML0401', '2024-02-02');
    await make('segou2026', 'ML0402', '2026-01-15');
  });
  afterAll(async () => t.drop());

  it('starts with one open set per state, the shipped one, and says so', async () => {
    const frame = await boundaryFrame(t.ctx);
    expect(frame.sets.map((s) => [s.state, s.code])).toEqual([['MLI', 'mli-ocha-cod-2015'], ['BFA', 'bfa-geoboundaries-wb-2017'], ['NER', 'ner-ocha-rowca-wca']]);
    expect(await row(ids.douentza2024!)).toMatchObject({ admin1_code: 'ML05', admin2_code: 'ML0504', placed_boundary_set: 'mli-ocha-cod-2015', placed_admin1_code: 'ML05' });
  });

  it('refuses a validity date that is not a date, naming valid_from, and changes nothing', async () => {
    const err = await importBoundaries(t.ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2025-13-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).errors?.map((e) => e.field)).toEqual(['valid_from']);
    expect((await boundaryFrame(t.ctx, ['MLI'])).sets[0]!.code).toBe('mli-ocha-cod-2015');
  });

  it('keeps the old set, closed the day before, and computes the crosswalk by area overlap', async () => {
    const res = await file(maliWithMoptiSplit());
    expect(res).toMatchObject({ imported: 12, boundarySet: 'mli-2025-07-01', closedSet: 'mli-ocha-cod-2015', rejected: [] });
    const sets = await t.ctx.engine.db.selectFrom('boundary_sets').select(['code', 'valid_from', 'valid_to']).where('state', '=', 'MLI').orderBy('code').execute();
    expect(sets).toEqual([
      { code: 'mli-2025-07-01', valid_from: '2025-07-01', valid_to: null },
      { code: 'mli-ocha-cod-2015', valid_from: null, valid_to: '2025-06-30' },
    ]);
    // The old areas are kept: 11 regions and 53 cercles of the 2015 set.
    const kept = await t.ctx.engine.db.selectFrom('boundary_set_areas').select('code').where('set_code', '=', 'mli-ocha-cod-2015').execute();
    expect(kept.map((k) => k.code)).toEqual(expect.arrayContaining(['ML05', 'ML0504', 'ML0502']));
    const links = await t.ctx.engine.db.selectFrom('boundary_crosswalk').selectAll().where('from_set', '=', 'mli-ocha-cod-2015').execute();
    const link = (from: string, to: string) => links.find((l) => l.from_code === from && l.to_code === to);
    expect(link('ML0504', 'ML15')!.share_of_from).toBeGreaterThan(0.99);
    expect(link('ML0502', 'ML13')!.share_of_from).toBeGreaterThan(0.99);
    // The 2015 Mopti region goes to three regions; its shares add up to the whole.
    const mopti = links.filter((l) => l.from_code === 'ML05' && l.to_level === 1);
    expect(mopti.map((l) => l.to_code).sort()).toEqual(['ML05', 'ML13', 'ML15']);
    expect(mopti.reduce((s, l) => s + l.share_of_from, 0)).toBeCloseTo(1, 2);
    expect(link('ML04', 'ML04')!.share_of_from).toBeGreaterThan(0.99);
    // Ségou's cercles (not in the new set) no longer place anything, but their codes remain for older records.
    const cercle = await t.ctx.engine.db.selectFrom('admin_areas').select(['retired_on', 'geometry']).where('code', '=', 'ML0401').executeTakeFirstOrThrow();
    expect(cercle).toEqual({ retired_on: '2025-07-01', geometry: null });
  }, 300_000);

  it('re-places incidents in a job: old ones keep their old placement and get a current-set mapping', async () => {
    const job = await startReplacementJob(t.ctx, SYSTEM, 'test import');
    // Interrupted after one batch of two (a crash between batches loses nothing: each batch commits with its cursor).
    const part = await runReplacementJob(t.ctx, SYSTEM, job.id, { batchSize: 2, maxBatches: 1 });
    expect(part).toMatchObject({ status: 'running', done: 2, total: 5 });
    // A restart resumes it from its cursor.
    expect(await resumeReplacementJobs(t.ctx)).toBe(1);
    expect(await getReplacementJob(t.ctx, SYSTEM, job.id)).toMatchObject({ status: 'done', done: 5, total: 5, percent: 100 });

    expect(await row(ids.douentza2024!)).toMatchObject({
      placed_boundary_set: 'mli-ocha-cod-2015', placed_admin1_code: 'ML05', placed_admin2_code: 'ML0504', admin1_code: 'ML15', admin2_code: null,
    });
    expect(await row(ids.bankass2024!)).toMatchObject({ placed_admin1_code: 'ML05', placed_admin2_code: 'ML0502', admin1_code: 'ML13' });
    expect(await row(ids.douentza2025!)).toMatchObject({ placed_boundary_set: 'mli-2025-07-01', placed_admin1_code: 'ML15', placed_admin2_code: null, admin1_code: 'ML15' });
    expect(await row(ids.segou2026!)).toMatchObject({ placed_boundary_set: 'mli-2025-07-01', admin1_code: 'ML04', admin2_code: null });
    expect(await row(ids.segou2024!)).toMatchObject({ placed_boundary_set: 'mli-ocha-cod-2015', placed_admin2_code: 'ML0401', admin1_code: 'ML04' });

    // Every record whose areas changed: exactly one new version, one audit entry, one change-log entry — none twice
    // although the job was interrupted and resumed.
    const db = t.ctx.engine.db;
    const versions = (await db.selectFrom('incident_versions').select('incident_id').where('action', '=', 'place').execute()).map((v) => v.incident_id).sort();
    expect(versions).toEqual(Object.values(ids).sort());
    const audited = (await db.selectFrom('audit_events').select('object_id').where('action', '=', 'incident.place').execute()).map((a) => a.object_id).sort();
    expect(audited).toEqual(versions);
    const logged = (await db.selectFrom('change_log').select('entity_id').where('op', '=', 'place').execute()).map((c) => c.entity_id).sort();
    expect(logged).toEqual(versions);
    const jobAudit = await db.selectFrom('audit_events').select('details').where('action', '=', 'gazetteer.reassign').where('object_id', '=', job.id).execute();
    expect(jobAudit).toHaveLength(2);
  });

  it('places a new incident dated before the new set in the old set, mapped to the current one', async () => {
    const old = (await createIncident(t.ctx, analyst, newIncident({ ...at('ML0504'), occurred_start: '2024-06-01T08:00:00Z' }))).incident;
    expect(old.admin1_code).toBe('ML15');
    expect(await row(old.id)).toMatchObject({ placed_boundary_set: 'mli-ocha-cod-2015', placed_admin1_code: 'ML05', placed_admin2_code: 'ML0504' });
    const recent = (await createIncident(t.ctx, analyst, newIncident({ ...at('ML0502'), occurred_start: '2025-08-01T08:00:00Z' }))).incident;
    expect(await row(recent.id)).toMatchObject({ placed_boundary_set: 'mli-2025-07-01', placed_admin1_code: 'ML13', admin1_code: 'ML13' });
  });

  it('says which sets figures use: the new one for Mali', async () => {
    const frame = await boundaryFrame(t.ctx, ['MLI', 'NER']);
    expect(frame.sets.map((s) => s.code)).toEqual(['mli-2025-07-01', 'ner-ocha-rowca-wca']);
    expect(frame.sets[0]!.name_fr).toBe('Mali — découpage du 1er juillet 2025');
  });

  it('refuses a second set dated before the current one, naming valid_from', async () => {
    const err = await importBoundaries(t.ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2024-01-01' }).catch((e: unknown) => e);
    expect((err as Problem).errors?.map((e) => e.field)).toEqual(['valid_from']);
  });
});
