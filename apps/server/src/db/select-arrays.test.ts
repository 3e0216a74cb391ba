/**
 * Bulk reads as arrays (Engine.selectArrays: the change feed's records, an export's pages on an in-memory database) see
 * committed rows only, on both engines. SQLite has one connection: a read run straight on it while a write transaction
 * awaits between two of its statements would see that transaction's rows before it commits — rows a rollback then
 * removes, a record's protection while it is being changed — so the read waits its turn as Kysely's own queries do.
 */
import { CompiledQuery, sql, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../test-support/engines.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe.each(ENGINES)('bulk reads as arrays on %s', (kind) => {
  let t: TestDatabase;
  const probe: Compilable<unknown> = { compile: () => CompiledQuery.raw('select v from probe where id = 1') };
  beforeAll(async () => {
    t = await freshDatabase(kind);
    await t.engine.writeTransaction(async (trx) => {
      await sql`create table probe (id integer primary key, v text not null)`.execute(trx);
      await sql`insert into probe (id, v) values (1, 'avant')`.execute(trx);
    });
  });
  afterAll(async () => t.drop());

  it('never read into a write transaction under way: nothing of it when it rolls back, its rows once it commits', async () => {
    const updated = deferred();
    const gate = deferred();
    const rolledBack = t.engine.writeTransaction(async (trx) => {
      await sql`update probe set v = 'pendant' where id = 1`.execute(trx);
      updated.resolve();
      await gate.promise;
      throw new Error('annulée');
    }).catch((e: Error) => e.message);
    await updated.promise;
    const during = t.engine.selectArrays(probe);
    gate.resolve();
    expect(await during).toEqual([['avant']]);
    expect(await rolledBack).toBe('annulée');

    await t.engine.writeTransaction(async (trx) => {
      await sql`update probe set v = 'après' where id = 1`.execute(trx);
    });
    expect(await t.engine.selectArrays(probe)).toEqual([['après']]);
  });
});
