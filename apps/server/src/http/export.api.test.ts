import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpkgPoint } from '../exchange/formats/gpkg.js';
import { listAuditEvents } from '../services/audit/audit.service.js';
import { iterateVisibleIncidents } from '../repositories/incident.repository.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { listIncidents } from '../services/incidents/incident-reads.js';
import { validateIncident } from '../services/incidents/incident-workflow.js';
import { SYSTEM, type Principal } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

const EXACT = { latitude: 14.123456, longitude: -1.654321 };

/** ogrinfo (Debian gdal-bin), when installed: the GeoPackage is read back by GDAL itself. */
const OGRINFO = (() => {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe.each(ENGINES)('incident exports on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let mli: Client;
  let bfa: Client;
  let reporter: Client;
  let analystBfa: Principal & { password: string };
  let mliLogin = '';
  let mliReader: Principal;
  const ids = { secret: '', coarse: '', open: '' };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-export-test-'));

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    analystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    const analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const rep = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const make = async (o: Parameters<typeof newIncident>[0]) => {
      const rec = (await createIncident(t.ctx, analystBfa, newIncident({ state: 'BFA', ...o }))).incident;
      await validateIncident(t.ctx, analystBfa, rec.id);
      return rec.id;
    };
    ids.secret = await make({ classification: 'secret', narrative: 'Rapport secret ; convoi attaqué.', occurred_start: '2026-03-10T08:00:00Z' });
    ids.coarse = await make({ ...EXACT, exact_location_classification: 'secret', place_name: 'Lieu sensible', occurred_start: '2026-03-11T08:00:00Z' });
    ids.open = await make({ classification: 'public', narrative: '=HYPERLINK("x") ; marché, "le matin"', occurred_start: '2026-03-12T08:00:00Z', fatalities_best: 3, civilian_fatalities: 3 });
    mliLogin = analystMli.login;
    mliReader = analystMli;
    mli = await signIn(app, analystMli.login, analystMli.password);
    bfa = await signIn(app, analystBfa.login, analystBfa.password);
    reporter = await signIn(app, rep.login, rep.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const csvOf = (body: string, delimiter = ',') => parse(body.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true }) as string[][];

  it('writes CSV with the reader view: no record above clearance, protected locations coarsened, banner first, audited', async () => {
    const res = await mli.get('/api/v1/exports/incidents?format=csv&states=BFA');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="vigie-incidents-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csvOf(res.body);
    expect(rows[0]?.[0]).toMatch(/^# RESTRICTED — Vigie export of .* by analyst\.mli/);
    const header = rows[1] ?? [];
    expect(header.slice(0, 3)).toEqual(['id', 'occurred_start', 'occurred_end']);
    const data = rows.slice(2).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(data.map((r) => r.id)).toEqual([ids.open, ids.coarse]);
    expect(res.body).not.toContain(ids.secret);
    expect(res.body).not.toContain('Rapport secret');
    const coarse = data.find((r) => r.id === ids.coarse);
    expect(coarse).toMatchObject({ location_coarsened: 'true', place_name: '' });
    expect(Number(coarse?.latitude)).not.toBe(EXACT.latitude);
    expect(res.body).not.toContain(String(EXACT.latitude));
    expect(res.body).not.toContain('Lieu sensible');
    // A cell a spreadsheet would run as a formula is neutralised; quotes and the separator survive.
    expect(data.find((r) => r.id === ids.open)?.narrative).toBe('\'=HYPERLINK("x") ; marché, "le matin"');
    const audit = (await listAuditEvents(t.ctx.engine, SYSTEM, { action: 'incident.export', user: mliLogin })).items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ login: mliLogin, organisation: 'MLI', classification_level: 1 });
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ format: 'csv', filters: { states: ['BFA'] }, count: 2, complete: true });
  });

  it('writes the French-Excel flavour: BOM, semicolons and French headers', async () => {
    const res = await mli.get('/api/v1/exports/incidents?format=csv&states=BFA&delimiter=semicolon&bom=true&headers=fr');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csvOf(res.body, ';');
    expect(rows[0]?.[0]).toMatch(/^# DIFFUSION RESTREINTE — export Vigie/);
    expect(rows[1]?.slice(0, 2)).toEqual(['Identifiant', 'Début']);
    expect(rows.slice(2).every((r) => r.length === rows[1]?.length)).toBe(true);
    // The banner is a bare comment line: a reader told to skip comments sees the headers first.
    const skipped = parse(res.rawPayload, { delimiter: ';', bom: true, comment: '#', comment_no_infix: true }) as string[][];
    expect(skipped[0]?.[0]).toBe('Identifiant');
  });

  it('the cleared reader of the owner state gets everything, exact, with the highest classification in the banner', async () => {
    const res = await bfa.get('/api/v1/exports/incidents?format=csv&states=BFA');
    expect(csvOf(res.body)[0]?.[0]).toMatch(/^# SECRET/);
    expect(res.body).toContain(ids.secret);
    expect(res.body).toContain(String(EXACT.latitude));
  });

  it('writes HXL: a hashtag row under the headers', async () => {
    const rows = csvOf((await mli.get('/api/v1/exports/incidents?format=hxl&states=BFA')).body);
    expect(rows[2]).toEqual(expect.arrayContaining(['#event+code', '#date+occurred', '#country+code', '#geo+lat', '#geo+lon', '#affected+killed', '#affected+killed+civilians']));
    expect(rows.slice(3).map((r) => r[0])).toEqual([ids.open, ids.coarse]);
  });

  it('writes GeoJSON (RFC 7946): a FeatureCollection of lon/lat points, numbers as numbers, the banner as metadata', async () => {
    const res = await mli.get('/api/v1/exports/incidents?format=geojson&states=BFA');
    expect(res.headers['content-type']).toBe('application/geo+json');
    const doc = res.json() as { type: string; metadata: { classification: string; banner: string }; numberReturned: number; features: { id: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[] };
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.metadata.classification).toBe('restricted');
    expect(doc.numberReturned).toBe(2);
    const open = doc.features.find((f) => f.id === ids.open);
    expect(open?.geometry).toEqual({ type: 'Point', coordinates: [expect.any(Number), expect.any(Number)] });
    const [lon, lat] = open?.geometry.coordinates ?? [];
    expect(lon).toBeLessThan(lat ?? 0); // Burkina Faso: longitude about -1.6, latitude about 14
    expect(open?.properties).toMatchObject({ fatalities_best: 3, civilian_fatalities: 3, location_coarsened: false });
    expect(res.body).not.toContain(ids.secret);
    expect(doc.features.find((f) => f.id === ids.coarse)?.properties).toMatchObject({ location_coarsened: true, place_name: null });
  });

  it('writes a GeoPackage that GDAL and SQLite read back, with the banner in its metadata', async () => {
    const res = await mli.get('/api/v1/exports/incidents?format=gpkg&states=BFA');
    expect(res.headers['content-disposition']).toMatch(/\.gpkg"$/);
    const file = path.join(tmp, `${kind}.gpkg`);
    fs.writeFileSync(file, res.rawPayload);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
      const rows = db.prepare('SELECT id, geom, latitude, longitude FROM incidents ORDER BY fid').all() as { id: string; geom: Buffer; latitude: number; longitude: number }[];
      expect(rows.map((r) => r.id)).toEqual([ids.open, ids.coarse]);
      expect(rows.every((r) => r.geom.equals(gpkgPoint(r.longitude, r.latitude)))).toBe(true);
      const md = db.prepare('SELECT metadata FROM gpkg_metadata').get() as { metadata: string };
      expect(JSON.parse(md.metadata)).toMatchObject({ classification: 'restricted', view: 'reader' });
    } finally {
      db.close();
    }
    if (!OGRINFO) {
      console.warn('ogrinfo not found (Debian: apt-get install gdal-bin): the GeoPackage was checked with SQLite only');
      return;
    }
    const { stdout: info, stderr } = spawnSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(stderr).toBe('');
    expect(info).toMatch(/Feature Count: 2\b/);
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/EPSG",?\s*"?4326|WGS 84/);
  });

  it('writes XLSX that a spreadsheet library reads back: banner row, headers, typed cells', async () => {
    const res = await mli.get('/api/v1/exports/incidents?format=xlsx&states=BFA&headers=fr');
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.category).toBe('restricted');
    const sheet = wb.worksheets[0];
    expect(String(sheet?.getCell('A1').value)).toMatch(/^DIFFUSION RESTREINTE/);
    expect(sheet?.getRow(2).values).toEqual(expect.arrayContaining(['Identifiant', 'Morts (meilleure estimation)']));
    expect(sheet?.rowCount).toBe(4);
    const ids3 = [3, 4].map((r) => sheet?.getCell(`A${r}`).value);
    expect(ids3).toEqual([ids.open, ids.coarse]);
    expect(sheet?.getCell('B3').value).toBeInstanceOf(Date);
    expect(res.rawPayload.includes(Buffer.from(ids.secret))).toBe(false);
  });

  it('pages through windows of any size to the same records, in the same order, as the list', async () => {
    const list = (await listIncidents(t.ctx, mliReader, { limit: 500 })).items.map((i) => i.id);
    expect(list).toHaveLength(2);
    for (const size of [1, 2, 1000]) {
      const seen: string[] = [];
      for await (const page of iterateVisibleIncidents(t.ctx.engine, mliReader, {}, size)) seen.push(...page.map((i) => i.id));
      expect(seen).toEqual(list);
    }
  });

  it('refuses an unknown format with a problem naming `format`, and readers without incident.export', async () => {
    const bad = await mli.get('/api/v1/exports/incidents?format=shapefile');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['format']);
    const badFilter = await mli.get('/api/v1/exports/incidents?format=csv&bbox=nowhere');
    expect((badFilter.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['bbox']);
    const denied = await reporter.get('/api/v1/exports/incidents?format=csv');
    expect(denied.statusCode).toBe(403);
  });
});
