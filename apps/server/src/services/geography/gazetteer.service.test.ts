import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { importBoundaries, readBoundaryFile, reassignIncidentAreas } from './gazetteer.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';

const DATA = path.resolve(import.meta.dirname, '../../../../../../shared/data/admin-boundaries');
const ADM1 = path.join(DATA, 'adm1_mli_bfa_ner_ocha_wca.geojson');
const MLI_ADM2 = path.join(DATA, 'mli_adm2_ocha_2015.geojson');
const present = fs.existsSync(ADM1) && fs.existsSync(MLI_ADM2);
if (!present) console.warn(`gazetteer tests skipped: the shared boundary files are absent (${DATA})`);

describe.skipIf(!present).each(ENGINES)('gazetteer import of the official boundaries on %s', (kind) => {
  let t: TestVigie;
  let analyst: Principal;
  beforeAll(async () => {
    // A deployment that brings its own boundaries instead of the shipped ones.
    t = await testVigie(kind, { shippedBoundaries: false });
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
  });
  afterAll(async () => t.drop());

  it('imports admin-1 polygons of one state from a regional file, keeping the configured codes', async () => {
    const before = (await createIncident(t.ctx, analyst, newIncident({ latitude: 14.35, longitude: -3.6 }))).incident;
    const fc = readBoundaryFile(ADM1);
    const ner = await importBoundaries(t.ctx, SYSTEM, fc, { state: 'NER', level: 1, codeField: 'admin1Pcod', nameField: 'admin1Name', filter: { field: 'admin0Pcod', value: 'NE' } });
    expect(ner).toMatchObject({ imported: 8, matchedByName: 8, added: 0, filtered: 22, rejected: [] });
    const mli = await importBoundaries(t.ctx, SYSTEM, fc, { state: 'MLI', level: 1, codeField: 'admin1Pcod', nameField: 'admin1Name', filter: { field: 'admin0Pcod', value: 'ML' } });
    expect(mli).toMatchObject({ imported: 9, matchedByCode: 9, added: 0 });
    const tillaberi = await t.ctx.engine.db.selectFrom('admin_areas').select(['code', 'geometry']).where('code', '=', 'NE006').executeTakeFirstOrThrow();
    expect(tillaberi.geometry).toContain('MultiPolygon');
    expect(before.admin1_code).toBe('ML05');
  });

  it('imports Mali cercles with their parents and places incidents by point-in-polygon', async () => {
    const res = await importBoundaries(t.ctx, SYSTEM, readBoundaryFile(MLI_ADM2), { state: 'MLI', level: 2, codeField: 'admin2Pcod', nameField: 'admin2Name', parentField: 'admin1Pcod' });
    expect(res).toMatchObject({ imported: 50, added: 50, rejected: [] });
    // Bankass (Mopti region): a point near the town.
    const rec = (await createIncident(t.ctx, analyst, newIncident({ latitude: 14.08, longitude: -3.52 }))).incident;
    expect(rec.admin1_code).toBe('ML05');
    const area = await t.ctx.engine.db.selectFrom('admin_areas').select(['name_fr', 'parent_code']).where('code', '=', rec.admin2_code ?? '').executeTakeFirstOrThrow();
    expect(area).toEqual({ name_fr: 'Bankass', parent_code: 'ML05' });
    const moved = await reassignIncidentAreas(t.ctx, SYSTEM);
    expect(moved).toBeGreaterThanOrEqual(1);
    // Each re-placed record: a new version in its history, an audit entry and a change-log entry, in the same transaction.
    const db = t.ctx.engine.db;
    const placed = (await db.selectFrom('change_log').select('entity_id').where('op', '=', 'place').execute()).map((r) => r.entity_id);
    expect(placed).toHaveLength(moved);
    const versions = await db.selectFrom('incident_versions').select('incident_id').where('action', '=', 'place').execute();
    expect(versions.map((v) => v.incident_id).sort()).toEqual([...placed].sort());
    const audited = await db.selectFrom('audit_events').select('object_id').where('action', '=', 'incident.place').execute();
    expect(audited.map((a) => a.object_id).sort()).toEqual([...placed].sort());
  });

  it('refuses a point outside every member state with a clear error', async () => {
    // Nouakchott, Mauritania.
    const err = await createIncident(t.ctx, analyst, newIncident({ latitude: 18.08, longitude: -15.97 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).code).toBe('location_outside_states');
    expect((err as Problem).errors?.map((e) => e.field)).toEqual(['latitude', 'longitude']);
  });

  it('reports features it cannot use instead of dropping them', async () => {
    const res = await importBoundaries(t.ctx, SYSTEM, {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'X1' }, geometry: { type: 'Polygon', coordinates: [[[0, 14], [1, 14], [1, 15], [0, 14]]] } },
        { type: 'Feature', properties: { code: 'X2', name: 'Point' }, geometry: { type: 'Point', coordinates: [0, 14] } },
      ],
    }, { state: 'NER', level: 3, codeField: 'code', nameField: 'name' });
    expect(res.imported).toBe(0);
    expect(res.rejected.map((r) => r.reason)).toEqual(['property name is missing', 'geometry Point: Polygon or MultiPolygon expected']);
  });
});
