import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyStatus, countByState, enqueue, newItem, settle, startSending, BACKOFF_CAP_MS, OutboxTransitionError } from './outbox-state';
import { openOutbox, outboxDbName } from './outbox-store';
import { flushOutbox, type PostIncident } from './outbox-sender';
import { exportOutbox, itemsToImport, parseOutboxFile } from './outbox-file';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const body = (n: number) => ({ status: 'submitted', narrative: `rapport ${n}` });
const id = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** A fake server: answers each POST from a script of statuses (then 201), and remembers what it stored by id. */
function fakeServer(script: (number | 'network')[] = []) {
  const stored = new Map<string, unknown>();
  let calls = 0;
  const post: PostIncident = async (payload) => {
    calls += 1;
    const next = script.shift() ?? 201;
    if (next === 'network') throw new TypeError('Failed to fetch');
    if (next === 201 || next === 200) {
      const had = stored.has(payload.id as string);
      stored.set(payload.id as string, payload);
      return { status: had ? 200 : 201, body: payload };
    }
    return { status: next, body: { code: next === 409 ? 'id_conflict' : next === 422 ? 'validation' : 'internal', detail: `HTTP ${next}`, errors: next === 422 ? [{ field: 'narrative', message: 'obligatoire' }] : undefined } };
  };
  return { post, stored, calls: () => calls };
}

describe('outbox state machine', () => {
  it('classifies answers: 201/200 delivered, 409 conflict, other 4xx rejected, 5xx/408/429 retried, 401 waits for sign-in', () => {
    expect([200, 201, 409, 400, 403, 422, 500, 503, 408, 429, 401].map(classifyStatus)).toEqual(
      ['sent', 'sent', 'conflict', 'rejected', 'rejected', 'rejected', 'retry', 'retry', 'retry', 'retry', 'unauthenticated']);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, () => 0)).toBe(1_000);
    expect(backoffMs(1, () => 1)).toBe(2_000);
    expect(backoffMs(4, () => 1)).toBe(16_000);
    expect(backoffMs(40, () => 1)).toBe(BACKOFF_CAP_MS);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(3)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('moves queued → sending → queued again on a network error, counting the attempt and scheduling the next', () => {
    const q = newItem(id(1), body(1), T0);
    const s = startSending(q, T0);
    expect(s).toMatchObject({ state: 'sending', attempts: 1 });
    const back = settle(s, { kind: 'retry', error: { status: null, code: 'network', message: '' } }, T0, () => 1);
    expect(back).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: T0 + 2_000, lastError: { code: 'network' } });
  });

  it('keeps a rejected item with its reason, editable and sendable again', () => {
    const s = startSending(newItem(id(1), body(1), T0), T0);
    const r = settle(s, { kind: 'rejected', error: { status: 422, code: 'validation', message: 'bad' } }, T0);
    expect(r).toMatchObject({ state: 'rejected', lastError: { status: 422 } });
    const fixed = enqueue(r, T0 + 5, { ...body(1), narrative: 'corrigé' });
    expect(fixed).toMatchObject({ state: 'queued', lastError: null, payload: { id: id(1), narrative: 'corrigé' } });
  });

  it('refuses transitions that would skip the server', () => {
    expect(() => settle(newItem(id(1), body(1), T0), { kind: 'sent' }, T0)).toThrow(OutboxTransitionError);
    expect(() => startSending(newItem(id(1), body(1), T0, 'draft'), T0)).toThrow(OutboxTransitionError);
  });

  it('does not count a 401 as an attempt', () => {
    const s = startSending(newItem(id(1), body(1), T0), T0);
    expect(settle(s, { kind: 'unauthenticated' }, T0)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('counts what is pending', () => {
    const items = [newItem(id(1), body(1), T0), newItem(id(2), body(2), T0, 'draft'), { ...newItem(id(3), body(3), T0), state: 'rejected' as const }];
    expect(countByState(items)).toMatchObject({ pending: 1, draft: 1, rejected: 1 });
  });
});

describe('outbox sending (fake IndexedDB)', () => {
  it('removes an item only after the server confirmed it: 500 then 201 loses nothing and stores it once', async () => {
    const store = await openOutbox('u-500', new IDBFactory());
    await store.put(newItem(id(1), body(1), T0));
    const server = fakeServer([500]);
    let now = T0;
    const deps = { post: server.post, now: () => now, random: () => 1 };
    expect(await flushOutbox(store, deps)).toMatchObject({ sent: 0, retry: 1 });
    expect(await store.all()).toMatchObject([{ state: 'queued', attempts: 1, lastError: { status: 500 } }]);
    expect(await flushOutbox(store, deps)).toMatchObject({ sent: 0 }); // not due yet
    now += 2_000;
    expect(await flushOutbox(store, deps)).toMatchObject({ sent: 1 });
    expect(await store.all()).toEqual([]);
    expect([...server.stored.keys()]).toEqual([id(1)]);
  });

  it('stops at the first network error and keeps every item; "send now" ignores the backoff', async () => {
    const store = await openOutbox('u-net', new IDBFactory());
    for (const n of [1, 2, 3]) await store.put(newItem(id(n), body(n), T0 + n));
    const server = fakeServer(['network']);
    expect(await flushOutbox(store, { post: server.post, now: () => T0 + 10 })).toMatchObject({ offline: true, sent: 0 });
    expect((await store.all()).map((i) => i.state)).toEqual(['queued', 'queued', 'queued']);
    expect(await flushOutbox(store, { post: server.post, now: () => T0 + 10 }, { force: true })).toMatchObject({ sent: 3 });
    expect(server.stored.size).toBe(3);
  });

  it('keeps 409 as a conflict with the server\'s record and 4xx as rejected', async () => {
    const store = await openOutbox('u-409', new IDBFactory());
    await store.put(newItem(id(1), body(1), T0));
    await store.put(newItem(id(2), body(2), T0 + 1));
    const server = fakeServer([409, 422]);
    const res = await flushOutbox(store, { post: server.post, getIncident: async (i) => ({ id: i, narrative: 'autre' }), now: () => T0 + 5 });
    expect(res).toMatchObject({ conflict: 1, rejected: 1 });
    const [a, b] = await store.all();
    expect(a).toMatchObject({ state: 'conflict', server: { narrative: 'autre' }, lastError: { code: 'id_conflict' } });
    expect(b).toMatchObject({ state: 'rejected', lastError: { status: 422, fields: [{ field: 'narrative' }] } });
  });

  it('puts back an item a closed tab left in "sending", and the resend is idempotent', async () => {
    const store = await openOutbox('u-tab', new IDBFactory());
    await store.put(startSending(newItem(id(1), body(1), T0), T0));
    const server = fakeServer();
    server.stored.set(id(1), body(1)); // the first attempt had reached the server
    expect(await flushOutbox(store, { post: server.post, now: () => T0 })).toMatchObject({ sent: 1 });
    expect(await store.all()).toEqual([]);
    expect(server.stored.size).toBe(1);
  });

  it('keeps separate queues per user on one device', async () => {
    const factory = new IDBFactory();
    const a = await openOutbox('alice', factory);
    const b = await openOutbox('bob', factory);
    await a.put(newItem(id(1), body(1), T0));
    expect(await b.all()).toEqual([]);
    expect(await a.all()).toHaveLength(1);
  });
});

describe('outbox schema migration', () => {
  it('keeps unsent items through an IndexedDB version upgrade (v1 → current)', async () => {
    const factory = new IDBFactory();
    const g = globalThis as { indexedDB?: IDBFactory };
    const saved = g.indexedDB;
    g.indexedDB = factory;
    try {
      // Version 1 as it was: the items store only, items without nextAttemptAt.
      const v1 = await openDB(outboxDbName('legacy'), 1, { upgrade(db) { db.createObjectStore('items', { keyPath: 'id' }); } });
      const { nextAttemptAt: _n, ...old } = newItem(id(7), body(7), T0);
      await v1.put('items', old);
      await v1.put('items', { ...old, id: id(8), payload: { ...old.payload, id: id(8) }, state: 'rejected', lastError: { status: 422, code: 'validation', message: 'x' } });
      v1.close();
    } finally {
      g.indexedDB = saved;
    }
    const store = await openOutbox('legacy', factory);
    const items = await store.all();
    expect(items.map((i) => [i.id, i.state, i.nextAttemptAt])).toEqual([[id(7), 'queued', 0], [id(8), 'rejected', 0]]);
    const server = fakeServer();
    expect(await flushOutbox(store, { post: server.post, now: () => T0 })).toMatchObject({ sent: 1 });
  });
});

describe('outbox file', () => {
  it('exports what is pending and imports it elsewhere once', () => {
    const items = [newItem(id(1), body(1), T0), { ...newItem(id(2), body(2), T0), state: 'rejected' as const }];
    const file = parseOutboxFile(JSON.stringify(exportOutbox(items, { id: 'u1', login: 'rapporteur' }, T0)));
    expect(file.items.map((i) => i.id)).toEqual([id(1), id(2)]);
    const fresh = itemsToImport(file, [], T0);
    expect(fresh.map((i) => i.state)).toEqual(['queued', 'queued']);
    expect(itemsToImport(file, fresh, T0)).toEqual([]);
    expect(() => parseOutboxFile('{"format":"other","items":[]}')).toThrow();
  });
});
