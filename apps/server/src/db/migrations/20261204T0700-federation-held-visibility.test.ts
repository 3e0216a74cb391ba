import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test-support/engines.js';
import { migrateUpTo } from '../migrate.js';

const MIGRATION = '20261204T0700-federation-held-visibility';

/** Objects held before the migration: their classification and scope were only in the JSON copy. */
const HELD = [
  { type: 'alert', id: 'a-secret', record: { classification: 'secret', sharing_scope: 'confederation' } },
  { type: 'meeting', id: 'm-national', record: { classification: 'restricted', sharing_scope: 'national' } },
  { type: 'action', id: 'x-odd', record: { classification: 'top-secret' } },
  { type: 'decision', id: 'd-plain', record: { text: 'no classification named' } },
  { type: 'alert', id: 'a-gone', record: null },
];

describe.each(ENGINES)(`migration ${MIGRATION} on %s`, (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await migrateUpTo(db.engine, '20261203T0400-aggregate-place-rollups');
    for (const [i, h] of HELD.entries()) {
      await sql`insert into federation_objects (entity_type, entity_id, origin_node, version, origin_seq, deleted, reason, record, received_at)
        values (${h.type}, ${h.id}, 'conf', 1, ${i + 1}, ${h.record ? 0 : 1}, ${h.record ? null : 'withdrawn'}, ${h.record ? JSON.stringify(h.record) : null}, '2026-12-03T05:00:00.000Z')`.execute(db.engine.db);
    }
    await sql`insert into federation_dead_letters (id, subject, origin_node, entity_type, entity_id, data, error, attempts, status, parked_at, resolved_at)
      values ('dl1', 'vigie.conf.alert.x', 'conf', 'alert', 'x', '{}', 'NOT NULL constraint failed', 3, 'parked', '2026-12-03T05:00:00.000Z', null)`.execute(db.engine.db);
    await migrateUpTo(db.engine, MIGRATION);
  }, 60_000);
  afterAll(async () => db.drop());

  it('fills each held copy’s level and scope from its JSON, an unknown level as the highest, and marks earlier dead letters unclassified', async () => {
    const rows = await db.engine.db.selectFrom('federation_objects').select(['entity_id', 'classification_level', 'sharing_scope']).orderBy('entity_id').execute();
    expect(rows.map((r) => [r.entity_id, Number(r.classification_level), r.sharing_scope])).toEqual([
      ['a-gone', 0, null], ['a-secret', 3, 'confederation'], ['d-plain', 0, null], ['m-national', 1, 'national'], ['x-odd', 3, null],
    ]);
    const letter = await db.engine.db.selectFrom('federation_dead_letters').select(['code', 'error']).executeTakeFirstOrThrow();
    expect(letter).toEqual({ code: 'unclassified', error: 'NOT NULL constraint failed' });
  });
});
