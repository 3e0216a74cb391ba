import { VectorTile } from '@mapbox/vector-tile';
import type { FastifyInstance } from 'fastify';
import { PbfReader } from 'pbf';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

/** The tile holding a point at zoom z (slippy-map numbering). */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { x, y };
}

describe.each(ENGINES)('geography API on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let user: Client;
  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const u = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    user = await signIn(app, u.login, u.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('serves admin-1 polygons of the three states, Taoudénit as a point, with a strong ETag that answers 304', async () => {
    const res = await user.get('/api/v1/admin-areas.geojson?level=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = res.json() as { features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] };
    const polygons = fc.features.filter((f) => f.geometry.type !== 'Point');
    expect(polygons).toHaveLength(31);
    const byCode = new Map(fc.features.map((f) => [f.properties.code, f]));
    expect(byCode.get('ML06')?.properties).toMatchObject({ code: 'ML06', level: 1, state: 'MLI', parent: null, name_fr: 'Tombouctou', name_en: 'Timbuktu', boundary_set: 'mli-ocha-cod-2015' });
    expect(byCode.get('ML10')?.geometry.type).toMatch(/Polygon/);
    expect(byCode.get('ML11')?.geometry.type).toBe('Point');
    // Coordinates rounded to 5 decimals.
    const coords = JSON.stringify(byCode.get('NE006')?.geometry.coordinates);
    expect(coords).not.toMatch(/\.\d{6,}/);
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toMatch(/private/);
    const again = await user.get('/api/v1/admin-areas.geojson?level=1', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves Mali cercles and Burkina provinces at level 2, filtered by state, compressed when asked', async () => {
    const res = await user.get('/api/v1/admin-areas.geojson?level=2&state=BFA', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    const fc = JSON.parse(gunzipSync(res.rawPayload).toString()) as { features: { geometry: { type: string }; properties: { state: string; parent: string } }[] };
    expect(fc.features).toHaveLength(45);
    expect(fc.features.every((f) => f.properties.state === 'BFA' && f.geometry.type === 'Polygon')).toBe(true);
    const mli = (await user.get('/api/v1/admin-areas.geojson?level=2&state=MLI')).json() as { features: { geometry: { type: string } }[] };
    expect(mli.features.filter((f) => f.geometry.type !== 'Point')).toHaveLength(49);
    const bad = await user.get('/api/v1/admin-areas.geojson?level=9');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('level');
  });

  it('finds Tillabéri whatever the spelling: Tillaberi, Tillabéri, TILLABERI, Tilabery, a prefix', async () => {
    for (const q of ['Tillaberi', 'Tillabéri', 'TILLABERI', 'Tilabery', 'tillab']) {
      const res = await user.get(`/api/v1/places?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      const first = (res.json() as { items: Record<string, unknown>[] }).items[0];
      expect(first, q).toMatchObject({ name: 'Tillabéri', state: 'NER', admin1_code: 'NE006', admin1_name: 'Tillabéri' });
    }
  });

  it('names Tombouctou in French, and finds it by its English name too', async () => {
    for (const q of ['Tombouctou', 'tombouctou', 'Timbuktu']) {
      const first = ((await user.get(`/api/v1/places?q=${q}&state=MLI`)).json() as { items: Record<string, unknown>[] }).items[0];
      expect(first, q).toMatchObject({ name: 'Tombouctou', alternate_names: ['Timbuktu'], admin1_code: 'ML06', admin2_code: 'ML0605' });
    }
  });

  it('ties places to their admin-1 and admin-2 areas by polygon and ranks bigger places first', async () => {
    const goundam = (await user.get('/api/v1/places?q=goundam&state=MLI')).json().items[0];
    expect(goundam).toMatchObject({ name: 'Goundam', admin1_code: 'ML06', admin1_name: 'Tombouctou', admin2_code: 'ML0602' });
    expect(goundam.population).toBeGreaterThan(0);
    const items = (await user.get('/api/v1/places?q=ou&limit=5')).json().items as { population: number; name: string }[];
    expect(items.length).toBeGreaterThan(0);
    const pops = items.map((i) => i.population);
    expect(pops).toEqual([...pops].sort((a, b) => b - a));
  });

  it('refuses a query shorter than two characters, naming q', async () => {
    for (const url of ['/api/v1/places?q=a', '/api/v1/places', '/api/v1/places?q=%20%20b']) {
      const res = await user.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['q']);
    }
  });

  it('serves vector tiles with the admin, label and place layers, 204 for an empty tile, 304 on revalidation', async () => {
    const { x, y } = tileOf(14.2, 1.45, 6);
    const res = await user.get(`/api/v1/tiles/6/${x}/${y}.pbf`, { 'accept-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers['content-encoding']).toBe('gzip');
    const tile = new VectorTile(new PbfReader(gunzipSync(res.rawPayload)));
    expect(Object.keys(tile.layers).sort()).toEqual(expect.arrayContaining(['admin1', 'admin1_labels', 'places', 'states']));
    const admin1 = tile.layers.admin1!;
    const codes = Array.from({ length: admin1.length }, (_, i) => admin1.feature(i).properties.code);
    expect(codes).toContain('NE006');
    const places = tile.layers.places!;
    const names = Array.from({ length: places.length }, (_, i) => places.feature(i).properties);
    expect(names.some((p) => p.name === 'Niamey' && Number(p.rank) <= 2)).toBe(true);
    const etag = String(res.headers.etag);
    expect((await user.get(`/api/v1/tiles/6/${x}/${y}.pbf`, { 'if-none-match': etag })).statusCode).toBe(304);
    // The middle of the Pacific.
    expect((await user.get('/api/v1/tiles/4/0/7.pbf')).statusCode).toBe(204);
    const bad = await user.get('/api/v1/tiles/13/0/0.pbf');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('z');
    expect((await user.get('/api/v1/tiles/2/9/0.pbf')).json().errors[0].field).toBe('x');
  });

  it('declares the routes in the OpenAPI document and requires sign-in', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/admin-areas.geojson', '/api/v1/places', '/api/v1/tiles/{z}/{x}/{y}.pbf']));
    expect((await app.inject({ method: 'GET', url: '/api/v1/places?q=niamey' })).statusCode).toBe(401);
  });
});
