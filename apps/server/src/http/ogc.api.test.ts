/**
 * OGC API – Features over HTTP, as a GIS client and a browser use it: the documents and their links, paging,
 * bbox/datetime/CQL2 filters, who-sees-what and coarsening through GeoJSON, Basic authentication, 400/404 answers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { testApp } from '../test-support/http.js';

interface Fc { type: string; features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[]; numberMatched: number; numberReturned: number; timeStamp: string; links: { rel: string; href: string; type?: string }[] }

describe.each(ENGINES)('OGC API – Features on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let token: string;
  let ministerToken: string;
  const ids: Record<string, string> = {};
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { authorization: `Bearer ${token}`, ...headers } });
  const items = async (query: string) => {
    const res = await get(`/ogc/collections/incidents/items?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Fc;
  };
  const found = async (query: string) => (await items(query)).features.map((f) => f.id).sort();

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'sig.mli' });
    const minister = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1, login: 'ministre.mli' });
    token = (await createApiToken(t.ctx, SYSTEM, analyst.login, 'qgis')).token;
    ministerToken = (await createApiToken(t.ctx, SYSTEM, minister.login, 'qgis')).token;
    const seed = async (key: string, state: string, over: Parameters<typeof newIncident>[0]) => {
      const { incident } = await createIncident(t.ctx, SYSTEM, newIncident({ state, ...over }), { reportingState: state, status: 'validated' });
      ids[key] = incident.id;
    };
    // Mopti (MLI), Djibo (BFA), Tillabéri (NER); one Niger record kept national; one Mali record whose exact place is confidential.
    await seed('mopti', 'MLI', { occurred_start: '2026-01-10T08:00:00Z', fatalities_best: 3, place_name: 'Sévaré', narrative: 'Embuscade sur la route de Sévaré.' });
    await seed('djibo', 'BFA', { occurred_start: '2026-02-05T12:00:00Z', fatalities_best: 7, event_type: 'battles', sub_event_type: 'armed_clash', place_name: 'Djibo' });
    await seed('tillaberi', 'NER', { occurred_start: '2026-03-14T08:00:00Z', fatalities_best: 2, place_name: 'Marché de Tillabéri' });
    await seed('national', 'NER', { occurred_start: '2026-03-20T08:00:00Z', sharing_scope: 'national', place_name: 'Secret national' });
    await seed('protected', 'MLI', { occurred_start: '2026-04-01T08:00:00Z', exact_location_classification: 'confidential', place_name: 'Hameau protégé', latitude: 14.5123, longitude: -4.2011 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('landing page links to the OpenAPI 3.0 definition, the conformance classes and the collections', async () => {
    const res = await get('/ogc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const links = (res.json() as { links: { rel: string; type: string; href: string }[] }).links;
    expect(links.find((l) => l.rel === 'service-desc')).toMatchObject({ type: 'application/vnd.oai.openapi+json;version=3.0', href: 'http://localhost:80/ogc/api' });
    expect(links.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'alternate', 'conformance', 'data']));
    const api = await get('/ogc/api');
    expect(api.headers['content-type']).toContain('application/vnd.oai.openapi+json;version=3.0');
    expect((api.json() as { openapi: string; paths: Record<string, unknown> }).openapi).toBe('3.0.3');
    expect(Object.keys((api.json() as { paths: Record<string, unknown> }).paths)).toContain('/collections/incidents/items');
    const conf = (await get('/ogc/conformance')).json() as { conformsTo: string[] };
    expect(conf.conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html', 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter', 'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
      'http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison',
    ]));
  });

  it('lists incidents, alerts and admin areas by level; a decision maker does not get the incidents', async () => {
    const ids1 = ((await get('/ogc/collections')).json() as { collections: { id: string }[] }).collections.map((c) => c.id);
    expect(ids1).toEqual(['incidents', 'alerts', 'admin1', 'admin2']);
    const theirs = await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${ministerToken}` } });
    expect((theirs.json() as { collections: { id: string }[] }).collections.map((c) => c.id)).not.toContain('incidents');
    expect((await app.inject({ url: '/ogc/collections/incidents/items', headers: { authorization: `Bearer ${ministerToken}` } })).statusCode).toBe(403);
    const c = (await get('/ogc/collections/incidents')).json() as { id: string; extent: { spatial: { bbox: number[][] } }; links: { rel: string }[] };
    expect(c.id).toBe('incidents');
    expect(c.extent.spatial.bbox[0]).toHaveLength(4);
    expect(c.links.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'items', 'http://www.opengis.net/def/rel/ogc/1.0/queryables']));
  });

  it('answers GeoJSON with the features the reader may see, counted, the protected place coarsened', async () => {
    const fc = await items('');
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.id).sort()).toEqual([ids.mopti, ids.djibo, ids.tillaberi, ids.protected].sort());
    expect(fc.numberMatched).toBe(4);
    expect(fc.numberReturned).toBe(4);
    expect(Date.parse(fc.timeStamp)).not.toBeNaN();
    const prot = fc.features.find((f) => f.id === ids.protected);
    expect(prot?.properties.location_coarsened).toBe(true);
    expect(prot?.properties.place_name).toBeNull();
    expect(prot?.geometry.coordinates).not.toEqual([-4.2011, 14.5123]);
    expect(JSON.stringify(fc)).not.toContain('Secret national');
    // The same count as the incident list API.
    const list = (await get('/api/v1/incidents?limit=500')).json() as { items: unknown[] };
    expect(list.items).toHaveLength(fc.numberMatched);
    const one = await get(`/ogc/collections/incidents/items/${ids.mopti}`);
    expect(one.headers['content-type']).toContain('application/geo+json');
    expect(one.json()).toMatchObject({ type: 'Feature', id: ids.mopti, geometry: { type: 'Point', coordinates: [-4.19, 14.49] }, properties: { admin1_code: 'ML05' } });
    expect((await get(`/ogc/collections/incidents/items/${ids.national}`)).statusCode).toBe(404);
  });

  it('pages with limit, and the next link repeats every parameter', async () => {
    const first = await items('limit=2&bbox=-10,5,10,25&datetime=2026-01-01/..');
    expect(first.numberReturned).toBe(2);
    expect(first.numberMatched).toBe(4);
    const next = first.links.find((l) => l.rel === 'next' && l.type === 'application/geo+json');
    expect(next).toBeDefined();
    const u = new URL(next?.href ?? '');
    expect(Object.fromEntries(u.searchParams)).toEqual({ limit: '2', bbox: '-10,5,10,25', datetime: '2026-01-01/..', offset: '2', cursor: expect.any(String), f: 'json' });
    const second = (await get(`${u.pathname}${u.search}`)).json() as Fc;
    expect(second.numberReturned).toBe(2);
    expect(second.links.some((l) => l.rel === 'next')).toBe(false);
    expect([...first.features, ...second.features].map((f) => f.id).sort()).toEqual([ids.mopti, ids.djibo, ids.tillaberi, ids.protected].sort());
  });

  it('counts numberMatched exactly, whether the count reads a covering index or the rows', async () => {
    // Filters on columns of the covering indexes (SQLite counts from one alone: the event type's, or the aggregates')
    // and on others (counted from the rows).
    for (const query of ['reporting_state=MLI', 'status=validated', 'bbox=-10,5,10,25&datetime=2026-01-01/..', `filter=${encodeURIComponent('fatalities_best >= 0')}`,
      'admin1_code=ML05', `filter=${encodeURIComponent("narrative LIKE '%'")}`, '', 'event_type=battles', 'event_type=violence_against_civilians&datetime=2026-01-01/2026-03-31',
      `filter=${encodeURIComponent("event_type = 'battles' OR status = 'validated'")}`, `filter=${encodeURIComponent("event_type IN ('battles', 'riots') AND classification = 'public'")}`]) {
      const fc = await items(`limit=1000&${query}`);
      expect(fc.numberMatched, query).toBe(fc.numberReturned);
    }
    expect((await items('reporting_state=MLI')).numberMatched).toBeGreaterThan(0);
    // Counted from the index, the reader's view still holds: Niger's national record is not counted for a Malian reader.
    expect((await items('reporting_state=NER')).numberMatched).toBe(1);
    expect((await items('reporting_state=NER&event_type=violence_against_civilians')).numberMatched).toBe(1);
    // A state, a type and a period (SQLite counts them from the state's entries of incidents_state_type).
    expect((await items('reporting_state=NER&event_type=violence_against_civilians&datetime=2026-03-01/..')).numberMatched).toBe(1);
    expect((await items('reporting_state=BFA&event_type=battles&datetime=2026-02-01/2026-02-28')).numberMatched).toBe(1);
    expect((await items('reporting_state=BFA&event_type=battles&datetime=2026-03-01/2026-03-31')).numberMatched).toBe(0);
    expect((await items('reporting_state=MLI&event_type=violence_against_civilians&datetime=2026-01-01/2026-12-31')).numberMatched).toBe(2);
    const twoStates = await items(`event_type=violence_against_civilians&filter=${encodeURIComponent("reporting_state IN ('MLI', 'NER')")}`);
    expect(twoStates.numberMatched).toBe(3);
    expect(twoStates.features.map((f) => f.id).sort()).toEqual([ids.mopti, ids.tillaberi, ids.protected].sort());
    expect((await items('event_type=violence_against_civilians&datetime=2026-03-01/..')).numberMatched).toBe(2);
    expect((await items('reporting_state=NER&datetime=2026-03-20T08:00:00Z')).numberMatched).toBe(0);
    expect((await items('reporting_state=MLI&status=draft')).numberMatched).toBe(0);
  });

  it('filters by bbox and by datetime (instant, interval, open ends)', async () => {
    expect(await found('bbox=-2,13.5,0,14.5')).toEqual([ids.djibo]);
    expect(await found('datetime=2026-02-05')).toEqual([ids.djibo]);
    expect(await found('datetime=2026-02-05T12:00:00Z')).toEqual([ids.djibo]);
    expect(await found('datetime=2026-02-01T00:00:00Z/2026-03-31T00:00:00Z')).toEqual([ids.djibo, ids.tillaberi].sort());
    expect(await found('datetime=../2026-01-31')).toEqual([ids.mopti]);
    expect(await found('datetime=2026-03-01/..')).toEqual([ids.tillaberi, ids.protected].sort());
  });

  it('filters with CQL2 text and JSON: comparisons, LIKE, IN, BETWEEN, CASEI/ACCENTI, S_INTERSECTS, T_INTERSECTS', async () => {
    const f = (cql: string, extra = '') => found(`filter=${encodeURIComponent(cql)}${extra}`);
    expect(await f("reporting_state = 'BFA'")).toEqual([ids.djibo]);
    expect(await f('fatalities_best >= 3 AND fatalities_best < 7')).toEqual([ids.mopti]);
    expect(await f("reporting_state IN ('MLI', 'BFA') AND NOT status <> 'validated'")).toEqual([ids.mopti, ids.djibo, ids.protected].sort());
    expect(await f('fatalities_best BETWEEN 2 AND 3')).toEqual([ids.mopti, ids.tillaberi, ids.protected].sort());
    expect(await f("narrative LIKE 'Embuscade%'")).toEqual([ids.mopti]);
    expect(await f("ACCENTI(CASEI(admin1_name)) = ACCENTI(CASEI('TILLABERI'))")).toEqual([ids.tillaberi]);
    expect(await f("CASEI(ACCENTI(place_name)) LIKE CASEI(ACCENTI('sevar%'))")).toEqual([ids.mopti]);
    // The protected record's place name is not searchable by a reader who may not see it.
    expect(await f("place_name = 'Hameau protégé'")).toEqual([]);
    expect(await f('S_INTERSECTS(geometry, POLYGON((-3 13, 0 13, 0 15, -3 15, -3 13)))')).toEqual([ids.djibo]);
    expect(await f('S_INTERSECTS(geometry, BBOX(0,13,3,15))')).toEqual([ids.tillaberi]);
    expect(await f("T_INTERSECTS(occurred_start, INTERVAL('2026-03-01', '..'))")).toEqual([ids.tillaberi, ids.protected].sort());
    expect(await f("occurred_start < DATE('2026-01-11')")).toEqual([ids.mopti]);
    const json = JSON.stringify({ op: 'and', args: [{ op: '=', args: [{ property: 'reporting_state' }, 'NER'] }, { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [-5, 10, 5, 20] }] }] });
    expect(await f(json, '&filter-lang=cql2-json')).toEqual([ids.tillaberi]);
    // Queryables as plain parameters (GDAL's attribute filters).
    expect(await found('reporting_state=BFA')).toEqual([ids.djibo]);
  });

  it('refuses a malformed filter, naming the position; an unknown queryable or parameter; a bad limit', async () => {
    const bad = await get(`/ogc/collections/incidents/items?filter=${encodeURIComponent("reporting_state = 'MLI' AND (fatalities_best >")}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('filter');
    expect(bad.body).toContain('position 47');
    const unknown = await get(`/ogc/collections/incidents/items?filter=${encodeURIComponent('reporter_id IS NULL')}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('reporter_id');
    for (const q of ['limit=0', 'limit=10001', 'limit=abc', 'colour=red', 'bbox=1,2,3', 'datetime=hier', 'filter-lang=sql']) {
      const res = await get(`/ogc/collections/incidents/items?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await get('/ogc/collections/incidents/items?limit=10000')).statusCode).toBe(200);
    expect((await get('/ogc?colour=red')).statusCode).toBe(400);
    expect((await get('/ogc/collections/rivers')).statusCode).toBe(404);
    expect((await get('/ogc/collections/rivers/items')).statusCode).toBe(404);
    expect((await get('/ogc/collections/incidents/items/pas-un-identifiant')).statusCode).toBe(404);
    expect((await get('/ogc/collections/admin1/items/ZZ99')).statusCode).toBe(404);
  });

  it('answers every malformed or unsupported filter with a 400 problem, never a 5xx', async () => {
    const texts = [
      "'", '((((', 'a = ', 'fatalities_best =', "S_INTERSECTS(geometry, POLYGON((0 0, 1 1)))", "T_INTERSECTS(geometry, DATE('2020-01-01'))",
      "CASEI(fatalities_best) = 'a'", "occurred_start LIKE '2026%'", 'id IN ()', 'fatalities_best = 1e400', "S_CROSSES(geometry, POINT(0 0))",
      "geometry = 'x'", "T_MEETS(occurred_start, INTERVAL('2020-01-01', '..'))", 'NOT', 'TRUE AND', "narrative LIKE 5", "\u0001", '"unterminated',
      "occurred_start = TIMESTAMP('2026-13-45T99:00:00Z')", 'A_CONTAINS(tags, (1))', 'fatalities_best + 1 > 2',
    ];
    const jsons = ['{', '[]', '{"op":"="}', '{"op":"=","args":[{"property":"status"}]}', '{"op":"in","args":[{"property":"status"},[]]}', '{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":"x"}]}', 'null', '42'];
    const cases = [...texts.map((f) => `filter=${encodeURIComponent(f)}`), ...jsons.map((f) => `filter-lang=cql2-json&filter=${encodeURIComponent(f)}`),
      'bbox=0,0,1,1&bbox=2,2,3,3', 'bbox=10,20,0,0', 'datetime=../..', 'datetime=2026-03-01/2026-01-01', 'offset=-1', 'filter-crs=EPSG:4326', 'fatalities_best=beaucoup',
      'cursor=nimportequoi', `cursor=${Buffer.from('["hier","x"]').toString('base64url')}`, 'cursor=a&cursor=b'];
    for (const q of cases) {
      const res = await get(`/ogc/collections/incidents/items?${q}`);
      expect(res.statusCode, `${q}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.headers['content-type'], q).toContain('application/problem+json');
    }
  });

  it('serves admin areas by level and their queryables as JSON Schema', async () => {
    const fc = (await get(`/ogc/collections/admin1/items?filter=${encodeURIComponent("CASEI(ACCENTI(name_fr)) = 'segou'")}`)).json() as Fc;
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]?.properties).toMatchObject({ name_fr: 'Ségou', state: 'MLI', level: 1 });
    const q = await get('/ogc/collections/incidents/queryables');
    expect(q.headers['content-type']).toContain('application/schema+json');
    const schema = q.json() as { properties: Record<string, { type?: string }> };
    expect(schema.properties.fatalities_best?.type).toBe('number');
    expect(Object.keys(schema.properties)).toContain('geometry');
    const tillaberi = (await get('/ogc/collections/admin1/items/NE006')).json() as { properties: { name_fr: string } };
    expect(tillaberi.properties.name_fr).toBe('Tillabéri');
  });

  it('answers HTML pages to browsers, in French or English', async () => {
    const fr = await get('/ogc/collections/incidents/items?limit=2', { accept: 'text/html,application/xhtml+xml', 'accept-language': 'fr-FR' });
    expect(fr.headers['content-type']).toContain('text/html');
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('Objets 1 à 2 sur 4.');
    expect(fr.body).toContain('Page suivante');
    const en = await get('/ogc?f=html', { 'accept-language': 'en' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Collections');
    const esc = await get(`/ogc/collections/incidents/items/${ids.mopti}?f=html`);
    expect(esc.body).toContain('Embuscade sur la route de Sévaré.');
  });

  it('accepts the API token as the password of HTTP Basic on /ogc only, never a password', async () => {
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    const ok = await app.inject({ url: '/ogc/collections/incidents/items', headers: { authorization: basic('qgis', token) } });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as Fc).numberMatched).toBe(4);
    const password = await app.inject({ url: '/ogc/collections', headers: { authorization: basic('sig.mli', 'mot-de-passe-solide-123') } });
    expect(password.statusCode).toBe(401);
    expect(password.headers['www-authenticate']).toContain('Basic');
    expect((await app.inject({ url: '/ogc' })).headers['www-authenticate']).toContain('Basic');
    expect((await app.inject({ url: '/api/v1/incidents', headers: { authorization: basic('qgis', token) } })).statusCode).toBe(401);
  });

  it('audits a wrong token given through Basic and throttles the address like failed sign-ins', async () => {
    const basic = (pass: string) => `Basic ${Buffer.from(`qgis:${pass}`).toString('base64')}`;
    const from = (pass: string) => app.inject({ url: '/ogc/collections', remoteAddress: '192.0.2.77', headers: { authorization: basic(pass) } });
    for (let i = 0; i < 10; i++) expect((await from(`vigie_faux_${i}`)).statusCode).toBe(401);
    const blocked = await from(token);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'rate_limited' });
    const audited = await t.ctx.engine.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.login_failed').execute();
    const basicFailures = audited.filter((r) => String(r.details).includes('api_token_basic') && String(r.details).includes('192.0.2.77'));
    expect(basicFailures).toHaveLength(10);
    // Another address is not concerned.
    expect((await app.inject({ url: '/ogc/collections', remoteAddress: '192.0.2.78', headers: { authorization: basic(token) } })).statusCode).toBe(200);
  });
  it('counts numberMatched again once a record changes, and keeps each reader\'s count their own', async () => {
    const q = 'event_type=battles&datetime=2025-01-01/2025-12-31';
    const battle = (over: Parameters<typeof newIncident>[0]) => createIncident(t.ctx, SYSTEM, newIncident({
      state: 'NER', event_type: 'battles', sub_event_type: 'armed_clash', occurred_start: '2025-06-01T08:00:00Z', ...over,
    }), { reportingState: 'NER', status: 'validated' });
    expect((await items(q)).numberMatched).toBe(0);
    // Asked again with nothing changed (a client paging on), then after a record is written: counted anew.
    expect((await items(q)).numberMatched).toBe(0);
    await battle({});
    expect((await items(q)).numberMatched).toBe(1);
    // A record kept national by Niger: Mali's analyst does not count it, Niger's does — the same query, each their own count.
    await battle({ sharing_scope: 'national' });
    expect((await items(q)).numberMatched).toBe(1);
    const ner = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 1 });
    const nerToken = (await createApiToken(t.ctx, SYSTEM, ner.login, 'qgis')).token;
    const theirs = await app.inject({ url: `/ogc/collections/incidents/items?${q}`, headers: { authorization: `Bearer ${nerToken}` } });
    expect((theirs.json() as Fc).numberMatched).toBe(2);
    expect((await items(q)).numberMatched).toBe(1);
  });

  it('leaves a record above the reader\'s clearance out of the counts and pages read through the state indexes', async () => {
    // Counts naming the state are read from incidents_state_type (with a type) and incidents_state_time (without).
    await createIncident(t.ctx, SYSTEM, newIncident({
      state: 'MLI', event_type: 'riots', sub_event_type: 'violent_demonstration', occurred_start: '2024-05-01T08:00:00Z', classification: 'confidential',
    }), { reportingState: 'MLI', status: 'validated' });
    const queries = ['reporting_state=MLI&event_type=riots&datetime=2024-01-01/2024-12-31', 'reporting_state=MLI&datetime=2024-01-01/2024-12-31'];
    for (const query of queries) {
      const fc = await items(query);
      expect([fc.numberMatched, fc.features.length], query).toEqual([0, 0]);
    }
    // Mali's analyst cleared for confidential records counts and gets it, through the same indexes.
    const cleared = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const clearedToken = (await createApiToken(t.ctx, SYSTEM, cleared.login, 'qgis')).token;
    for (const query of queries) {
      const res = await app.inject({ url: `/ogc/collections/incidents/items?${query}`, headers: { authorization: `Bearer ${clearedToken}` } });
      const fc = res.json() as Fc;
      expect([fc.numberMatched, fc.features.length], query).toEqual([1, 1]);
    }
  });
  it('pages a whole layer through its next links, each record once, though a record is added in between', async () => {
    // ogr2ogr and QGIS follow next links to the end. The incidents' links seek past the last record of the page before
    // (a cursor): however deep the page, and a record reported meanwhile shifts nothing.
    const all = (await items('limit=1000')).features.map((f) => f.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let url: string | undefined = '/ogc/collections/incidents/items?limit=2';
    for (let pages = 0; url && pages < 50; pages++) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      const fc = res.json() as Fc;
      seen.push(...fc.features.map((f) => f.id));
      if (pages === 0) {
        // The newest of all now: with offset paging, the first page's last record would come again on the second.
        await createIncident(t.ctx, SYSTEM, newIncident({ state: 'MLI', occurred_start: '2026-11-30T08:00:00Z' }), { reportingState: 'MLI', status: 'validated' });
      }
      const next = fc.links.find((l) => l.rel === 'next' && l.type === 'application/geo+json');
      url = next ? next.href.replace('http://localhost:80', '') : undefined;
    }
    expect(seen).toEqual(all);
    // Cursors are for incidents: the other collections page by offset, and say so.
    const areas = await get(`/ogc/collections/admin1/items?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url')}`);
    expect(areas.statusCode).toBe(400);
    expect(JSON.stringify(areas.json())).toContain('cursor');
    const bad = await get('/ogc/collections/incidents/items?cursor=nimportequoi');
    expect(JSON.stringify(bad.json())).toContain('cursor');
  });
});
