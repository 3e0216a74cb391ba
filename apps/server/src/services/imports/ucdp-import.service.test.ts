import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNumber } from '../../db/engine.js';
import { ENGINES } from '../../test-support/engines.js';
import { testVigie, type TestVigie } from '../../test-support/factories.js';
import { readableHistory } from '../../test-support/history.js';
import { getIncident } from '../incidents/incident-reads.js';
import { SYSTEM } from '../principal.js';
import { geoPrecision, importUcdpFile, rejectionReportCsv, splitSources, timePrecision, ucdpIncidentId } from './ucdp-import.service.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const UCDP_FILE = path.resolve(repoRoot, '../shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv');
const hasUcdpFile = fs.existsSync(UCDP_FILE);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ucdp-'));

describe('UCDP mapping helpers', () => {
  it('derives the same UUID from the same UCDP id, and different ones otherwise', () => {
    expect(ucdpIncidentId(456410)).toBe(ucdpIncidentId('456410'));
    expect(ucdpIncidentId(456410)).not.toBe(ucdpIncidentId(456411));
    expect(ucdpIncidentId(1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('maps precisions onto Vigie scales', () => {
    expect([1, 2, 3, 4, 5, 6].map(geoPrecision)).toEqual([1, 2, 3, 4, 4, 5]);
    expect([1, 2, 3, 4, 5].map(timePrecision)).toEqual([1, 2, 2, 3, 3]);
  });
  it('splits UCDP citations into outlets and headlines', () => {
    expect(splitSources('"@ocisse691,2022-12-01,#Mali ";"APA News,2022-12-01,Mali: two dead in an attack, Kayes"')).toEqual([
      { office: '@ocisse691', headline: '#Mali' },
      { office: 'APA News', headline: 'Mali: two dead in an attack, Kayes' },
    ]);
    expect(splitSources('Reuters 1994-10-25')).toEqual([{ office: 'Reuters 1994-10-25', headline: '' }]);
  });
  it('writes the rejection report as CSV with quoting', () => {
    expect(rejectionReportCsv([{ line: 3, id: '7', field: 'latitude', reason: 'latitude must be between -90 and 90, got "91"' }]))
      .toBe('line,id,field,reason\n3,7,latitude,"latitude must be between -90 and 90, got ""91"""\n');
  });
});

describe.each(ENGINES)('UCDP import on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  const count = async () => toNumber((await t.ctx.engine.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses a file that is not UCDP before writing anything', async () => {
    const notUcdp = path.join(tmp, 'acled.csv');
    fs.writeFileSync(notUcdp, 'event_id_cnty,event_date,latitude\nMLI1,2022-01-01,14\n');
    await expect(importUcdpFile(t.ctx, SYSTEM, notUcdp)).rejects.toMatchObject({ code: 'validation_failed', detail: expect.stringContaining("n'est pas un fichier UCDP GED") });
    const binary = path.join(tmp, 'binary.csv');
    fs.writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x22, 0x0a, 0x22, 0x22, 0x41]));
    await expect(importUcdpFile(t.ctx, SYSTEM, binary)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(importUcdpFile(t.ctx, SYSTEM, path.join(tmp, 'missing.csv'))).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await count()).toBe(0);
  });

  it.skipIf(!hasUcdpFile)('refuses a file whose CSV quoting breaks half-way, with nothing half-imported', async () => {
    const text = fs.readFileSync(UCDP_FILE, 'utf8');
    const broken = path.join(tmp, 'broken.csv');
    // Cut in the middle of a quoted field: the quote never closes.
    const cut = text.indexOf('"', Math.floor(text.length / 2));
    fs.writeFileSync(broken, `${text.slice(0, cut + 1)}never closed\n`);
    await expect(importUcdpFile(t.ctx, SYSTEM, broken)).rejects.toMatchObject({ code: 'validation_failed', detail: expect.stringContaining("rien n'a été importé") });
    expect(await count()).toBe(0);
  });

  it.skipIf(!hasUcdpFile)('reports bad rows (impossible dates and coordinates, short rows, unknown columns) and imports the rest', async () => {
    const [header, ...lines] = fs.readFileSync(UCDP_FILE, 'utf8').split('\n');
    const records = parse(fs.readFileSync(UCDP_FILE), { columns: true }) as Record<string, string>[];
    const first = records.slice(0, 4);
    const cols = Object.keys(first[0] ?? {});
    const csvLine = (r: Record<string, string>) => cols.map((c) => `"${(r[c] ?? '').replace(/"/g, '""')}"`).join(',');
    const bad = [
      { ...first[0], date_start: '02/30/2015 00:00:00' },
      { ...first[1], latitude: '123.5' },
      { ...first[2], longitude: '-60.0', latitude: '-10.0' },
    ] as Record<string, string>[];
    const file = path.join(tmp, 'bad-rows.csv');
    fs.writeFileSync(file, [`${header},extra_column`.replace(/\r$/, ''), ...bad.map((r) => `${csvLine(r)},x`), `${csvLine(first[3] ?? {})},x`, '1,2,3'].join('\n'));
    expect(lines.length).toBeGreaterThan(3);
    const res = await importUcdpFile(t.ctx, SYSTEM, file);
    expect(res.unknownColumns).toEqual(['extra_column']);
    expect(res.rows).toBe(5);
    expect(res.created).toBe(1);
    expect(res.rejected.map((r) => r.field)).toEqual(['date_start', 'latitude', 'latitude;longitude', '(row)']);
    expect(res.rejected[2]).toMatchObject({ id: first[2]?.id, reason: expect.stringContaining('hors des États membres') });
    expect(await count()).toBe(1);
    await t.ctx.engine.db.deleteFrom('incident_versions').execute();
    await t.ctx.engine.db.deleteFrom('incident_actors').execute();
    await t.ctx.engine.db.deleteFrom('incidents').execute();
  });

  it.skipIf(!hasUcdpFile)('imports the shared extract: counts per country and year match the file; a re-import changes nothing', { timeout: 300_000 }, async () => {
    const records = parse(fs.readFileSync(UCDP_FILE), { columns: true }) as Record<string, string>[];
    const expected: Record<string, number> = {};
    const code: Record<string, string> = { Mali: 'MLI', 'Burkina Faso': 'BFA', Niger: 'NER' };
    for (const r of records) {
      const key = `${code[r.country ?? '']}:${(r.date_start ?? '').slice(6, 10)}`;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    const res = await importUcdpFile(t.ctx, SYSTEM, UCDP_FILE);
    expect(res.rejected).toEqual([]);
    expect(res).toMatchObject({ rows: 3141, created: 3141, updated: 0, byState: { MLI: 1776, BFA: 881, NER: 484 } });
    // Placed by polygon, not by UCDP's names: the few events whose adm_1 names another region are reported, and
    // stored where their coordinates fall (docs/geography.md, "UCDP agreement").
    expect(res.adminDisagreements.length).toBeGreaterThan(0);
    expect(res.adminDisagreements.length).toBeLessThanOrEqual(0.03 * 3019);
    const gao = res.adminDisagreements.find((d) => d.named_admin1 === 'ML07' && d.placed_admin1 === 'ML10');
    expect(gao).toBeDefined();
    const placed = await t.ctx.engine.db.selectFrom('incidents').select(['admin1_code', 'placement_method']).where('id', '=', ucdpIncidentId(Number(gao!.id))).executeTakeFirstOrThrow();
    expect(placed.admin1_code).toBe('ML10');
    expect(placed.placement_method).toMatch(/polygon|centroid_precision/);
    const rows = await t.ctx.engine.db.selectFrom('incidents').select(['reporting_state', 'occurred_start', 'fatalities_best', 'status', 'classification_level', 'sharing_scope']).execute();
    const got: Record<string, number> = {};
    for (const r of rows) got[`${r.reporting_state}:${r.occurred_start.slice(0, 4)}`] = (got[`${r.reporting_state}:${r.occurred_start.slice(0, 4)}`] ?? 0) + 1;
    expect(got).toEqual(expected);
    expect(rows.reduce((s, r) => s + r.fatalities_best, 0)).toBe(25110);
    expect(new Set(rows.map((r) => `${r.status}/${r.classification_level}/${r.sharing_scope}`))).toEqual(new Set(['validated/0/confederation']));

    const one = await getIncident(t.ctx, SYSTEM, ucdpIncidentId(456410));
    expect(one).toMatchObject({ reporting_state: 'MLI', occurred_start: '2022-11-30T00:00:00.000Z', occurred_end: '2022-12-01T00:00:00.000Z', classification: 'public' });

    const again = await importUcdpFile(t.ctx, SYSTEM, UCDP_FILE);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3141, rejected: [] });
    expect(await count()).toBe(3141);
  });

  it.skipIf(!hasUcdpFile)('a re-import of a corrected event updates the same record, with history', async () => {
    const records = parse(fs.readFileSync(UCDP_FILE), { columns: true }) as Record<string, string>[];
    const target = records.find((r) => r.id === '456410');
    expect(target).toBeDefined();
    const cols = Object.keys(target ?? {});
    const file = path.join(tmp, 'corrected.csv');
    const corrected = { ...target, best_est: String(Number(target?.best_est) + 3), high_est: String(Number(target?.high_est) + 3) } as Record<string, string>;
    fs.writeFileSync(file, [cols.join(','), cols.map((c) => `"${(corrected[c] ?? '').replace(/"/g, '""')}"`).join(',')].join('\n'));
    const res = await importUcdpFile(t.ctx, SYSTEM, file);
    expect(res).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: [] });
    const id = ucdpIncidentId(456410);
    expect((await getIncident(t.ctx, SYSTEM, id)).fatalities_best).toBe(Number(target?.best_est) + 3);
    const history = await readableHistory(t.ctx, SYSTEM, id);
    expect(history.map((h) => h.action)).toEqual(['create', 'update']);
    expect(history[1]?.reason).toBe('réimport UCDP 456410');
    expect(await count()).toBe(3141);
  });
});
