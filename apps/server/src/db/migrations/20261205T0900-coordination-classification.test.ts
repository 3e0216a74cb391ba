import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../../test-support/engines.js';
import { migrateUpTo } from '../migrate.js';

const MIGRATION = '20261205T0900-coordination-classification';

describe.each(ENGINES)(`migration ${MIGRATION} on %s`, (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await migrateUpTo(db.engine, '20261204T0700-federation-held-visibility');
    const at = '2026-12-04T08:00:00.000Z';
    await sql`insert into meetings (id, title, date, place, version, created_at, updated_at) values ('m1', 'Conseil', '2026-11-01', 'Bamako', 1, ${at}, ${at})`.execute(db.engine.db);
    await sql`insert into meeting_decisions (id, meeting_id, code, position, text, created_at) values ('d1', 'm1', 'D1', 0, 'Patrouilles', ${at})`.execute(db.engine.db);
    await sql`insert into coordination_actions (id, decision_id, title, owner_body, due_date, status, version, created_at, updated_at)
      values ('a1', 'd1', 'Planifier', 'État-major', '2026-12-01', 'planned', 1, ${at}, ${at})`.execute(db.engine.db);
    // Copies held from the confederation before: one sent with no level named, one with a level, an alert untouched.
    for (const [i, [type, id, record]] of ([['meeting', 'hm-plain', { title: 'x' }], ['action', 'ha-public', { classification: 'public' }], ['alert', 'hal', { title: 'y' }]] as const).entries()) {
      await sql`insert into federation_objects (entity_type, entity_id, origin_node, version, origin_seq, deleted, reason, record, received_at, classification_level)
        values (${type}, ${id}, 'conf', 1, ${i + 1}, 0, null, ${JSON.stringify(record)}, ${at}, 0)`.execute(db.engine.db);
    }
    await migrateUpTo(db.engine, MIGRATION);
  }, 60_000);
  afterAll(async () => db.drop());

  it('holds earlier meetings, decisions and actions as restricted, and earlier held copies that named no level too', async () => {
    const levels = await Promise.all((['meetings', 'meeting_decisions', 'coordination_actions'] as const).map(async (t) => Number((await db.engine.db.selectFrom(t).select('classification_level').executeTakeFirstOrThrow()).classification_level)));
    expect(levels).toEqual([1, 1, 1]);
    const held = await db.engine.db.selectFrom('federation_objects').select(['entity_id', 'classification_level']).orderBy('entity_id').execute();
    expect(held.map((r) => [r.entity_id, Number(r.classification_level)])).toEqual([['ha-public', 0], ['hal', 0], ['hm-plain', 1]]);
  });

  it('refuses a level outside 0–3', async () => {
    await expect(sql`update meetings set classification_level = 4 where id = 'm1'`.execute(db.engine.db)).rejects.toThrow();
  });
});
