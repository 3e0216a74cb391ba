/**
 * OGC API – Features with real GIS clients over a listening server on 127.0.0.1: GDAL/OGR (ogrinfo, ogr2ogr, as QGIS
 * uses it) and OWSLib (Python). Each authenticates as GIS clients do: HTTP Basic with the API token as password, or a
 * Bearer header. Skipped, saying why, where the client is not installed (CI installs gdal-bin and python3-owslib).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { buildApp } from './app.js';

const run = promisify(execFile);
const has = (bin: string) => fs.existsSync(bin);
const GDAL = has('/usr/bin/ogrinfo') && has('/usr/bin/ogr2ogr');
const PYTHON = '/usr/bin/python3';
const OWSLIB = has(PYTHON) && await run(PYTHON, ['-c', 'import owslib.ogcapi.features']).then(() => true, () => false);
if (!GDAL) console.warn('ogrinfo/ogr2ogr not found: the GDAL client tests are skipped (apt-get install gdal-bin)');
if (!OWSLIB) console.warn('OWSLib not found for /usr/bin/python3: the OWSLib client test is skipped (apt-get install python3-owslib)');

describe.each(ENGINES)('GIS clients against /ogc on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let base = '';
  let token = '';
  let apiCount = 0;
  /** Every URL the server was asked for: shows which filters the clients sent to the server. */
  const asked: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ogc-'));
  /** GDAL as QGIS configures it: Basic with the token as password, no cache between calls. */
  const gdalEnv = () => ({ ...process.env, GDAL_HTTP_AUTH: 'BASIC', GDAL_HTTP_USERPWD: `qgis:${token}`, CPL_VSIL_CURL_NON_CACHED: '/', GDAL_HTTP_TIMEOUT: '60' });
  const ogrinfo = async (args: string[], env: NodeJS.ProcessEnv = gdalEnv()) => (await run('/usr/bin/ogrinfo', ['-ro', ...args], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const featureCount = (out: string) => Number(/Feature Count: (\d+)/.exec(out)?.[1] ?? Number.NaN);
  const ids = (out: string) => [...out.matchAll(/^OGRFeature\(incidents\):\d+\n\s+id \(String\) = (\S+)/gm)].map((m) => m[1]);

  beforeAll(async () => {
    t = await testVigie(kind);
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'sig.clients' });
    token = (await createApiToken(t.ctx, SYSTEM, analyst.login, 'qgis')).token;
    const states = ['MLI', 'BFA', 'NER'];
    // 25 shared records over three states, and 3 Niger records kept national (invisible to a Mali analyst).
    for (let i = 0; i < 28; i++) {
      const state = states[i % 3] as string;
      const national = i >= 25;
      await createIncident(t.ctx, SYSTEM, newIncident({
        state, occurred_start: `2026-0${1 + (i % 6)}-1${i % 10}T08:00:00Z`, fatalities_best: 2 + (i % 5),
        ...(national ? { state: 'NER', sharing_scope: 'national' as const } : {}),
      }), { reportingState: national ? 'NER' : state, status: 'validated' });
    }
    app = await buildApp(t.ctx);
    app.addHook('onRequest', async (req) => { asked.push(decodeURIComponent(req.url)); });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/ogc`;
    const list = await app.inject({ url: '/api/v1/incidents?limit=500', headers: { authorization: `Bearer ${token}` } });
    apiCount = (list.json() as { items: unknown[] }).items.length;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!GDAL)('ogrinfo lists the collections and the features the reader may see', async () => {
    const out = await ogrinfo([`OAPIF:${base}`]);
    for (const layer of ['incidents', 'alerts', 'admin1', 'admin2']) expect(out).toContain(`: ${layer}`);
    expect(apiCount).toBe(25);
    const summary = await ogrinfo(['-so', `OAPIF:${base}`, 'incidents']);
    expect(featureCount(summary)).toBe(apiCount);
    const all = await ogrinfo(['-oo', 'PAGE_SIZE=10', `OAPIF:${base}`, 'incidents']);
    expect(new Set(ids(all)).size).toBe(apiCount);
  }, 120_000);

  it.skipIf(!GDAL)('ogrinfo applies a bounding box (-spat) and an attribute filter (-where)', async () => {
    // Around Djibo (BFA) only.
    const spat = await ogrinfo(['-spat', '-2', '13.5', '-1', '14.5', `OAPIF:${base}`, 'incidents']);
    const inBox = ids(spat);
    const viaApi = (await app.inject({ url: '/ogc/collections/incidents/items?bbox=-2,13.5,-1,14.5', headers: { authorization: `Bearer ${token}` } })).json() as { numberMatched: number };
    expect(inBox.length).toBe(viaApi.numberMatched);
    expect(inBox.length).toBeGreaterThan(0);
    expect(inBox.length).toBeLessThan(apiCount);
    expect(asked.some((u) => u.includes('bbox=-2') && u.includes('/incidents/items'))).toBe(true);
    asked.length = 0;
    const where = await ogrinfo(['-where', "reporting_state = 'NER' AND fatalities_best >= 4", `OAPIF:${base}`, 'incidents']);
    const viaFilter = (await app.inject({ url: `/ogc/collections/incidents/items?filter=${encodeURIComponent("reporting_state = 'NER' AND fatalities_best >= 4")}`, headers: { authorization: `Bearer ${token}` } })).json() as { numberMatched: number };
    expect(ids(where).length).toBe(viaFilter.numberMatched);
    expect(viaFilter.numberMatched).toBeGreaterThan(0);
    expect(where).not.toMatch(/reporting_state \(String\) = (MLI|BFA)/);
    // GDAL sends the whole WHERE to the server as a CQL filter (it reads filter-lang in the OpenAPI definition).
    expect(asked.some((u) => u.includes("filter=(reporting_state = 'NER') AND (fatalities_best >= 4)"))).toBe(true);
  }, 120_000);

  it.skipIf(!GDAL)('ogr2ogr copies the incidents the reader may see into a GeoPackage, with a Bearer header', async () => {
    const out = path.join(dir, `incidents-${kind}.gpkg`);
    const env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}`, CPL_VSIL_CURL_NON_CACHED: '/' };
    await run('/usr/bin/ogr2ogr', ['-f', 'GPKG', out, `OAPIF:${base}`, 'incidents'], { env });
    const info = await ogrinfo(['-so', out, 'incidents'], env);
    expect(featureCount(info)).toBe(apiCount);
    expect(info).toContain('Geometry: Point');
    // Without the token nothing is copied.
    await expect(run('/usr/bin/ogr2ogr', ['-f', 'GPKG', path.join(dir, 'refused.gpkg'), `OAPIF:${base}`, 'incidents'], { env: { ...process.env, CPL_VSIL_CURL_NON_CACHED: '/' } })).rejects.toThrow();
  }, 120_000);

  it.skipIf(!OWSLIB)('OWSLib reads the landing page, the collections and a bbox-filtered page with Basic auth', async () => {
    const script = `
import json, sys
from owslib.ogcapi.features import Features
from owslib.util import Authentication
w = Features(sys.argv[1], auth=Authentication(username='qgis', password=sys.argv[2]))
cols = [c['id'] for c in w.collections()['collections']]
conf = w.conformance()['conformsTo']
page = w.collection_items('incidents', limit=100)
box = w.collection_items('incidents', bbox=[-2, 13.5, -1, 14.5], limit=100)
print(json.dumps({'collections': cols, 'core': any(c.endswith('/conf/core') for c in conf), 'matched': page['numberMatched'], 'returned': len(page['features']), 'box': box['numberMatched']}))
`;
    const { stdout } = await run(PYTHON, ['-c', script, base, token]);
    const got = JSON.parse(stdout) as { collections: string[]; core: boolean; matched: number; returned: number; box: number };
    expect(got.collections).toEqual(['incidents', 'alerts', 'admin1', 'admin2']);
    expect(got.core).toBe(true);
    expect(got.matched).toBe(apiCount);
    expect(got.returned).toBe(apiCount);
    expect(got.box).toBeGreaterThan(0);
    expect(got.box).toBeLessThan(apiCount);
  }, 60_000);
});
