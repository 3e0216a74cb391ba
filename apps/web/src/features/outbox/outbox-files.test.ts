/**
 * Photos and PDFs written offline with a report: kept in the outbox (IndexedDB) with it, sent after the server has
 * confirmed the report, each under its own client id (a resend is stored once), with the report's states — retried on a
 * network error or a 5xx, kept and shown when refused or in conflict — and counted while they wait.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { countByState, newItem, type OutboxFile, type OutboxItem } from './outbox-state';
import { openOutbox } from './outbox-store';
import { flushOutbox, type PostFile, type PostIncident } from './outbox-sender';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const reportId = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const fileId = (n: number) => `0193a000-0000-7000-9000-${String(n).padStart(12, '0')}`;
const file = (n: number, name: string): OutboxFile => ({ id: fileId(n), name, type: 'image/jpeg', size: 4, data: new Uint8Array([0xff, 0xd8, 0xff, n]).buffer, state: 'queued', lastError: null });
const withFiles = (n: number, files: OutboxFile[]): OutboxItem => ({ ...newItem(reportId(n), { status: 'submitted', narrative: `rapport ${n}` }, T0), files });

/** A server storing reports and files by id; `fileVerdict` answers each file upload in turn (a number, or 'network'). */
function fakeServer(script: (number | 'network')[] = []) {
  const reports = new Set<string>();
  const files = new Map<string, { report: string; bytes: number[] }>();
  const order: string[] = [];
  const post: PostIncident = async (p) => {
    order.push(`report ${p.id as string}`);
    const had = reports.has(p.id as string);
    reports.add(p.id as string);
    return { status: had ? 200 : 201, body: p };
  };
  const postFile: PostFile = async (incidentId, f) => {
    const v = script.shift() ?? 'ok';
    if (v === 'network') throw new TypeError('Failed to fetch');
    if (typeof v === 'number') return { status: v, body: { code: v === 409 ? 'id_conflict' : v === 400 ? 'validation_failed' : 'internal', errors: [{ field: 'file', message: 'Photo HEIC/HEIF refusée' }] } };
    if (!reports.has(incidentId)) return { status: 404, body: { code: 'not_found' } };
    order.push(`file ${f.name}`);
    const had = files.has(f.id);
    files.set(f.id, { report: incidentId, bytes: [...new Uint8Array(f.data as ArrayBuffer)] });
    return { status: had ? 200 : 201, body: {} };
  };
  return { post, postFile, reports, files, order };
}

describe('outbox files', () => {
  it('keeps a report’s photos on the device with it, counted, and sends them after the report; then the item leaves', async () => {
    const store = await openOutbox('f-ok', new IDBFactory());
    await store.put(withFiles(1, [file(1, 'marche.jpg'), file(2, 'pv.pdf')]));
    expect(countByState(await store.all())).toMatchObject({ pending: 1, files: 2 });
    const server = fakeServer();
    const res = await flushOutbox(store, { post: server.post, postFile: server.postFile, now: () => T0 + 10 });
    expect(res).toMatchObject({ sent: 1, files: 2 });
    expect(server.order).toEqual([`report ${reportId(1)}`, 'file marche.jpg', 'file pv.pdf']);
    expect(server.files.get(fileId(1))).toEqual({ report: reportId(1), bytes: [0xff, 0xd8, 0xff, 1] });
    expect(await store.all()).toEqual([]);
  });

  it('retries the files after a network error without posting the report again, and stores each once', async () => {
    const store = await openOutbox('f-retry', new IDBFactory());
    await store.put(withFiles(1, [file(1, 'a.jpg'), file(2, 'b.jpg')]));
    const server = fakeServer(['ok' as never, 'network']);
    const first = await flushOutbox(store, { post: server.post, postFile: server.postFile, now: () => T0 + 10, random: () => 1 });
    expect(first).toMatchObject({ sent: 1, files: 1, offline: true });
    const [left] = await store.all();
    expect(left).toMatchObject({ state: 'queued', reportSent: true, attempts: 1, lastError: { status: null, code: 'network' } });
    expect(left!.files!.map((f) => [f.name, f.state, f.data === null])).toEqual([['a.jpg', 'sent', true], ['b.jpg', 'queued', false]]);
    expect(countByState([left!])).toMatchObject({ pending: 0, fileItems: 1, files: 1 });
    // Not due before its backoff; "send now" forces it.
    expect((await flushOutbox(store, { post: server.post, postFile: server.postFile, now: () => T0 + 20 })).files).toBeUndefined();
    expect(server.files.size).toBe(1);
    const again = await flushOutbox(store, { post: server.post, postFile: server.postFile, now: () => T0 + 20 }, { force: true });
    expect(again).toMatchObject({ sent: 0, files: 1 });
    expect(server.order.filter((o) => o.startsWith('report'))).toHaveLength(1);
    expect([...server.files.keys()].sort()).toEqual([fileId(1), fileId(2)]);
    expect(await store.all()).toEqual([]);
  });

  it('keeps a refused file with its reason and a file in conflict, while the others are delivered', async () => {
    const store = await openOutbox('f-refused', new IDBFactory());
    await store.put(withFiles(1, [file(1, 'photo.heic'), file(2, 'ok.jpg')]));
    await store.put(withFiles(2, [file(3, 'double.jpg')]));
    const server = fakeServer([400, 'ok' as never, 409]);
    const res = await flushOutbox(store, { post: server.post, postFile: server.postFile, now: () => T0 + 10 });
    expect(res).toMatchObject({ sent: 2, files: 1, rejected: 1, conflict: 1 });
    const left = (await store.all()).sort((a, b) => a.id.localeCompare(b.id));
    expect(left.map((i) => [i.id, i.state, i.reportSent])).toEqual([[reportId(1), 'rejected', true], [reportId(2), 'conflict', true]]);
    expect(left[0]!.lastError).toMatchObject({ status: 400, fields: [{ field: 'file', message: 'Photo HEIC/HEIF refusée' }] });
    expect(left[0]!.files!.map((f) => f.state)).toEqual(['rejected', 'sent']);
    expect(countByState(left)).toMatchObject({ rejected: 0, conflict: 0, filesRefused: 2, files: 0 });
  });

  it('keeps the files of a report the server has not confirmed, untouched', async () => {
    const store = await openOutbox('f-wait', new IDBFactory());
    await store.put(withFiles(1, [file(1, 'a.jpg')]));
    const post: PostIncident = async () => ({ status: 503, body: { code: 'internal' } });
    const server = fakeServer();
    expect(await flushOutbox(store, { post, postFile: server.postFile, now: () => T0 + 10, random: () => 1 })).toMatchObject({ retry: 1 });
    expect(server.files.size).toBe(0);
    expect((await store.all())[0]).toMatchObject({ state: 'queued', files: [{ state: 'queued' }] });
    expect((await store.all())[0]!.reportSent).toBeUndefined();
  });
});
