import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { runVigie } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { heicPhoto, jpegWithExif } from '../test-support/openrosa.js';

describe.each(ENGINES)('vigie attachments on %s', (kind) => {
  let t: TestVigie;
  const heicId = '0193a1b2-0000-7000-8000-0000000000a2';
  beforeAll(async () => {
    t = await testVigie(kind);
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const incidentId = (await createIncident(t.ctx, analyst, newIncident())).incident.id;
    for (const [id, name, data] of [['0193a1b2-0000-7000-8000-0000000000a1', 'gps.jpg', jpegWithExif()], [heicId, 'iphone.heic', heicPhoto()]] as const) {
      await sql`insert into incident_attachments (id, incident_id, instance_id, file_name, content_type, size_bytes, sha256, metadata_stripped, created_by, created_at)
        values (${id}, ${incidentId}, 'uuid:old', ${name}, 'image/jpeg', ${data.length}, 'x', 0, null, '2026-12-01T10:00:00.000Z')`.execute(t.engine.db);
      await t.engine.db.insertInto('attachment_contents').values({ attachment_id: id, content: data }).execute();
    }
  }, 60_000);
  afterAll(async () => t.drop());

  it('cleans the stored files, prints the counts in French, lists the held one and releases it on an administrator’s reason', async () => {
    const clean = await runVigie(t.url, ['attachments', 'clean']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Pièces jointes : 2 examinées, 1 nettoyée (métadonnées retirées), 0 déjà propre, 1 retenue (1 HEIC/HEIF), 0 reportée ; 0 reste à traiter.');
    expect((await runVigie(t.url, ['attachments', 'clean'])).stdout).toContain('Pièces jointes : 0 examinée');
    const held = await runVigie(t.url, ['attachments', 'held']);
    expect(held.stdout).toMatch(new RegExp(`${heicId}\\tretenu\\t.*iphone\\.heic\\t.*format refusé : HEIC/HEIF`));
    const release = await runVigie(t.url, ['attachments', 'release', heicId, '--reason', 'demandé par le juge']);
    expect(release.stdout).toContain('libéré');
    expect((await runVigie(t.url, ['attachments', 'held'])).stdout).toMatch(new RegExp(`${heicId}\\tlibéré.*raison : demandé par le juge`));
  }, 120_000);
});
