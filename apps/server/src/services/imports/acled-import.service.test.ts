import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNumber } from '../../db/engine.js';
import { ACLED_COLUMNS, acledIncidentId, fromAcledRow, parseAcledDate, toAcledRow } from '../../exchange/acled.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { readableHistory } from '../../test-support/history.js';
import { acledReference, importAcledFile } from './acled-import.service.js';
import { exportIncidents } from '../exchange/export.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { getIncident } from '../incidents/incident-reads.js';
import { SYSTEM } from '../principal.js';

export const ACLED_FIXTURE = path.resolve(import.meta.dirname, '../../../test-fixtures/acled/acled_sahel_synthetic.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-acled-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ACLED mapping helpers', () => {
  it('reads ACLED dates in both export styles, and refuses dates that do not exist', () => {
    expect(parseAcledDate('2024-03-09')).toBe('2024-03-09T00:00:00.000Z');
    expect(parseAcledDate('9 March 2024')).toBe('2024-03-09T00:00:00.000Z');
    expect(parseAcledDate('2024-02-30')).toBeUndefined();
    expect(parseAcledDate('03/09/2024')).toBeUndefined();
  });
  it('derives the same id from the same event_id_cnty; an event Vigie exported keeps its own id', () => {
    expect(acledIncidentId('MLI30014')).toBe(acledIncidentId('MLI30014'));
    expect(acledIncidentId('MLI30014')).not.toBe(acledIncidentId('MLI30021'));
    expect(acledIncidentId('NER-0193a1c2-7d4e-7f00-8000-000000000001')).toBe('0193a1c2-7d4e-7f00-8000-000000000001');
  });
  it('writes every ACLED column in ACLED’s order', () => {
    const header = fs.readFileSync(ACLED_FIXTURE, 'utf8').split('\n')[0];
    expect(header).toBe(ACLED_COLUMNS.join(','));
  });
});

describe.each(ENGINES)('ACLED import on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => t.drop());
  const count = async () => toNumber((await t.ctx.engine.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses a file that is not ACLED, or whose CSV breaks, before writing anything', async () => {
    const ucdp = path.join(tmp, 'ucdp.csv');
    fs.writeFileSync(ucdp, 'id,relid,year,country,latitude,longitude\n1,MLI-1,2022,Mali,14,-4\n');
    await expect(importAcledFile(t.ctx, SYSTEM, ucdp)).rejects.toMatchObject({ code: 'validation_failed', detail: expect.stringContaining("n'est pas un export ACLED") });
    const text = fs.readFileSync(ACLED_FIXTURE, 'utf8');
    const broken = path.join(tmp, 'broken.csv');
    const cut = text.indexOf('"', Math.floor(text.length / 2));
    fs.writeFileSync(broken, `${text.slice(0, cut + 1)}jamais fermé\n`);
    await expect(importAcledFile(t.ctx, SYSTEM, broken)).rejects.toMatchObject({ code: 'validation_failed', detail: expect.stringContaining("rien n'a été importé") });
    await expect(importAcledFile(t.ctx, SYSTEM, path.join(tmp, 'absent.csv'))).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await count()).toBe(0);
  });

  it('imports the synthetic export: bad rows reported by line and reason, unknown actors reported, placed by polygon; a re-import changes nothing', async () => {
    const progress: number[] = [];
    const res = await importAcledFile(t.ctx, SYSTEM, ACLED_FIXTURE, { batchSize: 20, onProgress: (done) => progress.push(done) });
    expect(res).toMatchObject({ rows: 54, created: 48, updated: 0, byState: { MLI: 16, BFA: 16, NER: 16 }, unknownColumns: [] });
    expect(res.rejected.map((r) => [r.line, r.id, r.field])).toEqual([
      [22, 'MLI99001', 'event_date'],
      [38, 'MLI99002', 'latitude'],
      [39, 'SEN12001', 'country'],
      [53, 'BFA99003', 'event_type'],
      [54, 'MLI30007', 'event_id_cnty'],
      [55, '', '(row)'],
    ]);
    expect(res.rejected[2]?.reason).toContain('Senegal');
    expect(res.unknownActors).toEqual([{ name: 'Katiba Macina', rows: 1, first_line: 7, mapped_to: 'GAN' }]);
    expect(progress.at(-1)).toBe(54);

    const one = await getIncident(t.ctx, SYSTEM, acledIncidentId('MLI30014'));
    expect(one).toMatchObject({
      reporting_state: 'MLI', status: 'validated', occurred_start: '2023-03-24T00:00:00.000Z', event_type: 'battles', sub_event_type: 'armed_clash',
      actor1: 'FAMA', actor2: 'JNIM', place_name: 'Ouro-Féro', fatalities_best: 5, civilian_fatalities: 0, classification: 'restricted', sharing_scope: 'confederation',
    });
    expect(one.admin1_code).toMatch(/^ML/);
    // Civilian harm always measured: ACLED's civilian targeting makes the toll civilian.
    const attack = (parse(fs.readFileSync(ACLED_FIXTURE), { columns: true, relax_column_count: true }) as Record<string, string>[]).find((r) => r.civilian_targeting && Number(r.fatalities) > 0);
    const harmed = await getIncident(t.ctx, SYSTEM, acledIncidentId(attack?.event_id_cnty ?? ''));
    expect(harmed.civilian_fatalities).toBe(Number(attack?.fatalities));
    const placed = await t.ctx.engine.db.selectFrom('incidents').select(['admin1_code', 'placement_method']).where('external_source', '=', 'acled').execute();
    expect(placed.filter((p) => p.admin1_code !== null).length).toBeGreaterThanOrEqual(46);

    const again = await importAcledFile(t.ctx, SYSTEM, ACLED_FIXTURE);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 48 });
    expect(again.rejected).toHaveLength(6);
    expect(await count()).toBe(48);
  });

  it('a re-import of a corrected event updates the same record, with history', async () => {
    const rows = parse(fs.readFileSync(ACLED_FIXTURE), { columns: true, relax_column_count: true }) as Record<string, string>[];
    const target = rows.find((r) => r.event_id_cnty === 'MLI30014');
    const file = path.join(tmp, 'corrected.csv');
    fs.writeFileSync(file, stringify([{ ...target, fatalities: '8' }], { header: true, columns: [...ACLED_COLUMNS] }));
    const res = await importAcledFile(t.ctx, SYSTEM, file);
    expect(res).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: [] });
    const id = acledIncidentId('MLI30014');
    expect((await getIncident(t.ctx, SYSTEM, id)).fatalities_best).toBe(8);
    expect((await readableHistory(t.ctx, SYSTEM, id)).map((h) => [h.action, h.reason ?? null])).toEqual([['create', null], ['update', 'réimport ACLED MLI30014']]);
    expect(await count()).toBe(48);
  });

  it('round-trips: incidents → toAcledRow → CSV → import into another node → the same records', async () => {
    const target = await testVigie(kind);
    try {
      const analyst = await newUser(t.ctx, { org: 'BFA', role: 'analyst' });
      // What ACLED carries; what it does not (source grading, injured, low/high) takes the import's values.
      const common = { injured: 0, abducted: 0, fatalities_low: null, fatalities_high: null, classification: 'restricted' as const, sharing_scope: 'confederation' as const };
      const media = (name: string) => ({ name, kind: 'media' as const, reliability: 'B' as const, credibility: 2 as const });
      const inputs = [
        newIncident({ ...common, state: 'BFA', latitude: 14.1, longitude: -1.63, place_name: 'Djibo', occurred_start: '2025-06-02T00:00:00Z', event_type: 'battles', sub_event_type: 'armed_clash', actor1: 'FDS-BFA', actor2: 'JNIM', associated_actors: ['VDP'], fatalities_best: 9, civilian_fatalities: 0, narrative: 'Affrontement, « guillemets », virgules ; et\nretour à la ligne.', sources: [media('Radio Omega'), media('Le Faso.net')], tags: ['route', 'convoi'] }),
        newIncident({ ...common, state: 'BFA', latitude: 13.5, longitude: -1.1, geo_precision: 2, time_precision: 2, place_name: null, occurred_start: '2025-06-10T00:00:00Z', fatalities_best: 5, civilian_fatalities: 3, sources: [media('RFI')] }),
        newIncident({ ...common, state: 'BFA', latitude: 12.37, longitude: -1.52, geo_precision: 4, time_precision: 3, place_name: 'Ouagadougou', occurred_start: '2025-05-01T00:00:00Z', event_type: 'protests', sub_event_type: 'peaceful_protest', actor1: 'MANIFESTANTS', actor2: null, fatalities_best: 0, civilian_fatalities: 0, sources: [], narrative: '' }),
      ];
      for (const i of inputs) await createIncident(t.ctx, analyst, i);
      const ref = await acledReference(t.ctx);
      const seen = await Promise.all(inputs.map((i) => getIncident(t.ctx, analyst, i.id)));
      const file = path.join(tmp, `export-${kind}.csv`);
      fs.writeFileSync(file, stringify(seen.map((i) => toAcledRow(i, ref)), { header: true, columns: [...ACLED_COLUMNS] }));
      // Every exported row reads back on its own, too.
      for (const row of parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[]) expect(fromAcledRow(row, ref)).toMatchObject({ ok: true, unknownActors: [] });

      const res = await importAcledFile(target.ctx, SYSTEM, file);
      expect(res).toMatchObject({ rows: 3, created: 3, rejected: [], unknownActors: [] });
      const same = ({ version: _v, created_at: _c, updated_at: _u, reporter: _r, status: _s, assigned_to: _a, ...rest }: Awaited<ReturnType<typeof getIncident>>) => rest;
      for (const before of seen) expect(same(await getIncident(target.ctx, SYSTEM, before.id))).toEqual(same(before));

      // The same through the export a user downloads (format=acled: banner line, ACLED's columns), into a third node.
      const exported = await exportIncidents(t.ctx, analyst, { format: 'acled', states: ['BFA'] });
      const chunks: (string | Buffer)[] = [];
      for await (const c of exported.body) chunks.push(c);
      const text = chunks.join('');
      expect(text.split('\r\n')[0]).toMatch(/^# /);
      expect(text.split('\r\n')[1]).toBe(ACLED_COLUMNS.join(','));
      const downloaded = path.join(tmp, `download-${kind}.csv`);
      fs.writeFileSync(downloaded, text);
      const third = await testVigie(kind);
      try {
        const again = await importAcledFile(third.ctx, SYSTEM, downloaded);
        // Everything the analyst may see of Burkina Faso comes across, these three among them.
        expect(again).toMatchObject({ created: again.rows, rejected: [], unknownActors: [] });
        expect(again.rows).toBeGreaterThanOrEqual(seen.length);
        for (const before of seen) expect(same(await getIncident(third.ctx, SYSTEM, before.id))).toEqual(same(before));
      } finally {
        await third.drop();
      }
    } finally {
      await target.drop();
    }
  });

  it('places by the coordinates and reports where ACLED’s own admin1 names another region', async () => {
    const rows = parse(fs.readFileSync(ACLED_FIXTURE), { columns: true, relax_column_count: true }) as Record<string, string>[];
    const bankass = rows.find((r) => r.event_id_cnty === 'MLI30000')!;
    const diema = rows.find((r) => r.event_id_cnty === 'MLI30028')!;
    const file = path.join(tmp, `names-${kind}.csv`);
    // Bankass (Mopti) filed by the source under Kayes; Diéma under its own region, spelt without accents.
    fs.writeFileSync(file, stringify([
      { ...bankass, event_id_cnty: 'MLI39000', admin1: 'Kayes' },
      { ...diema, event_id_cnty: 'MLI39001', admin1: 'KAYES' },
    ], { header: true, columns: [...ACLED_COLUMNS] }));
    const res = await importAcledFile(t.ctx, SYSTEM, file);
    expect(res).toMatchObject({ created: 2, rejected: [] });
    expect(res.adminDisagreements).toEqual([{ line: 2, id: 'MLI39000', acled_admin1: 'Kayes', named_admin1: 'ML01', placed_admin1: 'ML05', placement_method: 'polygon' }]);
    expect((await getIncident(t.ctx, SYSTEM, acledIncidentId('MLI39000'))).admin1_code).toBe('ML05');
  });
});
