/**
 * Two POSTs of one OpenRosa submission at the same moment (Collect retrying while its first attempt is in flight, or
 * the files of a submission sent over parallel requests): one record, each file once, and answers a collector
 * understands — never a 500.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { testApp } from '../test-support/http.js';
import { jpegWithExif, multipart, pdfWithAuthor, submissionXml, xmlPart, type Part } from '../test-support/openrosa.js';

const COLLECT = { 'x-openrosa-version': '1.0', 'user-agent': 'org.odk.collect.android/v2025.2.0 okhttp/4.12.0' };

describe.each(ENGINES)('OpenRosa submissions racing on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let token = '';
  const photo: Part = { name: 'photo.jpg', filename: 'photo.jpg', contentType: 'image/jpeg', data: jpegWithExif() };
  const pdf: Part = { name: 'pv.pdf', filename: 'pv.pdf', contentType: 'application/pdf', data: pdfWithAuthor() };

  beforeAll(async () => {
    t = await testVigie(kind);
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    token = (await createApiToken(t.ctx, SYSTEM, reporter.login, 'tablette-race')).token;
    app = await testApp(t.ctx);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const post = (parts: Part[]) => {
    const body = multipart(parts);
    return app.inject({ method: 'POST', url: `/openrosa/key/${token}/submission`, payload: body.payload, headers: { ...COLLECT, ...body.headers } });
  };
  const records = (id: string) => t.ctx.engine.db.selectFrom('incidents').select('id').where('id', '=', id).execute();
  const files = (id: string) => t.ctx.engine.db.selectFrom('incident_attachments').select('file_name').where('incident_id', '=', id).orderBy('file_name').execute();
  const idOf = (instanceId: string) => instanceId.slice('uuid:'.length);

  it('answers 201 and 202 to two copies of one first POST, and stores the record and its file once', async () => {
    const instanceId = 'uuid:7a1e0c8e-4d2a-4c53-9a51-3f2a7d9e0c21';
    const xml = submissionXml({ instanceId, photos: ['photo.jpg'] });
    const answers = await Promise.all([post([xmlPart(xml), photo]), post([xmlPart(xml), photo])]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 202]);
    expect(answers.every((a) => a.body.includes('<OpenRosaResponse'))).toBe(true);
    expect(await records(idOf(instanceId))).toHaveLength(1);
    expect((await files(idOf(instanceId))).map((f) => f.file_name)).toEqual(['photo.jpg']);
  });

  it('keeps both files when the two parts of one submission arrive at the same moment', async () => {
    const instanceId = 'uuid:7a1e0c8e-4d2a-4c53-9a51-3f2a7d9e0c22';
    const xml = submissionXml({ instanceId, photos: ['photo.jpg'], document: 'pv.pdf' });
    const answers = await Promise.all([post([xmlPart(xml), photo]), post([xmlPart(xml), pdf])]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    expect(await records(idOf(instanceId))).toHaveLength(1);
    expect((await files(idOf(instanceId))).map((f) => f.file_name)).toEqual(['photo.jpg', 'pv.pdf']);
  });

  it('answers 409 to the copy with other content under the same instanceID, and keeps the first', async () => {
    const instanceId = 'uuid:7a1e0c8e-4d2a-4c53-9a51-3f2a7d9e0c23';
    const answers = await Promise.all([post([xmlPart(submissionXml({ instanceId }))]), post([xmlPart(submissionXml({ instanceId, fatalities: 7, civilians: 7 }))])]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)?.body).toContain('instanceID');
    expect(await records(idOf(instanceId))).toHaveLength(1);
  });
});
