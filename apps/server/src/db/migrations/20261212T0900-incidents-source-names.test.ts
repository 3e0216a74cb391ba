import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceNames } from '../../repositories/incident-codec.js';
import { backupTo, restoreFrom } from '../../services/audit/backup.service.js';
import { exportIncidents } from '../../services/exchange/export.service.js';
import { createIncident } from '../../services/incidents/incident.service.js';
import { validateIncident } from '../../services/incidents/incident-workflow.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie } from '../../test-support/factories.js';
import { addMemberState, writeBackupBefore } from '../../test-support/old-schema.js';
import { migrateToLatest, migrateUpTo } from '../migrate.js';

/** Sources as records stored before the migration hold them: awkward names, a missing one, none at all. */
const SOURCES = [
  [],
  [{ name: 'Radio locale', kind: 'media' }],
  [{ name: 'Maire de Sabon Tenda', kind: 'local_authority' }, { name: 'Radio, "locale"; Ségou', kind: 'media' }, { name: 'x \\ y', kind: 'other' }],
  [{ kind: 'media' }, { name: 'B', kind: 'media' }],
  [{ name: 'ligne 1\nligne 2', kind: 'ngo' }, { name: '🛰️ « satellite »', kind: 'other' }],
];
const id = (k: number) => `0193a1b2-0000-7000-8000-00000000010${k}`;

describe.each(ENGINES)('migration 20261212T0900-incidents-source-names on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await migrateUpTo(db.engine, '20261211T0900-audit-append-after-head');
    await addMemberState(db.engine, 'BFA');
    const now = '2026-03-14T08:00:00.000Z';
    for (const [k, sources] of SOURCES.entries()) {
      await sql`insert into incidents (id, reporting_state, status, version, created_at, updated_at, create_hash, occurred_start, time_precision,
        latitude, longitude, coarse_latitude, coarse_longitude, geo_precision, event_type, sub_event_type, fatalities_best, civilian_fatalities,
        injured, abducted, classification_level, sharing_scope, sources)
        values (${id(k)}, 'BFA', 'validated', 1, ${now}, ${now}, ${`h${k}`}, ${now}, 1, 14.1, -1.63, 14.25, -1.75, 1, 'battles', 'armed_clash', 0, 0, 0, 0, 1,
        'confederation', ${JSON.stringify(sources)})`.execute(db.engine.db);
    }
    await migrateToLatest(db.engine);
  });
  afterAll(async () => db.drop());

  it('gives every stored record its sources’ names, in order, as the exports wrote them', async () => {
    const rows = await db.engine.db.selectFrom('incidents').select(['id', 'source_names', 'version', 'updated_at']).orderBy('id').execute();
    expect(rows.map((r) => r.source_names)).toEqual(SOURCES.map((s) => sourceNames(s)));
    expect(rows.map((r) => r.source_names)).toEqual(['', 'Radio locale', 'Maire de Sabon Tenda | Radio, "locale"; Ségou | x \\ y', ' | B', 'ligne 1\nligne 2 | 🛰️ « satellite »']);
    // Not a change to the records: no version, no date of change.
    expect(rows.every((r) => r.version === 1 && r.updated_at === '2026-03-14T08:00:00.000Z')).toBe(true);
  });
});

describe.each(ENGINES)('restoring a backup written before the stored sources’ names, on %s', (kind) => {
  it('fills each record’s names from its sources, so that its exports name them', async () => {
    const source = await testVigie(kind);
    const target = await testVigie(kind);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-old-backup-'));
    try {
      const analyst = await newUser(source.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
      const sources = [{ name: 'Radio Ménaka', kind: 'media', reliability: 'C', credibility: 3 }, { name: 'Préfecture, cabinet', kind: 'local_authority', reliability: 'B', credibility: 2 }] as const;
      const { incident } = await createIncident(source.ctx, analyst, newIncident({ sources: [...sources] }));
      await validateIncident(source.ctx, analyst, incident.id);
      const fresh = path.join(dir, 'new.vigie.gz');
      await backupTo(source.ctx, fresh);
      // The same backup as the code before this migration wrote it: no such migration, no such column.
      const old = path.join(dir, 'old.vigie.gz');
      writeBackupBefore(source.ctx, fresh, old, '20261212T0900-incidents-source-names', (lines) => {
        for (const line of lines) if (line.t === 'incidents') delete (line.r as Record<string, unknown>).source_names;
        return lines;
      });
      await restoreFrom(target.ctx, old, { force: true });

      const reader = await newUser(target.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'analyst.after.restore' });
      const out = await exportIncidents(target.ctx, reader, { format: 'geojson' });
      let text = '';
      for await (const c of out.body) text += Buffer.from(c).toString('utf8');
      const features = (JSON.parse(text) as { features: { id: string; properties: { sources: string } }[] }).features;
      expect(features.find((f) => f.id === incident.id)?.properties.sources).toBe('Radio Ménaka | Préfecture, cabinet');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  }, 60_000);
});
