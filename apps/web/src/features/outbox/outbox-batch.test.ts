/**
 * The outbox sending a queue in batches (POST /api/v1/incidents/batch): each item settles from its own result, a
 * batch the server cannot take as a whole falls back to one request per item, nothing is lost and nothing stored twice.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { newItem } from './outbox-state';
import { openOutbox } from './outbox-store';
import { BATCH_ITEMS, flushOutbox, type PostIncident, type PostIncidents } from './outbox-sender';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const id = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const body = (n: number) => ({ status: 'submitted', narrative: `rapport ${n}` });

/**
 * A fake server that stores by id (the same id again: 200) and answers each item from `verdict` (by narrative);
 * `batchScript` gives the status of whole batch requests in turn ('network' throws, 'lost' stores then throws).
 */
function fakeServer(opts: { verdict?: (p: Record<string, unknown>) => number; batchScript?: (number | 'network' | 'lost')[] } = {}) {
  const stored = new Map<string, unknown>();
  const writes: string[] = [];
  const batchSizes: number[] = [];
  let singles = 0;
  const one = (p: Record<string, unknown>) => {
    const v = opts.verdict?.(p) ?? 201;
    if (v !== 201) return { status: v, problem: { code: v === 409 ? 'id_conflict' : v === 400 ? 'validation_failed' : 'internal', detail: `HTTP ${v}` } };
    const had = stored.has(p.id as string);
    if (!had) { stored.set(p.id as string, p); writes.push(p.id as string); }
    return { status: had ? 200 : 201 };
  };
  const post: PostIncident = async (p) => {
    singles += 1;
    const r = one(p);
    return { status: r.status, body: r.problem ?? p };
  };
  const postBatch: PostIncidents = async (payloads) => {
    batchSizes.push(payloads.length);
    const next = opts.batchScript?.shift() ?? 200;
    if (next === 'network') throw new TypeError('Failed to fetch');
    if (next !== 200 && next !== 'lost') return { status: next, body: { code: 'internal' } };
    const items = payloads.map((p, index) => ({ index, id: p.id, ...one(p) }));
    if (next === 'lost') throw new TypeError('connection reset'); // stored, but the answer never arrived
    return { status: 200, body: { items } };
  };
  return { post, postBatch, stored, writes, batchSizes, singles: () => singles };
}

async function queue(user: string, n: number) {
  const store = await openOutbox(user, new IDBFactory());
  await store.write(Array.from({ length: n }, (_, k) => newItem(id(k + 1), body(k + 1), T0 + k)));
  return store;
}

describe('outbox sending in batches', () => {
  it('sends 250 reports in batches, each stored once, and empties the queue', async () => {
    const store = await queue('u-many', 250);
    const server = fakeServer();
    const res = await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 500 });
    expect(res).toMatchObject({ sent: 250, retry: 0, offline: false });
    expect(server.batchSizes).toEqual([BATCH_ITEMS, BATCH_ITEMS, 250 - 2 * BATCH_ITEMS]);
    expect(server.singles()).toBe(0);
    expect(await store.all()).toEqual([]);
    expect(server.writes).toHaveLength(250);
  });

  it('keeps a conflicting and a refused report with their reasons while the rest of the batch is delivered', async () => {
    const store = await queue('u-mixed', 5);
    const server = fakeServer({ verdict: (p) => (p.narrative === 'rapport 2' ? 409 : p.narrative === 'rapport 4' ? 400 : 201) });
    const res = await flushOutbox(store, { post: server.post, postBatch: server.postBatch, getIncident: async (i) => ({ id: i, narrative: 'autre' }), now: () => T0 + 10 });
    expect(res).toMatchObject({ sent: 3, conflict: 1, rejected: 1 });
    const left = await store.all();
    expect(left.map((i) => [i.id, i.state])).toEqual([[id(2), 'conflict'], [id(4), 'rejected']]);
    expect(left[0]).toMatchObject({ server: { narrative: 'autre' }, lastError: { status: 409, code: 'id_conflict' } });
  });

  it('falls back to one request per report when the batch fails with a 5xx: one report the server chokes on holds back nothing else', async () => {
    const store = await queue('u-poison', 4);
    const server = fakeServer({ verdict: (p) => (p.narrative === 'rapport 3' ? 500 : 201), batchScript: [500] });
    const res = await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 10, random: () => 1 });
    expect(res).toMatchObject({ sent: 3, retry: 1 });
    expect(await store.all()).toMatchObject([{ id: id(3), state: 'queued', attempts: 1, lastError: { status: 500 } }]);
    expect([...server.stored.keys()].sort()).toEqual([id(1), id(2), id(4)]);
  });

  it('uses one request per report with a server that has no batch route', async () => {
    const store = await queue('u-old', 3);
    const server = fakeServer({ batchScript: [404] });
    expect(await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 10 })).toMatchObject({ sent: 3 });
    expect(server.singles()).toBe(3);
  });

  it('keeps every report when the network drops, and stores each once when the lost answer is sent again', async () => {
    const store = await queue('u-lost', BATCH_ITEMS + 10);
    const server = fakeServer({ batchScript: ['lost'] });
    const first = await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 100, random: () => 1 });
    expect(first).toMatchObject({ sent: 0, offline: true });
    expect((await store.all()).length).toBe(BATCH_ITEMS + 10); // the first batch reached the server, but nobody told the device
    expect(server.batchSizes).toEqual([BATCH_ITEMS]); // the pass stopped at the network error
    const again = await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 100 }, { force: true });
    expect(again).toMatchObject({ sent: BATCH_ITEMS + 10 });
    expect(await store.all()).toEqual([]);
    expect(server.writes).toHaveLength(BATCH_ITEMS + 10);
    expect(new Set(server.writes).size).toBe(BATCH_ITEMS + 10);
  });

  it('waits for a new sign-in on a 401 without counting an attempt', async () => {
    const store = await queue('u-401', 2);
    const server = fakeServer({ batchScript: [401] });
    expect(await flushOutbox(store, { post: server.post, postBatch: server.postBatch, now: () => T0 + 10 })).toMatchObject({ unauthenticated: true, sent: 0 });
    expect((await store.all()).map((i) => [i.state, i.attempts])).toEqual([['queued', 0], ['queued', 0]]);
  });
});
