/**
 * A record's files through the real HTTP stack, as a field user meets them: a photo or document sent by a collector or
 * added on the record's page comes back without its GPS position, device or author (the stored bytes read back through
 * the API, served with the type Vigie detected and their length); a HEIC photo, a video or an office document is
 * refused with a French message naming the file (an OpenRosa response for a collector, problem+json naming the field
 * `file` for the API) and nothing is stored; a reader who may not see the record gets none of it.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { testApp } from '../test-support/http.js';
import { heicPhoto, jpegWithExif, mp4Video, multipart, pdfWithAuthor, submissionXml, webpWithExif, xmlPart } from '../test-support/openrosa.js';

const COLLECT = { 'x-openrosa-version': '1.0', 'user-agent': 'org.odk.collect.android/v2025.2.0 okhttp/4.12.0' };
const LEAKS = ['GPSLatitude', 'TECNO', 'sergent', 'Traore', 'xmpmeta', '/Author'];
type FileRow = { id: string; file_name: string; content_type: string; size_bytes: number; metadata_stripped: boolean };

describe.each(ENGINES)('attachments on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporterToken = '';
  let analystToken = '';
  let bfaToken = '';
  let reporter: Awaited<ReturnType<typeof newUser>>;

  const post = (parts: Parameters<typeof multipart>[0]) => {
    const body = multipart(parts);
    return app.inject({ method: 'POST', url: `/openrosa/key/${reporterToken}/submission`, payload: body.payload, headers: { ...COLLECT, ...body.headers } });
  };
  const as = (token: string, opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...(opts.headers ?? {}) } });
  const files = async (token: string, id: string) => ((await as(token, { method: 'GET', url: `/api/v1/incidents/${id}/attachments` })).json() as { items: FileRow[] }).items;
  const upload = (token: string, id: string, filename: string, data: Buffer, lang = 'fr') => {
    const body = multipart([{ name: 'file', filename, contentType: 'application/octet-stream', data }]);
    return as(token, { method: 'POST', url: `/api/v1/incidents/${id}/attachments`, payload: body.payload, headers: { ...body.headers, 'accept-language': lang } });
  };
  const stored = (instance: string) => t.ctx.engine.db.selectFrom('incident_attachments').select('id').where('instance_id', '=', instance).execute();

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const bfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    reporterToken = (await createApiToken(t.ctx, SYSTEM, reporter.login, 'tablette-gao-01')).token;
    analystToken = (await createApiToken(t.ctx, SYSTEM, analyst.login, 'poste-analyste')).token;
    bfaToken = (await createApiToken(t.ctx, SYSTEM, bfa.login, 'poste-bfa')).token;
    app = await testApp(t.ctx);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('stores a GPS-tagged JPEG and WebP and a PDF with an author from a collector without their metadata', async () => {
    const id = '7a1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c21';
    const xml = submissionXml({ instanceId: `uuid:${id}`, photos: ['marche.jpg', 'pont.webp'], document: 'pv.pdf' });
    const res = await post([xmlPart(xml),
      { name: 'marche.jpg', filename: 'marche.jpg', contentType: 'image/jpeg', data: jpegWithExif() },
      { name: 'pont.webp', filename: 'pont.webp', contentType: 'image/webp', data: webpWithExif() },
      // The collector calls the PDF a JPEG: Vigie goes by the content.
      { name: 'pv.pdf', filename: 'pv.pdf', contentType: 'image/jpeg', data: pdfWithAuthor() }]);
    expect(res.statusCode).toBe(201);
    const items = await files(analystToken, id);
    expect(items.map((f) => [f.file_name, f.content_type, f.metadata_stripped]).sort()).toEqual([
      ['marche.jpg', 'image/jpeg', true], ['pont.webp', 'image/webp', true], ['pv.pdf', 'application/pdf', true]]);
    for (const f of items) {
      const got = await as(analystToken, { method: 'GET', url: `/api/v1/incidents/${id}/attachments/${f.id}` });
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe(f.content_type);
      expect(Number(got.headers['content-length'])).toBe(f.size_bytes);
      expect(got.rawPayload.length).toBe(f.size_bytes);
      for (const leak of LEAKS) expect(got.rawPayload.includes(Buffer.from(leak)), `${f.file_name} still holds ${leak}`).toBe(false);
      if (f.file_name === 'pv.pdf') {
        const pdf = await PDFDocument.load(got.rawPayload);
        expect(pdf.getAuthor()).toBeUndefined();
        expect(pdf.getPageCount()).toBe(1);
      }
    }
    // Another state's analyst may not see the record: nor its files.
    expect((await as(bfaToken, { method: 'GET', url: `/api/v1/incidents/${id}/attachments` })).statusCode).toBe(404);
    expect((await as(bfaToken, { method: 'GET', url: `/api/v1/incidents/${id}/attachments/${items[0]!.id}` })).statusCode).toBe(404);
  });

  it('refuses a HEIC photo named .jpg from a collector with a French message naming it, storing nothing', async () => {
    const id = '7a1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c22';
    const xml = submissionXml({ instanceId: `uuid:${id}`, photos: ['IMG_0042.jpg'] });
    const res = await post([xmlPart(xml), { name: 'IMG_0042.jpg', filename: 'IMG_0042.jpg', contentType: 'image/jpeg', data: heicPhoto() }]);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toContain('nature="error"');
    expect(res.body).toContain('fichier « IMG_0042.jpg »');
    expect(res.body).toContain('Photo HEIC/HEIF refusée');
    expect(res.body).toContain('Formats acceptés : photos JPEG, PNG ou WebP, documents PDF.');
    expect((await as(analystToken, { method: 'GET', url: `/api/v1/incidents/${id}` })).statusCode).toBe(404);
    expect(await stored(`uuid:${id}`)).toEqual([]);

    // The files of a split submission: a video in the second POST is refused; the record keeps what it had.
    const split = '7a1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c23';
    const xml2 = submissionXml({ instanceId: `uuid:${split}`, photos: ['a.jpg', 'b.mp4'] });
    expect((await post([xmlPart(xml2), { name: 'a.jpg', filename: 'a.jpg', contentType: 'image/jpeg', data: jpegWithExif() }])).statusCode).toBe(201);
    const video = await post([xmlPart(xml2), { name: 'b.mp4', filename: 'b.mp4', contentType: 'video/mp4', data: mp4Video() }]);
    expect(video.statusCode).toBe(400);
    expect(video.body).toContain('Vidéo refusée');
    expect((await files(analystToken, split)).map((f) => f.file_name)).toEqual(['a.jpg']);
    // A file over the limit: refused in French, naming it.
    const big = await post([xmlPart(xml2), { name: 'b.mp4', filename: 'b.mp4', contentType: 'image/jpeg', data: Buffer.concat([jpegWithExif(), Buffer.alloc(10 * 1024 * 1024)]) }]);
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('fichier « b.mp4 » — Fichier trop volumineux : 10 Mo au plus par fichier');
  });

  it('adds a file on the record’s page, cleaned; refuses HEIC and MP4 as problem+json naming the field, in the reader’s language', async () => {
    const rec = (await createIncident(t.ctx, reporter, newIncident({ status: 'draft' }))).incident;
    const heic = await upload(reporterToken, rec.id, 'photo.jpg', heicPhoto());
    expect(heic.statusCode, heic.body).toBe(400);
    expect(heic.headers['content-type']).toContain('application/problem+json');
    expect(heic.json()).toMatchObject({ code: 'validation_failed', file: 'photo.jpg', errors: [{ field: 'file', message: expect.stringMatching(/^Photo HEIC\/HEIF refusée/) }] });
    const mp4 = await upload(reporterToken, rec.id, 'clip.mp4', mp4Video(), 'en');
    expect(mp4.json()).toMatchObject({ errors: [{ field: 'file', message: expect.stringMatching(/^Video refused/) }] });
    expect(await files(reporterToken, rec.id)).toEqual([]);

    const ok = await upload(reporterToken, rec.id, 'pont.webp', webpWithExif());
    expect(ok.statusCode).toBe(201);
    const [f] = await files(reporterToken, rec.id);
    expect(f).toMatchObject({ file_name: 'pont.webp', content_type: 'image/webp', metadata_stripped: true });
    const got = await as(reporterToken, { method: 'GET', url: `/api/v1/incidents/${rec.id}/attachments/${f!.id}` });
    for (const leak of LEAKS) expect(got.rawPayload.includes(Buffer.from(leak))).toBe(false);
    // Over the size limit: 413 in French, naming the field.
    const big = await upload(reporterToken, rec.id, 'grande.jpg', Buffer.concat([jpegWithExif(), Buffer.alloc(10 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ errors: [{ field: 'file', message: expect.stringContaining('10 Mo au plus') }] });
    // Another state's analyst neither sees nor adds.
    expect((await upload(bfaToken, rec.id, 'x.jpg', jpegWithExif())).statusCode).toBe(404);
    expect(await files(reporterToken, rec.id)).toHaveLength(1);
  });
});
