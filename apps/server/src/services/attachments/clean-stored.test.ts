/**
 * Files stored before metadata cleaning existed, cleaned afterwards on both engines: a GPS-tagged JPEG and a PDF with
 * its author come back clean (bytes replaced, audited), a clean PNG stays byte for byte, a HEIC photo is kept untouched
 * but held and never served until an administrator releases it; nothing is served while it waits; a run stopped
 * half-way resumes where it stopped and a second run finds nothing to do.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { heicPhoto, jpegWithExif, pdfWithAuthor } from '../../test-support/openrosa.js';
import { addAttachment, recordAttachment, recordAttachments } from './attachment.service.js';
import { CLEANER_VERSION } from './clean-file.js';
import { cleanCountsFr, cleanStoredAttachments, releaseHeldAttachment, startAttachmentCleaning } from './clean-stored.js';

const LEAKS = ['GPSLatitude', 'TECNO', 'sergent', 'Traore', 'xmpmeta', '/Author'];
const leaks = (b: Buffer) => LEAKS.filter((l) => b.includes(Buffer.from(l, 'latin1')));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A 1×1 PNG with no metadata chunk. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe.each(ENGINES)('cleaning stored attachments on %s', (kind) => {
  let t: TestVigie;
  let analyst: Awaited<ReturnType<typeof newUser>>;
  let incidentId = '';
  const old = { jpeg: jpegWithExif(), pdf: pdfWithAuthor(), heic: heicPhoto(), png: PNG };
  const ids = { jpeg: '0193a1b2-0000-7000-8000-000000000001', pdf: '0193a1b2-0000-7000-8000-000000000002', heic: '0193a1b2-0000-7000-8000-000000000003', png: '0193a1b2-0000-7000-8000-000000000004' };
  const stateOf = async (id: string) => (await t.engine.db.selectFrom('incident_attachments').select(['clean_state', 'cleaned_with', 'clean_note', 'sha256', 'metadata_stripped']).where('id', '=', id).executeTakeFirstOrThrow());
  const bytesOf = async (id: string) => Buffer.from((await t.engine.db.selectFrom('attachment_contents').select('content').where('attachment_id', '=', id).executeTakeFirstOrThrow()).content);
  const problemOf = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; errors?: { message: string }[] }) => ({ code: e.code, message: e.errors?.[0]?.message }));

  beforeAll(async () => {
    t = await testVigie(kind);
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    incidentId = (await createIncident(t.ctx, analyst, newIncident())).incident.id;
    // As the migration left them: bytes as received, state pending.
    for (const [k, data] of Object.entries(old) as [keyof typeof old, Buffer][]) {
      await sql`insert into incident_attachments (id, incident_id, instance_id, file_name, content_type, size_bytes, sha256, metadata_stripped, created_by, created_at)
        values (${ids[k]}, ${incidentId}, 'uuid:old', ${`photo.${k}`}, 'application/octet-stream', ${data.length}, ${sha(data)}, 0, null, '2026-12-01T10:00:00.000Z')`.execute(t.engine.db);
      await t.engine.db.insertInto('attachment_contents').values({ attachment_id: ids[k], content: data }).execute();
    }
  }, 60_000);
  afterAll(async () => t.drop());

  it('serves no file that is still waiting to be cleaned, and says so in French', async () => {
    expect((await stateOf(ids.jpeg)).clean_state).toBe('pending');
    expect(await problemOf(recordAttachment(t.ctx, analyst, incidentId, ids.jpeg))).toEqual({ code: 'conflict', message: 'validation.file_pending' });
    expect((await recordAttachments(t.ctx, analyst, incidentId)).map((a) => a.clean_state)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('stops between two files when asked, and the next run takes up the rest', async () => {
    const ctrl = new AbortController();
    const first = await cleanStoredAttachments(t.ctx, { batch: 1, log: () => ctrl.abort(), signal: ctrl.signal });
    expect(first.examined).toBe(1);
    expect(first.remaining).toBe(3);
    const rest = await cleanStoredAttachments(t.ctx, { batch: 2 });
    expect(rest).toMatchObject({ examined: 3, remaining: 0 });
    expect(first.cleaned + rest.cleaned).toBe(2);
    expect(first.unchanged + rest.unchanged).toBe(1);
    expect(first.held + rest.held).toBe(1);
    expect(cleanCountsFr(rest)).toMatch(/^Pièces jointes : 3 examinées, .* ; 0 reste à traiter\.$/);
  });

  it('replaces the bytes of a JPEG and a PDF with metadata by clean ones, recorded with the cleaner version, and audited', async () => {
    for (const k of ['jpeg', 'pdf'] as const) {
      expect(leaks(old[k]).length).toBeGreaterThan(0);
      const got = await recordAttachment(t.ctx, analyst, incidentId, ids[k]);
      expect(leaks(got.data)).toEqual([]);
      expect(await stateOf(ids[k])).toMatchObject({ clean_state: 'clean', cleaned_with: CLEANER_VERSION, sha256: sha(got.data), metadata_stripped: 1 });
    }
    expect((await recordAttachment(t.ctx, analyst, incidentId, ids.jpeg)).contentType).toBe('image/jpeg');
    const audits = await t.engine.db.selectFrom('audit_events').select(['action', 'object_id', 'details']).where('action', '=', 'incident.attachment_clean').execute();
    expect(audits).toHaveLength(3);
    const jpegAudit = JSON.parse(audits.find((a) => a.details.includes(ids.jpeg))!.details) as Record<string, unknown>;
    expect(jpegAudit).toMatchObject({ sha256_before: sha(old.jpeg), metadata_removed: true, cleaner: CLEANER_VERSION });
    expect(audits.every((a) => a.object_id === incidentId)).toBe(true);
  });

  it('leaves a file that was already clean byte for byte as it was', async () => {
    expect((await bytesOf(ids.png)).equals(PNG)).toBe(true);
    expect((await stateOf(ids.png)).clean_state).toBe('clean');
  });

  it('keeps a HEIC photo untouched but held, never serves it, and reports it', async () => {
    expect((await bytesOf(ids.heic)).equals(old.heic)).toBe(true);
    expect(await stateOf(ids.heic)).toMatchObject({ clean_state: 'held', clean_note: 'validation.file_heic', cleaned_with: CLEANER_VERSION });
    expect(await problemOf(recordAttachment(t.ctx, analyst, incidentId, ids.heic))).toEqual({ code: 'forbidden', message: 'validation.file_held' });
    const listed = await recordAttachments(t.ctx, analyst, incidentId);
    expect(listed.find((a) => a.id === ids.heic)?.clean_state).toBe('held');
    expect(await t.engine.db.selectFrom('audit_events').select('action').where('action', '=', 'incident.attachment_hold').execute()).toHaveLength(1);
  });

  it('finds nothing to do on a second run; a file added since is clean from the start', async () => {
    const cleanPng = await addAttachment(t.ctx, analyst, incidentId, { name: 'nouvelle.png', data: PNG });
    expect((await stateOf(cleanPng.id)).clean_state).toBe('clean');
    expect(await cleanStoredAttachments(t.ctx)).toMatchObject({ examined: 0, remaining: 0 });
  });

  it('serves a held file only after an administrator releases it, with a reason, audited', async () => {
    expect(await problemOf(releaseHeldAttachment(t.ctx, analyst, ids.heic, 'pièce à conviction'))).toMatchObject({ code: 'forbidden' });
    expect(await problemOf(releaseHeldAttachment(t.ctx, SYSTEM, ids.heic, ' '))).toMatchObject({ code: 'validation_failed' });
    await releaseHeldAttachment(t.ctx, SYSTEM, ids.heic, 'pièce à conviction, demandée par le juge');
    expect((await recordAttachment(t.ctx, analyst, incidentId, ids.heic)).data.equals(old.heic)).toBe(true);
    expect(await stateOf(ids.heic)).toMatchObject({ clean_state: 'released', clean_note: 'pièce à conviction, demandée par le juge' });
    expect(await problemOf(releaseHeldAttachment(t.ctx, SYSTEM, ids.jpeg, 'x'))).toMatchObject({ code: 'conflict' });
  });

  it('runs in the background at server start when a file waits, and says what it did in French', async () => {
    const id = '0193a1b2-0000-7000-8000-000000000009';
    await sql`insert into incident_attachments (id, incident_id, instance_id, file_name, content_type, size_bytes, sha256, metadata_stripped, created_by, created_at)
      values (${id}, ${incidentId}, 'uuid:old2', 'tardive.jpg', 'image/jpeg', ${old.jpeg.length}, ${sha(old.jpeg)}, 0, null, '2026-12-01T11:00:00.000Z')`.execute(t.engine.db);
    await t.engine.db.insertInto('attachment_contents').values({ attachment_id: id, content: old.jpeg }).execute();
    const lines: string[] = [];
    const done = new Promise<void>((resolve) => {
      startAttachmentCleaning(t.ctx, (m) => { lines.push(m); if (m.startsWith('Pièces jointes')) resolve(); });
    });
    await done;
    expect(lines).toEqual([
      `Nettoyage des pièces jointes stockées avant le nettoyage des métadonnées (${CLEANER_VERSION})…`,
      'Pièces jointes : 1 examinée, 1 nettoyée (métadonnées retirées), 0 déjà propre, 0 retenue, 0 reportée ; 0 reste à traiter.',
    ]);
    expect((await stateOf(id)).clean_state).toBe('clean');
    // Nothing waits: it says nothing.
    const quiet: string[] = [];
    startAttachmentCleaning(t.ctx, (m) => quiet.push(m));
    await new Promise((r) => setTimeout(r, 300));
    expect(quiet).toEqual([]);
  });
});
