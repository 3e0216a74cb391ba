/**
 * Two PostgreSQL transactions that each write several incidents sharing rollup rows, in opposite orders: without one
 * lock taken before any incident write (migration 20261203T0400) the rollups' row locks form a cycle and PostgreSQL
 * aborts one of them as a deadlock. (SQLite has a single writer: nothing to prove there.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIncident, testVigie, type TestVigie } from '../test-support/factories.js';
import { ENGINES } from '../test-support/engines.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import type { Engine, Trx } from './engine.js';
import { rebuildRollups } from './rollups.js';

/** Resolves once backend `pid` waits for a lock, or after `ms` (the other transaction may not need to wait at all). */
async function waitingForLock(engine: Engine, pid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where pid = ${pid} and not granted`.execute(engine.db);
    if ((r.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

const TABLES = ['incident_rollup', 'incident_rollup_month', 'incident_rollup_area', 'incident_rollup_cell', 'incident_rollup_type'];

describe.each(ENGINES.filter((k) => k === 'postgres'))('rollup maintenance under concurrent writers on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => t.drop());

  it('two transactions writing records of the same rollup rows in opposite orders both commit, and the rollups stay exact', async () => {
    const make = async (state: string, day: string) =>
      (await createIncident(t.ctx, SYSTEM, newIncident({ state, occurred_start: `${day}T08:00:00Z`, status: 'draft' }), { reportingState: state, status: 'validated' })).incident.id;
    // x1, x2 share every rollup row; so do y1, y2.
    const [x1, x2, y1, y2] = [await make('MLI', '2025-03-03'), await make('MLI', '2025-03-03'), await make('NER', '2025-06-14'), await make('NER', '2025-06-14')];
    const bump = (trx: Trx, id: string) => sql`update incidents set fatalities_best = fatalities_best + 1 where id = ${id}`.execute(trx);

    const firstDone = deferred();
    const secondStarted = deferred();
    let pid = 0;
    const a = t.ctx.engine.writeTransaction(async (trx) => {
      await bump(trx, x1);
      firstDone.resolve();
      await secondStarted.promise;
      await waitingForLock(t.ctx.engine, pid, 500); // B waits for A (lock taken) or has locked y's rows (no lock)
      await bump(trx, y1);
    });
    await firstDone.promise;
    const b = t.ctx.engine.writeTransaction(async (trx) => {
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0;
      secondStarted.resolve();
      await bump(trx, y2);
      await bump(trx, x2);
    });
    const outcome = await Promise.allSettled([a, b]);
    expect(outcome.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok']);

    const snapshot = async () => {
      const out: unknown[] = [];
      for (const table of TABLES) out.push((await sql`select * from ${sql.table(table)} order by 1, 2, 3, 4, 5, 6, 7`.execute(t.ctx.engine.db)).rows);
      return out;
    };
    const maintained = await snapshot();
    await t.ctx.engine.writeTransaction((trx) => rebuildRollups(trx));
    expect(maintained).toEqual(await snapshot());
  });
});
