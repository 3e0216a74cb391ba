import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../../lib/server-keys.js';
import { createContext } from '../../services/context.js';
import { backupTo, restoreFrom } from '../../services/audit/backup.service.js';
import { createIncident, patchIncident } from '../../services/incidents/incident.service.js';
import { incidentHistory } from '../../services/incidents/incident-reads.js';
import { validateIncident } from '../../services/incidents/incident-workflow.js';
import { loadReferenceConfig, syncReferenceData } from '../../services/geography/reference.service.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie } from '../../test-support/factories.js';
import { addMemberState, writeBackupBefore } from '../../test-support/old-schema.js';
import { migrateToLatest, migrateUpTo } from '../migrate.js';

const ID = '0193a1b2-0000-7000-8000-000000000001';

/** A version as the code before this migration wrote it: the rule's values only inside the JSON snapshot. */
const oldVersion = (version: number, snap: Record<string, unknown>) => ({
  incident_id: ID, version, changed_at: `2026-03-1${version}T08:00:00.000Z`, changed_by: null, action: version === 1 ? 'create' : 'update',
  reason: null, changed_fields: '[]',
  snapshot: JSON.stringify({ id: ID, reporting_state: 'BFA', reporter: null, narrative: `v${version}`, latitude: 14.1, longitude: -1.63, place_name: 'Djibo', _coarse: [14.25, -1.75], ...snap }),
});

describe.each(ENGINES)('migration 20261201T1400-version-visibility on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await migrateUpTo(db.engine, '20261129T1410-aggregate-month-rollup');
    // Only the reporting state at that schema (today's reference sync writes later tables); all of it after the migration.
    await addMemberState(db.engine, 'BFA');
    const now = '2026-03-14T08:00:00.000Z';
    await sql`insert into incidents (id, reporting_state, status, version, created_at, updated_at, create_hash, occurred_start, time_precision,
      latitude, longitude, coarse_latitude, coarse_longitude, geo_precision, event_type, sub_event_type, fatalities_best, civilian_fatalities,
      injured, abducted, classification_level, sharing_scope)
      values (${ID}, 'BFA', 'validated', 3, ${now}, ${now}, 'h', ${now}, 1, 14.1, -1.63, 14.25, -1.75, 1, 'battles', 'armed_clash', 0, 0, 0, 0, 1, 'confederation')`.execute(db.engine.db);
    const rows = [
      oldVersion(1, { status: 'submitted', classification: 'secret', sharing_scope: 'national', exact_location_classification: 'confidential' }),
      oldVersion(2, { status: 'validated', classification: 'secret', sharing_scope: 'confederation', exact_location_classification: 'confidential' }),
      oldVersion(3, { status: 'validated', classification: 'restricted', sharing_scope: 'confederation', exact_location_classification: null }),
    ];
    for (const r of rows) {
      await sql`insert into incident_versions (incident_id, version, changed_at, changed_by, action, reason, changed_fields, snapshot)
        values (${r.incident_id}, ${r.version}, ${r.changed_at}, ${r.changed_by}, ${r.action}, ${r.reason}, ${r.changed_fields}, ${r.snapshot})`.execute(db.engine.db);
    }
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, loadReferenceConfig());
  });
  afterAll(async () => db.drop());

  it('fills each version’s rule columns from its snapshot', async () => {
    const rows = await db.engine.db.selectFrom('incident_versions')
      .select(['version', 'classification_level', 'sharing_scope', 'status', 'reporting_state', 'reporter_id', 'exact_location_level'])
      .where('incident_id', '=', ID).orderBy('version').execute();
    expect(rows).toEqual([
      { version: 1, classification_level: 3, sharing_scope: 'national', status: 'submitted', reporting_state: 'BFA', reporter_id: null, exact_location_level: 2 },
      { version: 2, classification_level: 3, sharing_scope: 'confederation', status: 'validated', reporting_state: 'BFA', reporter_id: null, exact_location_level: 2 },
      { version: 3, classification_level: 1, sharing_scope: 'confederation', status: 'validated', reporting_state: 'BFA', reporter_id: null, exact_location_level: null },
    ]);
  });

  it('so that history written before it is filtered like history written after it', async () => {
    const ctx = createContext(db.engine, loadReferenceConfig(), testKeys());
    const reader = await newUser(ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    const history = await incidentHistory(ctx, reader, ID);
    expect(history.map((v) => v.accessible)).toEqual([false, false, true]);
    expect(JSON.stringify(history)).not.toContain('"v2"');
  });
});

describe.each(ENGINES)('restoring a backup written before per-version visibility, on %s', (kind) => {
  it('fills the rule columns of its versions, so their history is filtered the same way', async () => {
    const source = await testVigie(kind);
    const target = await testVigie(kind);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-old-backup-'));
    try {
      const cleared = await newUser(source.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
      const { incident } = await createIncident(source.ctx, cleared, newIncident({ state: 'BFA', classification: 'secret', narrative: 'source HIBOU' }));
      await validateIncident(source.ctx, cleared, incident.id);
      await patchIncident(source.ctx, cleared, incident.id, { version: 2, classification: 'restricted', narrative: 'expurgé', change_reason: 'diffusion' });
      const fresh = path.join(dir, 'new.vigie.gz');
      await backupTo(source.ctx, fresh);
      // The same backup as the code before this migration wrote it: no such migration, no such columns.
      const old = path.join(dir, 'old.vigie.gz');
      writeBackupBefore(source.ctx, fresh, old, '20261201T1400-version-visibility', (lines) => {
        for (const line of lines) {
          if (line.t !== 'incident_versions') continue;
          const r = line.r as Record<string, unknown>;
          for (const c of ['classification_level', 'sharing_scope', 'status', 'reporting_state', 'reporter_id', 'exact_location_level']) delete r[c];
        }
        return lines;
      });
      await restoreFrom(target.ctx, old, { force: true });
      const reader = await newUser(target.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
      expect((await incidentHistory(target.ctx, reader, incident.id)).map((v) => v.accessible)).toEqual([false, false, true]);
      const levels = await target.ctx.engine.db.selectFrom('incident_versions').select('classification_level').where('incident_id', '=', incident.id).orderBy('version').execute();
      expect(levels.map((l) => l.classification_level)).toEqual([3, 3, 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  }, 60_000);
});
