import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { testVigie, type TestVigie } from '../test-support/factories.js';
import { DATA_TABLES, UNSAVED_TABLES } from './tables.js';

describe.each(ENGINES)('schema on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => t.drop());

  it('lists every table in the backup order or among the deliberately unsaved ones', async () => {
    const schema = await t.ctx.engine.currentSchema();
    const tables = (await t.ctx.engine.db.introspection.getTables({ withInternalKyselyTables: true }))
      .filter((tb) => !schema || tb.schema === schema)
      .map((tb) => tb.name)
      .filter((n) => !n.startsWith('incident_search_') && !n.startsWith('sqlite_'));
    expect(tables).toEqual(expect.arrayContaining(['incidents', 'incident_versions', 'audit_events', 'users']));
    const known = new Set([...DATA_TABLES.map((d) => d.name), ...UNSAVED_TABLES]);
    expect(tables.filter((n) => !known.has(n))).toEqual([]);
  });
});
