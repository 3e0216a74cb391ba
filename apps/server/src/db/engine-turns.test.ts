/**
 * Who gets a request connection next when writers queue for it: background work after commit (engine.background()
 * .ahead — the live alerts' delivery) before the waiting requests, on both engines; and on SQLite, whose statements
 * answer synchronously, the event loop turns between two queued writers (timers and sockets are not held until the
 * whole queue is through). PostgreSQL: incident writers of two schemas of one database do not wait for each other.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../test-support/engines.js';
import { newIncident, testVigie, type TestVigie } from '../test-support/factories.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { migrateToLatest } from './migrate.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Connections the test engines' request pool holds (test-support/engines.ts: one on SQLite, four on PostgreSQL). */
const POOL = { sqlite: 1, postgres: 4 } as const;

describe.each(ENGINES)('request connection turns on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    await migrateToLatest(t.engine);
  });
  afterAll(async () => t.drop());

  it('serves background work waiting for a request connection before the requests that waited longer', async () => {
    const order: string[] = [];
    // Every request connection held by a transaction that waits for its own gate.
    const gates = Array.from({ length: POOL[kind] }, deferred);
    const holding = Array.from({ length: POOL[kind] }, deferred);
    const holders = gates.map((gate, k) => t.engine.writeTransaction(async (trx) => {
      await sql`select 1`.execute(trx);
      holding[k]?.resolve();
      await gate.promise;
    }));
    await Promise.all(holding.map((h) => h.promise));
    const request = t.engine.writeTransaction(async (trx) => {
      await sql`select 1`.execute(trx);
      order.push('request');
    });
    await new Promise((r) => setTimeout(r, 20)); // the request queues first
    const background = t.engine.background().ahead(() => t.engine.writeTransaction(async (trx) => {
      await sql`select 1`.execute(trx);
      order.push('background');
    }));
    // One connection comes free: it goes to the background work; the request gets the one the background gives back.
    gates[0]?.resolve();
    await background;
    await request;
    for (const g of gates) g.resolve();
    await Promise.all(holders);
    expect(order).toEqual(['background', 'request']);
  });
});

describe.each(ENGINES.filter((k) => k === 'sqlite'))('queued writers on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    await migrateToLatest(t.engine);
  });
  afterAll(async () => t.drop());

  it('lets a timer fire between two queued writers rather than after the whole queue', async () => {
    const done: string[] = [];
    const gate = deferred();
    const first = t.engine.writeTransaction(async (trx) => {
      await sql`select 1`.execute(trx);
      await gate.promise;
    });
    // Each writer's statements keep the thread busy a few milliseconds, as SQLite's synchronous statements do.
    const queued = Array.from({ length: 20 }, (_, k) => t.engine.writeTransaction(async (trx) => {
      await sql`select 1`.execute(trx);
      for (const until = performance.now() + 5; performance.now() < until;);
      done.push(`writer ${k}`);
    }));
    gate.resolve();
    await new Promise((r) => setTimeout(r, 0)).then(() => done.push('timer'));
    await Promise.all([first, ...queued]);
    expect(done.indexOf('timer')).toBeLessThan(done.length - 1);
  });
});

describe.each(ENGINES.filter((k) => k === 'postgres'))('incident writers of two schemas on %s', (kind) => {
  let a: TestVigie;
  let b: TestVigie;
  beforeAll(async () => {
    [a, b] = await Promise.all([testVigie(kind), testVigie(kind)]);
  });
  afterAll(async () => Promise.all([a.drop(), b.drop()]));

  it('do not wait for each other: a record is created in one while a transaction holding the other’s lock is open', async () => {
    const gate = deferred();
    const written = deferred();
    const holder = a.ctx.engine.writeTransaction(async (trx) => {
      await sql`update incidents set updated_at = updated_at where false`.execute(trx); // takes schema A's writers' lock
      written.resolve();
      await gate.promise;
    });
    await written.promise;
    const created = await createIncident(b.ctx, SYSTEM, newIncident(), { reportingState: 'MLI' });
    gate.resolve();
    await holder;
    expect(created.incident.id).toBeTruthy();
  });
});
