/**
 * On PostgreSQL a sequence value is taken at insert time and two transactions can commit in the other order: a
 * follower that read up to seq N would then never meet a lower seq committing later. The change log serialises its
 * appends (Engine.lockChangeLog) so that cannot happen. (SQLite has a single writer: nothing to prove there.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/engine.js';
import { newId } from '../../lib/ids.js';
import { changesSince } from '../../repositories/change-log.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { testVigie, type TestVigie } from '../../test-support/factories.js';
import { readChanges } from './changes.service.js';
import { appendChanges } from '../mutation.js';
import { SYSTEM } from '../principal.js';

/** Resolves once backend `pid` waits for a lock (checked against the server's own view, not a clock). */
async function waitingForLock(engine: Engine, pid: number): Promise<void> {
  for (;;) {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where pid = ${pid} and not granted`.execute(engine.db);
    if ((r.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe.each(ENGINES.filter((k) => k === 'postgres'))('change-log order under concurrent writers on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => t.drop());

  it('a follower never skips a change that commits after a later-started one', async () => {
    const { next_since: start } = await readChanges(t.ctx, SYSTEM, { since: 0, limit: 1000 });
    const [first, second] = [newId(), newId()];
    const appended = deferred();
    const release = deferred();
    // A takes the next seq and stays open.
    const a = t.ctx.engine.writeTransaction(async (trx) => {
      await appendChanges(t.ctx, trx, [{ type: 'incident', id: first, op: 'create' }]);
      appended.resolve();
      await release.promise;
    });
    await appended.promise;
    // B starts after A and would take a higher seq.
    let pid = 0;
    const started = deferred();
    const b = t.ctx.engine.writeTransaction(async (trx) => {
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0;
      started.resolve();
      await appendChanges(t.ctx, trx, [{ type: 'incident', id: second, op: 'create' }]);
    });
    await started.promise;
    // Either B committed already (appends not serialised) or it waits for A: the follower reads now.
    await Promise.race([b, waitingForLock(t.ctx.engine, pid)]);
    const during = await readChanges(t.ctx, SYSTEM, { since: start, limit: 1000 });
    const seenDuring = (await changesSince(t.ctx.engine.db, start, 1000)).filter((c) => c.seq <= during.next_since).map((c) => c.entity_id);
    release.resolve();
    await Promise.all([a, b]);
    const after = await changesSince(t.ctx.engine.db, during.next_since, 1000);
    const seen = [...seenDuring, ...after.map((c) => c.entity_id)];
    expect(seen).toEqual([first, second]);
  });
});
