/**
 * Uploads from the web app's outbox, through the real HTTP stack on both engines: a report written offline arrives
 * first (submitted), its photos after it, each under the UUIDv7 the device chose. Sending one again — the answer was
 * lost on a bad link — stores nothing twice (200 with the stored file); that id with other bytes, or on another record,
 * is a conflict; two photos both called « photo.jpg » are both kept; a resend still succeeds after a reviewer has
 * validated the report, while a new file from its reporter is then refused.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { validateIncident } from '../services/incidents/incident-workflow.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { testApp } from '../test-support/http.js';
import { jpegWithExif, multipart, pdfWithAuthor } from '../test-support/openrosa.js';

describe.each(ENGINES)('outbox uploads on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let reporterToken = '';
  let reporter: Awaited<ReturnType<typeof newUser>>;
  let analyst: Awaited<ReturnType<typeof newUser>>;
  const upload = (id: string, filename: string, data: Buffer, clientId?: string) => {
    const body = multipart([...(clientId ? [{ name: 'id', filename: '', contentType: '', data: clientId }] : []), { name: 'file', filename, contentType: 'image/jpeg', data }]);
    return app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/attachments`, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${reporterToken}` } });
  };
  const count = async (incidentId: string) => (await t.ctx.engine.db.selectFrom('incident_attachments').select('id').where('incident_id', '=', incidentId).execute()).length;

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    reporterToken = (await createApiToken(t.ctx, SYSTEM, reporter.login, 'telephone')).token;
    app = await testApp(t.ctx);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('stores a photo sent twice under its client id once, and answers the resend with the stored file', async () => {
    const rec = (await createIncident(t.ctx, reporter, newIncident({ status: 'submitted' }))).incident;
    const fileId = '0193d2e4-1a2b-7c3d-8e4f-000000000001';
    const first = await upload(rec.id, 'photo.jpg', jpegWithExif(), fileId);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ id: fileId, file_name: 'photo.jpg', metadata_stripped: true, clean_state: 'clean' });
    const again = await upload(rec.id, 'photo.jpg', jpegWithExif(), fileId);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    // A PDF is rewritten by the cleaner: its resend is recognised too.
    const pdfId = '0193d2e4-1a2b-7c3d-8e4f-000000000002';
    expect((await upload(rec.id, 'pv.pdf', pdfWithAuthor(), pdfId)).statusCode).toBe(201);
    expect((await upload(rec.id, 'pv.pdf', pdfWithAuthor(), pdfId)).statusCode).toBe(200);
    expect(await count(rec.id)).toBe(2);
  });

  it('keeps two photos of the same name, and refuses a client id reused for other bytes or another record', async () => {
    const rec = (await createIncident(t.ctx, reporter, newIncident({ status: 'submitted' }))).incident;
    const other = (await createIncident(t.ctx, reporter, newIncident({ status: 'submitted' }))).incident;
    expect((await upload(rec.id, 'photo.jpg', jpegWithExif(), '0193d2e4-1a2b-7c3d-8e4f-000000000011')).statusCode).toBe(201);
    const second = await upload(rec.id, 'photo.jpg', pdfWithAuthor('autre'), '0193d2e4-1a2b-7c3d-8e4f-000000000012');
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ file_name: 'photo (2).jpg', content_type: 'application/pdf' });
    const otherBytes = await upload(rec.id, 'photo.jpg', pdfWithAuthor('encore autre'), '0193d2e4-1a2b-7c3d-8e4f-000000000011');
    expect(otherBytes.statusCode).toBe(409);
    expect(otherBytes.json()).toMatchObject({ code: 'id_conflict', errors: [{ field: 'id', message: 'Cet identifiant de fichier est déjà utilisé par un autre fichier.' }] });
    expect((await upload(other.id, 'photo.jpg', jpegWithExif(), '0193d2e4-1a2b-7c3d-8e4f-000000000011')).statusCode).toBe(409);
    const bad = await upload(rec.id, 'photo.jpg', jpegWithExif(), 'pas-un-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'id' }] });
    expect(await count(rec.id)).toBe(2);
    expect(await count(other.id)).toBe(0);
  });

  it('answers a resend after the report was validated, but refuses its reporter a new file then', async () => {
    const rec = (await createIncident(t.ctx, reporter, newIncident({ status: 'submitted' }))).incident;
    const fileId = '0193d2e4-1a2b-7c3d-8e4f-000000000021';
    expect((await upload(rec.id, 'photo.jpg', jpegWithExif(), fileId)).statusCode).toBe(201);
    await validateIncident(t.ctx, analyst, rec.id);
    expect((await upload(rec.id, 'photo.jpg', jpegWithExif(), fileId)).statusCode).toBe(200);
    const late = await upload(rec.id, 'autre.jpg', jpegWithExif(), '0193d2e4-1a2b-7c3d-8e4f-000000000022');
    expect(late.statusCode).toBe(403);
  });
});
