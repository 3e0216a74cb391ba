import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAuditEvents } from '../services/audit/audit.service.js';
import { importIncidents } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp } from '../test-support/http.js';

/** Incidents per page read: a few hundred incidents then take dozens of reads (production reads 2000 at a time). */
const { WINDOW } = vi.hoisted(() => ({ WINDOW: 10 }));
const N = 300;

// The route runs the real export with small pages (the HTTP API has no such option, and must not).
vi.mock('../services/exchange/export.service.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../services/exchange/export.service.js')>();
  return {
    ...real,
    exportIncidents: (...[ctx, principal, input, options]: Parameters<typeof real.exportIncidents>) =>
      real.exportIncidents(ctx, principal, input, { ...options, windowSize: WINDOW }),
  };
});

/** Waits until `done()` holds (polled), or fails after 20 s. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const end = Date.now() + 20_000; !(await done());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Abandoned downloads: a client that goes away mid-file must stop the export's database reads (no page read after
 * the ones already under way), and the audit must say the export was not complete and how much was sent.
 */
describe.each(ENGINES)('an export abandoned by its client on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let port = 0;
  let cookie = '';
  let login = '';
  /** The server's open sockets (a request's connection closes when the client goes away). */
  const sockets = new Set<Socket>();

  /** Page reads issued by the export (every path: readLines, copyCsv, copyLines or readArrays for the database-written lines, selectArrays for records). */
  let reads = 0;
  /** Reads past this many wait for `gate` before they reach the database (Infinity: none waits). */
  let free = Infinity;
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};

  beforeAll(async () => {
    t = await testVigie(kind);
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    login = reader.login;
    const bodies = Array.from({ length: N }, (_, k) => newIncident({ occurred_start: `2026-03-${String(1 + (k % 28)).padStart(2, '0')}T08:00:00Z` }));
    for (let i = 0; i < N; i += 100) {
      const done = await importIncidents(t.ctx, SYSTEM, bodies.slice(i, i + 100).map((input) => ({ input, options: { reportingState: 'MLI', status: 'validated' } })));
      expect(done.rejected).toEqual([]);
    }
    app = await testApp(t.ctx);
    cookie = (await signIn(app, reader.login, reader.password)).cookie;
    app.server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    const engine = t.ctx.engine;
    for (const name of ['readArrays', 'selectArrays'] as const) {
      const real = engine[name].bind(engine);
      vi.spyOn(engine, name).mockImplementation(async (query) => {
        if (++reads > free) await gate;
        return real(query);
      });
    }
    // SQLite's reader threads lay the lines out where they read them (Engine.readLines).
    const readLines = engine.readLines?.bind(engine);
    if (readLines) {
      engine.readLines = async (query, layout) => {
        if (++reads > free) await gate;
        return readLines(query, layout);
      };
    }
    // PostgreSQL's COPY sends the lines (Engine.copyCsv, Engine.copyLines).
    const copyCsv = engine.copyCsv?.bind(engine);
    if (copyCsv) {
      engine.copyCsv = async (query, sep) => {
        if (++reads > free) await gate;
        return copyCsv(query, sep);
      };
    }
    const copyLines = engine.copyLines?.bind(engine);
    if (copyLines) {
      engine.copyLines = async (query, layout) => {
        if (++reads > free) await gate;
        return copyLines(query, layout);
      };
    }
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.close();
    await t?.drop();
  });

  /** The reader's export entries in the audit, newest first. */
  const audited = async () => (await listAuditEvents(t.ctx.engine, SYSTEM, { action: 'incident.export', user: login })).items;

  /** GET the export over a real connection: the request, and its response once the headers are in. */
  function get(format: string): { req: http.ClientRequest; response: Promise<http.IncomingMessage> } {
    const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/exports/incidents?format=${format}`, headers: { cookie }, agent: false });
    return { req, response: new Promise((resolve, reject) => req.on('response', resolve).on('error', reject)) };
  }

  // `streams`: the first bytes are sent before the whole file is read (GeoPackage writes a file, then sends it).
  it.each([
    ['csv', true], ['geojson', true], ['xlsx', true], ['gpkg', false],
  ] as const)('%s: the reads stop when the client goes away, and the audit says the export was incomplete', async (format, streams) => {
    const entries = (await audited()).length;
    // The whole file, for reference: how many reads it takes.
    reads = 0;
    free = Infinity;
    const whole = await get(format).response;
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['x-vigie-expected-count']).toBe(String(N));
    let size = 0;
    for await (const c of whole) size += (c as Buffer).length;
    const fullReads = reads;
    await until(async () => (await audited()).length === entries + 1, 'the complete export\'s audit');
    expect(JSON.parse((await audited())[0]?.details ?? '{}')).toMatchObject({ format, complete: true, count: N });
    expect(size).toBeGreaterThan(0);
    // One read per window of WINDOW incidents (the lines path may read one more, empty, window's page).
    expect(fullReads).toBeGreaterThanOrEqual(N / WINDOW);

    // The same export, abandoned after its first bytes (before any, when it sends none until it is written). The first
    // reads go through; the next ones wait (held before they reach the database) until the server has seen the client
    // go, so that the whole file cannot be read into the socket's buffers before the client leaves: what is read after
    // that is read for nobody.
    reads = 0;
    free = 3;
    gate = new Promise((r) => { open = r; });
    try {
      const { req, response } = get(format);
      response.catch(() => undefined);
      if (streams) {
        const res = await response;
        expect(res.statusCode).toBe(200);
        await new Promise((r) => res.once('data', r));
      }
      // Left mid-read: once a read waits at the gate, the export has pages in hand and reads under way.
      await until(() => reads > free, 'the export to reach the held reads');
      req.destroy();
      await until(() => sockets.size === 0, 'the server to see the client go');
      // Fastify destroys the response's stream on the socket's close; let that run before the held reads go on.
      await new Promise((r) => setImmediate(r));
    } finally {
      open();
    }
    await until(async () => (await audited()).length === entries + 2, 'the abandoned export\'s audit');
    const atAudit = reads;
    // Nothing is left reading once the audit is written: the count holds a while later.
    await new Promise((r) => setTimeout(r, 300));
    expect(reads).toBe(atAudit);
    // The reads let through, plus at most those under way when the client left: the page awaited and the two read
    // ahead of it (incident-export.repository.ts's AHEAD; the record path reads no page ahead).
    expect(atAudit).toBeLessThanOrEqual(free + 3);
    expect(atAudit).toBeLessThan(fullReads / 3);

    const entry = (await audited())[0];
    expect(entry).toMatchObject({ action: 'incident.export', login });
    const details = JSON.parse(entry?.details ?? '{}') as { format: string; complete: boolean; count: number };
    expect(details).toMatchObject({ format, complete: false });
    expect(details.count).toBeGreaterThanOrEqual(WINDOW);
    expect(details.count).toBeLessThan(N);
    expect(details.count).toBeLessThanOrEqual(atAudit * WINDOW);
  });
});
