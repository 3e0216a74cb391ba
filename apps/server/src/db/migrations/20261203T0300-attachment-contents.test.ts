import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../../lib/server-keys.js';
import { createContext } from '../../services/context.js';
import { recordAttachment } from '../../services/attachments/attachment.service.js';
import { cleanStoredAttachments } from '../../services/attachments/clean-stored.js';
import { backupTo, restoreFrom } from '../../services/audit/backup.service.js';
import { createIncident } from '../../services/incidents/incident.service.js';
import { loadReferenceConfig, syncReferenceData } from '../../services/geography/reference.service.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie } from '../../test-support/factories.js';
import { writeBackupBefore } from '../../test-support/old-schema.js';
import { migrateToLatest, migrateUpTo } from '../migrate.js';

const MIGRATION = '20261203T0300-attachment-contents';
/** Every byte value, and a length that base64 pads. */
const bytesOf = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37) % 256));

describe.each(ENGINES)(`migration ${MIGRATION} on %s`, (kind) => {
  let db: TestDatabase;
  let incidentId = '';
  let analyst: Awaited<ReturnType<typeof newUser>>;
  const files = [bytesOf(1000), bytesOf(1001), bytesOf(25)];
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await migrateUpTo(db.engine, '20261203T0010-sitrep-schedule');
    await syncReferenceData(db.engine, loadReferenceConfig());
    const ctx = createContext(db.engine, loadReferenceConfig(), testKeys());
    analyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    // The record as a row of that schema (today's code writes columns added since).
    incidentId = '0193a1b2-0000-7000-8000-0000000000a1';
    const now = '2026-12-01T09:00:00.000Z';
    await sql`insert into incidents (id, reporting_state, reporter_id, status, version, created_at, updated_at, create_hash, occurred_start, time_precision,
      latitude, longitude, coarse_latitude, coarse_longitude, geo_precision, event_type, sub_event_type, fatalities_best, civilian_fatalities,
      injured, abducted, classification_level, sharing_scope)
      values (${incidentId}, 'MLI', ${analyst.userId}, 'submitted', 1, ${now}, ${now}, 'h', ${now}, 1, 14.1, -4.2, 14.25, -4.25, 1, 'battles', 'armed_clash', 0, 0, 0, 0, 1, 'national')`.execute(db.engine.db);
    // Files as the code before this migration stored them: base64 text in the row.
    for (const [i, data] of files.entries()) {
      await sql`insert into incident_attachments (id, incident_id, instance_id, file_name, content_type, size_bytes, sha256, metadata_stripped, content, created_by, created_at)
        values (${`0193a1b2-0000-7000-8000-00000000000${i}`}, ${incidentId}, 'uuid:old', ${`f${i}.jpg`}, 'image/jpeg', ${data.length}, 'x', 1, ${data.toString('base64')}, null, '2026-12-01T10:00:00.000Z')`.execute(db.engine.db);
    }
    await migrateToLatest(db.engine);
  }, 60_000);
  afterAll(async () => db.drop());

  it('moves each file’s bytes, unchanged, into the binary table and drops the text column', async () => {
    const rows = await db.engine.db.selectFrom('attachment_contents').selectAll().orderBy('attachment_id').execute();
    expect(rows.map((r) => Buffer.from(r.content))).toEqual(files);
    const columns = (await db.engine.db.introspection.getTables()).find((t) => t.name === 'incident_attachments')!.columns.map((c) => c.name);
    expect(columns).not.toContain('content');
  });

  it('so that the same bytes wait, unserved, for the cleaner (20261203T0400-attachment-cleaning), which keeps what it cannot clean', async () => {
    const ctx = createContext(db.engine, loadReferenceConfig(), testKeys());
    const id = '0193a1b2-0000-7000-8000-000000000001';
    await expect(recordAttachment(ctx, analyst, incidentId, id)).rejects.toMatchObject({ code: 'conflict' });
    await cleanStoredAttachments(ctx);
    // These bytes are no image Vigie knows: held, untouched, still not served.
    const row = await db.engine.db.selectFrom('incident_attachments').select('clean_state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.clean_state).toBe('held');
    const kept = await db.engine.db.selectFrom('attachment_contents').select('content').where('attachment_id', '=', id).executeTakeFirstOrThrow();
    expect(Buffer.from(kept.content).equals(files[1]!)).toBe(true);
  });
});

describe.each(ENGINES)('backups of attachments on %s', (kind) => {
  it('carry the bytes through a backup and restore, and restore a backup written when they were base64 in their row', async () => {
    const source = await testVigie(kind);
    const target = await testVigie(kind);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-attachments-backup-'));
    try {
      const analyst = await newUser(source.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
      const { incident } = await createIncident(source.ctx, analyst, newIncident());
      const data = bytesOf(4097);
      await source.ctx.engine.writeTransaction(async (trx) => {
        await trx.insertInto('incident_attachments').values({ id: 'a1', incident_id: incident.id, instance_id: 'web:x', file_name: 'p.jpg', content_type: 'image/jpeg', size_bytes: data.length, sha256: 'x', metadata_stripped: 1, created_by: null, created_at: '2026-12-01T10:00:00.000Z' }).execute();
        await trx.insertInto('attachment_contents').values({ attachment_id: 'a1', content: data }).execute();
      });
      const file = path.join(dir, 'now.vigie.gz');
      await backupTo(source.ctx, file);
      await restoreFrom(target.ctx, file, { force: true });
      const restored = await target.ctx.engine.db.selectFrom('attachment_contents').selectAll().execute();
      expect(restored.map((r) => Buffer.from(r.content))).toEqual([data]);

      // The same backup as the code before this migration wrote it: the bytes base64 in the file's row.
      const oldFile = path.join(dir, 'old.vigie.gz');
      writeBackupBefore(source.ctx, file, oldFile, MIGRATION, (lines) => {
        delete (lines[0] as { tables: Record<string, number> }).tables.attachment_contents;
        const content = lines.find((l) => l.t === 'attachment_contents')!;
        (lines.find((l) => l.t === 'incident_attachments')!.r as Record<string, unknown>).content = (content.r as { content: string }).content;
        const old = lines.filter((l) => l !== content);
        (old.at(-1) as { rows: number }).rows -= 1;
        return old;
      });
      await restoreFrom(target.ctx, oldFile, { force: true });
      const again = await target.ctx.engine.db.selectFrom('attachment_contents').selectAll().execute();
      expect(again.map((r) => [r.attachment_id, Buffer.from(r.content)])).toEqual([['a1', data]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  }, 60_000);
});
