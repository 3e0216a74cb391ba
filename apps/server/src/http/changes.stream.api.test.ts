/** GET /api/v1/changes/stream: the change feed as server-sent events, over a real port, on every engine. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';
import { importIncidents, patchIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';

interface Sse {
  event: string;
  id: string;
  data: { id?: string; deleted?: boolean; reason?: string; record?: { latitude: number; location_coarsened: boolean; classification: string }; next_since?: number; reader_view?: string };
}

interface Stream {
  status: number;
  type: string;
  /** The next event (comments aside) that satisfies `until`, skipping the others. */
  next(until?: (e: Sse) => boolean): Promise<Sse>;
  /** Every event received so far. */
  seen: Sse[];
  /** Resolves at the next comment line (the heartbeat). */
  comment(): Promise<string>;
  close(): void;
}

/** Opens the stream on a real port with a session cookie; parses the events as they arrive. */
function openStream(port: number, path: string, headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const seen: Sse[] = [];
      const waiting: { until: (e: Sse) => boolean; done: (e: Sse) => void }[] = [];
      const comments: ((c: string) => void)[] = [];
      let buffer = '';
      let from = 0;
      const deliver = () => {
        for (const w of [...waiting]) {
          const hit = seen.slice(from).find(w.until);
          if (hit) {
            from = seen.indexOf(hit) + 1;
            waiting.splice(waiting.indexOf(w), 1);
            w.done(hit);
          }
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            comments.splice(0).forEach((c) => c(block));
            continue;
          }
          const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1];
          const event = field('event');
          const data = field('data');
          if (event && data) seen.push({ event, id: field('id') ?? '', data: JSON.parse(data) as Sse['data'] });
        }
        deliver();
      });
      resolve({
        status: res.statusCode ?? 0,
        type: String(res.headers['content-type']),
        seen,
        next: (until = () => true) => new Promise((done) => { waiting.push({ until, done }); deliver(); }),
        comment: () => new Promise((r) => comments.push(r)),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

const statusOf = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve) => http.get({ host: '127.0.0.1', port, path, headers }, (r) => {
    let body = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => { body += c; });
    r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
  }));

describe.each(ENGINES)('the change feed as server-sent events on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let port: number;
  let bfa: Client;
  const heartbeat = process.env.VIGIE_SSE_HEARTBEAT_MS;

  beforeAll(async () => {
    process.env.VIGIE_SSE_HEARTBEAT_MS = '300';
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    const reader = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    bfa = await signIn(app, reader.login, reader.password);
  });
  afterAll(async () => {
    if (heartbeat === undefined) delete process.env.VIGIE_SSE_HEARTBEAT_MS;
    else process.env.VIGIE_SSE_HEARTBEAT_MS = heartbeat;
    await app.close();
    await t.drop();
  });

  const validated = async (over: Parameters<typeof newIncident>[0]) => {
    const body = newIncident(over);
    const outcome = await importIncidents(t.ctx, SYSTEM, [{ input: body, options: { status: 'validated', reportingState: over?.state ?? 'MLI' } }]);
    expect(outcome.rejected).toEqual([]);
    return body;
  };

  it('streams records as the reader sees them and tombstones, live, with a heartbeat; resumes after Last-Event-ID', async () => {
    // Before the stream opens: one record shared with the confederation (its point protected above the reader), one
    // kept national to Mali (never the reader's: never on their stream).
    const shared = await validated({ state: 'MLI', classification: 'restricted', sharing_scope: 'confederation', exact_location_classification: 'secret' });
    const national = await validated({ state: 'MLI', classification: 'restricted', sharing_scope: 'national' });

    const s = await openStream(port, '/api/v1/changes/stream?since=0', { cookie: bfa.cookie });
    try {
      expect(s.status).toBe(200);
      expect(s.type).toContain('text/event-stream');
      const first = await s.next((e) => e.event === 'change' && e.data.id === shared.id);
      expect(first.data).toMatchObject({ deleted: false, record: { location_coarsened: true, classification: 'restricted' } });
      expect(first.data.record?.latitude).not.toBe(shared.latitude);
      const caughtUp = await s.next((e) => e.event === 'position');
      expect(Number(caughtUp.id)).toBe(caughtUp.data.next_since);
      expect(Number(caughtUp.id)).toBeGreaterThanOrEqual(Number(first.id));
      expect(caughtUp.data.reader_view).toMatch(/^[0-9a-f]{16}$/);

      // Live: a new shared record arrives; the heartbeat keeps an idle stream open.
      const later = await validated({ state: 'NER', classification: 'public', sharing_scope: 'public' });
      expect((await s.next((e) => e.event === 'change' && e.data.id === later.id)).data.deleted).toBe(false);
      expect(await s.comment()).toBe(': ping');

      // Reclassified above the reader's clearance: a tombstone, so their mirror deletes it.
      await patchIncident(t.ctx, SYSTEM, shared.id, { version: 1, classification: 'secret' });
      const gone = await s.next((e) => e.event === 'change' && e.data.id === shared.id);
      expect(gone.data).toMatchObject({ deleted: true, reason: 'hidden' });
      await s.next((e) => e.event === 'position' && Number(e.id) >= Number(gone.id));
      expect(JSON.stringify(s.seen)).not.toContain(national.id);
    } finally {
      s.close();
    }

    // A reconnection with Last-Event-ID gets only what came after it.
    const lastId = s.seen.filter((e) => e.event === 'position').at(-1)?.id ?? '';
    const after = await validated({ state: 'NER', classification: 'public', sharing_scope: 'public' });
    const again = await openStream(port, '/api/v1/changes/stream?since=0', { cookie: bfa.cookie, 'last-event-id': lastId });
    try {
      const e = await again.next((x) => x.event === 'change');
      expect(e.data.id).toBe(after.id);
      expect(Number(e.id)).toBeGreaterThan(Number(lastId));
    } finally {
      again.close();
    }
  });

  it('refuses a reader without a session (401) and a Last-Event-ID that is not a seq (400 naming it), before streaming', async () => {
    expect((await statusOf(port, '/api/v1/changes/stream')).status).toBe(401);
    const bad = await statusOf(port, '/api/v1/changes/stream', { cookie: bfa.cookie, 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Last-Event-ID');
    expect((await statusOf(port, '/api/v1/changes/stream?since=-1', { cookie: bfa.cookie })).status).toBe(400);
    // Declared in the OpenAPI document as an event stream.
    const doc = (await bfa.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(JSON.stringify(doc.paths['/api/v1/changes/stream'])).toContain('text/event-stream');
  });
});
