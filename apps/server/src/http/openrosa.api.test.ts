/**
 * OpenRosa intake through the real HTTP stack, replaying what ODK Collect sends: form list, form, manifest and media
 * with their md5 hashes; HEAD 204 then multipart POSTs, the files split over two requests repeating the XML; the same
 * submission again (202), other content under its instanceID (409), an edit by deprecatedID, and a revoked token (401).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../services/accounts/auth.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { testApp } from '../test-support/http.js';
import { jpegWithExif, multipart, pdfWithAuthor, submissionXml, xmlPart } from '../test-support/openrosa.js';

const COLLECT = { 'x-openrosa-version': '1.0', 'user-agent': 'org.odk.collect.android/v2025.2.0 okhttp/4.12.0', date: new Date().toUTCString() };
const md5 = (b: string | Buffer) => `md5:${createHash('md5').update(b).digest('hex')}`;
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] ?? '');

describe.each(ENGINES)('OpenRosa intake on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporterToken = '';
  let reporterTokenId = '';
  let analystToken = '';
  let bfaToken = '';
  const photo = jpegWithExif();
  const pdf = pdfWithAuthor();

  const collect = (opts: InjectOptions) => app.inject({ ...opts, headers: { ...COLLECT, ...(opts.headers ?? {}) } });
  const post = (token: string, parts: Parameters<typeof multipart>[0]) => {
    const body = multipart(parts);
    return collect({ method: 'POST', url: `/openrosa/key/${token}/submission`, payload: body.payload, headers: body.headers });
  };
  const api = (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await testVigie(kind);
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const bfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    ({ token: reporterToken, id: reporterTokenId } = await createApiToken(t.ctx, SYSTEM, reporter.login, 'tablette-gao-01'));
    analystToken = (await createApiToken(t.ctx, SYSTEM, analyst.login, 'odk-analyste')).token;
    bfaToken = (await createApiToken(t.ctx, SYSTEM, bfa.login, 'odk-bfa')).token;
    app = await testApp(t.ctx);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('lists the form with its md5 hash; the form, manifest and media files match their hashes', async () => {
    const list = await collect({ method: 'GET', url: `/openrosa/key/${reporterToken}/formList` });
    expect(list.statusCode).toBe(200);
    expect(list.headers['x-openrosa-version']).toBe('1.0');
    expect(list.headers['content-type']).toContain('text/xml');
    expect(tag(list.body, 'formID')).toEqual(['vigie_incident']);
    const [hash] = tag(list.body, 'hash');
    expect(hash).toMatch(/^md5:[0-9a-f]{32}$/);
    const [downloadUrl] = tag(list.body, 'downloadUrl');
    const [manifestUrl] = tag(list.body, 'manifestUrl');
    expect(manifestUrl).toContain(`/openrosa/key/${reporterToken}/forms/vigie_incident/manifest`);

    const form = await collect({ method: 'GET', url: new URL(downloadUrl!).pathname });
    expect(form.statusCode).toBe(200);
    expect(md5(form.body)).toBe(hash);
    expect(form.body).toContain('jr://file-csv/actors.csv');

    const manifest = await collect({ method: 'GET', url: new URL(manifestUrl!).pathname });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['x-openrosa-version']).toBe('1.0');
    expect(tag(manifest.body, 'filename').sort()).toEqual(['actors.csv', 'areas.csv', 'places.csv']);
    const hashes = tag(manifest.body, 'hash');
    const urls = tag(manifest.body, 'downloadUrl');
    for (const [i, url] of urls.entries()) {
      const media = await collect({ method: 'GET', url: new URL(url).pathname });
      expect(media.statusCode).toBe(200);
      expect(md5(media.body)).toBe(hashes[i]);
      expect(media.body.split('\r\n')[0]).toMatch(/^name,label/);
    }
    // The reporter's own state's places only (Mali's), with coordinates.
    const places = await collect({ method: 'GET', url: `/openrosa/key/${reporterToken}/forms/vigie_incident/media/places.csv` });
    expect(places.body.split('\r\n').length).toBeGreaterThan(10);
    expect(places.body).toContain('Bamako');
    expect(places.body).not.toContain('Niamey');

    // HTTP Basic with the token as password answers the same list.
    const basic = await collect({ method: 'GET', url: '/openrosa/formList', headers: { authorization: `Basic ${Buffer.from(`gao:${reporterToken}`).toString('base64')}` } });
    expect(basic.statusCode).toBe(200);
    expect(tag(basic.body, 'hash')).toEqual([hash]);
  });

  it('replays Collect: HEAD 204, then the files over two POSTs repeating the XML; the record waits in review with its files', async () => {
    const head = await collect({ method: 'HEAD', url: `/openrosa/key/${reporterToken}/submission` });
    expect(head.statusCode).toBe(204);
    expect(Number(head.headers['x-openrosa-accept-content-length'])).toBeGreaterThan(10_000_000);
    expect(head.headers['x-openrosa-version']).toBe('1.0');

    const instanceId = 'uuid:5b1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c11';
    const xml = submissionXml({ instanceId, photos: ['1718000000000.jpg'], document: 'pv.pdf', deviceId: 'collect:GAO0001' });
    const first = await post(reporterToken, [xmlPart(xml), { name: '1718000000000.jpg', filename: '1718000000000.jpg', contentType: 'image/jpeg', data: photo }]);
    expect(first.statusCode).toBe(201);
    expect(first.headers['content-type']).toContain('text/xml');
    expect(first.body).toContain('<OpenRosaResponse xmlns="http://openrosa.org/http/response"');
    expect(first.body).toContain('nature="submit_success"');
    const second = await post(reporterToken, [xmlPart(xml), { name: 'pv.pdf', filename: 'pv.pdf', contentType: 'application/pdf', data: pdf }]);
    expect(second.statusCode).toBe(201);

    // An analyst of the state finds it in the review queue, placed by polygon, with the device and instanceID in its history.
    const id = '5b1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c11';
    const queue = await api(analystToken, '/api/v1/incidents?status=submitted&limit=50');
    expect((queue.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(id);
    const rec = (await api(analystToken, `/api/v1/incidents/${id}`)).json() as Record<string, unknown>;
    expect(rec).toMatchObject({ status: 'submitted', reporting_state: 'MLI', fatalities_best: 2, civilian_fatalities: 2, event_type: 'violence_against_civilians' });
    expect(rec.admin1_code).toBeTruthy();
    const history = (await api(analystToken, `/api/v1/incidents/${id}/history`)).json() as { items: { reason: string | null }[] };
    expect(history.items[0]?.reason).toContain('collect:GAO0001');
    expect(history.items[0]?.reason).toContain(instanceId);

    const files = (await api(analystToken, `/api/v1/incidents/${id}/attachments`)).json() as { items: { id: string; file_name: string; metadata_stripped: boolean; size_bytes: number }[] };
    expect(files.items.map((f) => f.file_name).sort()).toEqual(['1718000000000.jpg', 'pv.pdf']);
    const jpg = files.items.find((f) => f.file_name.endsWith('.jpg'))!;
    expect(jpg.metadata_stripped).toBe(true);
    const content = await api(analystToken, `/api/v1/incidents/${id}/attachments/${jpg.id}`);
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(content.rawPayload.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(content.rawPayload.includes(Buffer.from('sergent'))).toBe(false);
    expect(content.rawPayload.includes(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56]))).toBe(true);
    // A reader of another state may not see the record: nor its files.
    expect((await api(bfaToken, `/api/v1/incidents/${id}/attachments`)).statusCode).toBe(404);
    expect((await api(bfaToken, `/api/v1/incidents/${id}/attachments/${jpg.id}`)).statusCode).toBe(404);

    // Sent again (Collect retrying after a lost answer): 202, nothing new.
    const again = await post(reporterToken, [xmlPart(xml), { name: 'pv.pdf', filename: 'pv.pdf', contentType: 'application/pdf', data: pdf }]);
    expect(again.statusCode).toBe(202);
    expect(again.body).toContain('déjà reçu');
    expect(((await api(analystToken, `/api/v1/incidents/${id}/attachments`)).json() as { items: unknown[] }).items).toHaveLength(2);

    // Other content under the same instanceID: 409, as an OpenRosa response in French.
    const other = await post(reporterToken, [xmlPart(submissionXml({ instanceId, fatalities: 5, civilians: 1 }))]);
    expect(other.statusCode).toBe(409);
    expect(other.body).toContain('nature="error"');
    expect(other.body).toContain('instanceID');
    expect(other.headers['x-openrosa-version']).toBe('1.0');
    expect(((await api(analystToken, `/api/v1/incidents/${id}`)).json() as { fatalities_best: number }).fatalities_best).toBe(2);
  });

  it('applies an edit sent with deprecatedID to the same record, through the edit path and its history', async () => {
    const original = 'uuid:0d4c1a3e-7f61-4b8e-9c2d-5a6b7c8d9e01';
    expect((await post(analystToken, [xmlPart(submissionXml({ instanceId: original, fatalities: 3, civilians: 1 }))])).statusCode).toBe(201);
    const edit = await post(analystToken, [xmlPart(submissionXml({ instanceId: 'uuid:0d4c1a3e-7f61-4b8e-9c2d-5a6b7c8d9e02', deprecatedId: original, fatalities: 4, civilians: 1 }))]);
    expect(edit.statusCode).toBe(201);
    const rec = (await api(analystToken, '/api/v1/incidents/0d4c1a3e-7f61-4b8e-9c2d-5a6b7c8d9e01')).json() as { fatalities_best: number; version: number };
    expect(rec).toMatchObject({ fatalities_best: 4, version: 2 });
    const history = (await api(analystToken, '/api/v1/incidents/0d4c1a3e-7f61-4b8e-9c2d-5a6b7c8d9e01/history')).json() as { items: { reason: string | null }[] };
    expect(history.items.map((h) => h.reason ?? '').join(' ')).toContain(`remplace ${original}`);
    // The edited instance is itself received once: sent again, 202.
    expect((await post(analystToken, [xmlPart(submissionXml({ instanceId: 'uuid:0d4c1a3e-7f61-4b8e-9c2d-5a6b7c8d9e02', deprecatedId: original, fatalities: 4, civilians: 1 }))])).statusCode).toBe(202);
  });

  it('refuses bad submissions with a French OpenRosa message, and a revoked token with 401', async () => {
    const notMultipart = await collect({ method: 'POST', url: `/openrosa/key/${reporterToken}/submission`, payload: '<data/>', headers: { 'content-type': 'text/xml' } });
    expect(notMultipart.statusCode).toBe(415);
    expect(notMultipart.body).toContain('multipart/form-data');
    const future = await post(reporterToken, [xmlPart(submissionXml({ occurred: '2099-01-01T00:00:00.000+00:00' }))]);
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain("futur");
    expect(future.body).toContain('nature="error"');
    // Without the OpenRosa header the same error is the API's problem+json.
    const plain = await app.inject({ method: 'POST', url: `/openrosa/key/${reporterToken}/submission`, payload: '<data/>', headers: { 'content-type': 'text/xml' } });
    expect(plain.headers['content-type']).toContain('application/problem+json');

    await revokeApiToken(t.ctx, SYSTEM, reporterTokenId);
    const revoked = await post(reporterToken, [xmlPart(submissionXml())]);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers['www-authenticate']).toContain('Basic');
    expect(revoked.body).toContain('Authentification requise');
    expect((await collect({ method: 'GET', url: `/openrosa/key/${reporterToken}/formList` })).statusCode).toBe(401);
  });
});
