import fs from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { foldText } from '@vigie/domain';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import polylabel from 'polylabel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { distanceToShapeKm, PLACEMENT_TOLERANCE_KM, prepareShape } from './geo.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { reassignIncidentAreas } from './gazetteer.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { readShippedAreas } from './reference.service.js';

const UCDP = path.resolve(import.meta.dirname, '../../../../../../shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv');
type Area = Feature<Polygon | MultiPolygon, { code: string; level: number; state: string; parent: string | null; name_fr: string; name_en: string }>;
const polygons = readShippedAreas().filter((f) => f.geometry.type !== 'Point') as unknown as Area[];

/** Moves a point `km` kilometres due south. */
const south = (lat: number, km: number) => lat - km / 110.57;

describe.each(ENGINES)('placement by the shipped boundaries on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
  });
  afterAll(async () => t.drop());

  it('files Goundam, Niafunké and Léré under Tombouctou, not Mopti', async () => {
    for (const [name, lat, lon, cercle] of [['Goundam', 16.41, -3.67, 'ML0602'], ['Niafunké', 15.93, -3.99, 'ML0604'], ['Léré', 15.72, -4.91, 'ML0604']] as const) {
      const p = await t.ctx.gazetteer.place(lat, lon);
      expect(p, name).toMatchObject({ state: 'MLI', admin1: 'ML06', admin2: cercle, method: 'polygon' });
    }
    const rec = (await createIncident(t.ctx, reporter, newIncident({ latitude: 16.41, longitude: -3.67 }))).incident;
    expect(rec.admin1_code).toBe('ML06');
    const row = await t.ctx.engine.db.selectFrom('incidents').select(['placement_method', 'admin2_code']).where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ placement_method: 'polygon', admin2_code: 'ML0602' });
  });

  it(`places a point just outside every polygon in the nearest one within ${PLACEMENT_TOLERANCE_KM} km, and refuses one further out`, async () => {
    // The southernmost vertex of Burkina Faso's Sud-Ouest region: south of it lies Côte d'Ivoire / Ghana.
    const sw = polygons.find((f) => f.properties.code === 'BF57')!;
    const ring = (sw.geometry.type === 'Polygon' ? sw.geometry.coordinates : sw.geometry.coordinates.flat()).flat() as [number, number][];
    const [lon, lat] = ring.reduce((a, b) => (b[1] < a[1] ? b : a));
    const near = await t.ctx.gazetteer.place(south(lat, 3), lon);
    expect(near).toMatchObject({ state: 'BFA', admin1: 'BF57', method: 'nearest_polygon' });
    expect(near.distanceKm).toBeGreaterThan(2.9);
    expect(near.distanceKm).toBeLessThan(3.1);
    // Filed by Burkina Faso's centre: a point must lie in (or within the tolerance of) its reporting state.
    const bfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    const rec = (await createIncident(t.ctx, bfa, newIncident({ state: 'BFA', latitude: south(lat, 3), longitude: lon }))).incident;
    const row = await t.ctx.engine.db.selectFrom('incidents').select('placement_method').where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(row.placement_method).toBe('nearest_polygon');
    expect((await t.ctx.gazetteer.place(south(lat, 6), lon)).method).toBe('none');
    const err = await createIncident(t.ctx, bfa, newIncident({ state: 'BFA', latitude: south(lat, 6), longitude: lon })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).errors?.map((e) => e.field)).toEqual(['latitude', 'longitude']);
  });

  it('keeps the admin-2 centroid of a record at admin-2 precision and says so', async () => {
    // Mopti cercle's centroid as stored: at geo_precision 3 the point stands for the whole cercle.
    const mopti = await t.ctx.gazetteer.centroid('ML0506');
    const rec = (await createIncident(t.ctx, reporter, newIncident({ latitude: mopti!.lat, longitude: mopti!.lon, geo_precision: 3 }))).incident;
    expect(rec.admin2_code).toBe('ML0506');
    const row = await t.ctx.engine.db.selectFrom('incidents').select(['placement_method', 'coarse_latitude', 'coarse_longitude']).where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ placement_method: 'centroid_precision', coarse_latitude: mopti!.lat, coarse_longitude: mopti!.lon });
  });

  it('re-placement records the method on incidents placed before the column existed', async () => {
    const rec = (await createIncident(t.ctx, reporter, newIncident({ latitude: 15.93, longitude: -3.99 }))).incident;
    await t.ctx.engine.db.updateTable('incidents').set({ placement_method: null, admin1_code: 'ML05', admin2_code: null }).where('id', '=', rec.id).execute();
    expect(await reassignIncidentAreas(t.ctx, SYSTEM)).toBeGreaterThanOrEqual(1);
    const row = await t.ctx.engine.db.selectFrom('incidents').select(['placement_method', 'admin1_code', 'admin2_code']).where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ placement_method: 'polygon', admin1_code: 'ML06', admin2_code: 'ML0604' });
  });

  it('places the interior point of every shipped polygon in that polygon', async () => {
    for (const f of polygons) {
      // The pole of inaccessibility of its largest part: inside, away from the edges.
      const parts = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      const [lon, lat] = parts.map((part) => polylabel(part, 0.0005)).reduce((a, b) => (b.distance > a.distance ? b : a)) as unknown as [number, number];
      const p = await t.ctx.gazetteer.place(lat, lon);
      expect(f.properties.level === 2 ? p.admin2 : p.admin1, f.properties.code).toBe(f.properties.code);
      expect(p.method).toBe('polygon');
    }
  });

  it('places any point inside a shipped polygon in it (property)', async () => {
    await t.ctx.gazetteer.ready();
    const shapes = polygons.map((f) => ({ f, prepared: prepareShape(f.properties, f.geometry) }));
    const arb = fc
      // Fractions of the bounding box in millionths (fc.double crowds near 0, i.e. on the box's edge).
      .record({ i: fc.nat({ max: shapes.length - 1 }), u: fc.integer({ min: 0, max: 1e6 }).map((n) => n / 1e6), v: fc.integer({ min: 0, max: 1e6 }).map((n) => n / 1e6) })
      .map(({ i, u, v }) => {
        const { f, prepared } = shapes[i]!;
        const [minX, minY, maxX, maxY] = prepared.bbox;
        return { f, prepared, lon: minX + u * (maxX - minX), lat: minY + v * (maxY - minY) };
      })
      // Inside by turf's test, and at least a metre from the outline: on an edge both answers are right.
      .filter(({ f, prepared, lon, lat }) => booleanPointInPolygon([lon, lat], f, { ignoreBoundary: true }) && distanceToShapeKm(prepared, lon, lat) > 0.001);
    fc.assert(
      fc.property(arb, ({ f, lon, lat }) => {
        const p = t.ctx.gazetteer.placeLoaded(lat, lon);
        return p.method === 'polygon' && (f.properties.level === 2 ? p.admin2 : p.admin1) === f.properties.code && p.state === f.properties.state;
      }),
      { numRuns: 1000 },
    );
  });

  it.skipIf(!fs.existsSync(UCDP))('agrees with UCDP\'s own adm_1 for at least 97 % of its events, placing by coordinates', async () => {
    await t.ctx.gazetteer.ready();
    const names = new Map(readShippedAreas().map((f) => [f.properties.code, f.properties]));
    const rows = parse(fs.readFileSync(UCDP), { columns: true }) as { adm_1: string; latitude: string; longitude: string }[];
    const withAdm1 = rows.filter((r) => r.adm_1);
    let agree = 0;
    for (const r of withAdm1) {
      const p = t.ctx.gazetteer.placeLoaded(Number(r.latitude), Number(r.longitude));
      const area = p.admin1 ? names.get(p.admin1) : undefined;
      const theirs = foldText(r.adm_1.replace(/ region$/i, ''));
      if (area && (foldText(area.name_fr) === theirs || foldText(area.name_en) === theirs)) agree++;
    }
    expect(withAdm1.length).toBeGreaterThan(3000);
    expect(agree / withAdm1.length).toBeGreaterThanOrEqual(0.97);
  });
});
