/**
 * Who may do what, proved from the route table: every route of ROUTES is called over HTTP by every cell
 * (role × organisation × clearance that user creation allows, plus no credentials, a revoked API token, a
 * disabled user and an expired session), and its answer is compared with what ROUTE_POLICY (route-policy.ts)
 * says: allowed (2xx, or a 4xx about the request itself once access was granted), 401, 403, or 404 for an
 * object the reader may not see. Reads are also searched for anything the rule denies (records, earlier
 * versions, exact locations, figures).
 *
 * Mutating routes change nothing lasting, in one of three ways (said at each probe):
 * - "stale": the body carries version 999 or an id that already exists, so an allowed caller gets 409 after
 *   every access check has passed (the services check access before versions and conflicts);
 * - "final state": the object is already in a state the route cannot leave (an acknowledged alert, an approved
 *   value, a validated record for assign), so an allowed caller gets 409 after the access checks;
 * - "real": a harmless real change (a response, a note, a new axis with the cell's own code); closing an alert is
 *   final, so each cell closes a fresh one.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { testVigie, type TestVigie } from '../test-support/factories.js';
import { buildWorld, inBatches, type Cell, type World } from '../test-support/access-world.js';
import { testApp } from '../test-support/http.js';
import { ROUTES } from './app.js';
import { ROUTE_POLICY } from './route-policy.js';
import { outcomeOf, expected, has, probesFor, streamStatus } from '../test-support/route-probes.js';

const routeKeys = ROUTES.map((r) => `${r.method} ${r.url}`);
// Signing out ends the cell's session: that route runs last.
const ordered = [...routeKeys.filter((k) => k !== 'POST /api/v1/auth/logout'), 'POST /api/v1/auth/logout'];

describe('route policy covers the route table', () => {
  it('has one entry per route, and no entry for a route that does not exist', () => {
    expect(routeKeys.filter((k) => !(k in ROUTE_POLICY))).toEqual([]);
    expect(Object.keys(ROUTE_POLICY).filter((k) => !routeKeys.includes(k))).toEqual([]);
  });
});

describe.each(ENGINES)('who may do what, route by route, on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let w: World;
  let started = 0;
  let requests = 0;

  beforeAll(async () => {
    started = Date.now();
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const t0 = Date.now();
    w = await buildWorld(t.ctx, app);
    console.info(`route policy on ${kind}: world built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 120_000);
  afterAll(async () => {
    console.info(`route policy on ${kind}: ${w?.cells.length} cells, ${requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await app?.close();
    await t?.drop();
  });

  it('builds principals for every cell that user creation allows', () => {
    const users = w.cells.filter((c) => c.kind === 'user');
    // reporter, analyst, focal point × 3 states, confederation analyst × CONF, decision maker and admin × 4 organisations; × 4 clearances
    expect(users.length).toBe((3 * w.states.length + 1 + 2 * (w.states.length + 1)) * 4);
  });

  it.each(ordered)('%s', async (key) => {
    const policy = ROUTE_POLICY[key];
    expect(policy, `no policy for ${key}`).toBeDefined();
    if (!policy) return;
    let probed = 0;
    const runCell = async (c: Cell, i: number): Promise<string[]> => {
      const out: string[] = [];
      for (const p of await probesFor(key, w, c, i, w.freshAlert)) {
        probed++;
        requests++;
        const res = p.stream ? await streamStatus(c, p.opts) : await c.request(p.opts);
        const got = outcomeOf(res);
        const want = expected(policy, c, p.subject);
        if (res.statusCode >= 400 && !String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) {
          out.push(`${c.key} ${p.label}: ${res.statusCode} answered as ${String(res.headers['content-type'])}, not problem+json`);
        }
        // A token for someone else must not be issued: any refusal will do (403, or 400 once the body names no user).
        const refused = p.subject.type === 'token' && want === 'forbidden' && res.statusCode >= 400 && res.statusCode < 500 && got !== 'unauthenticated';
        if (got !== want && !refused) {
          out.push(`${c.key} ${p.label}: expected ${want}, got ${got} (${res.statusCode} ${res.body.slice(0, 120)})`);
          continue;
        }
        if (got === 'allowed' && res.statusCode < 300 && p.check) {
          const complaint = p.check(res, c);
          if (complaint) out.push(`${c.key} ${p.label}: ${complaint}`);
        }
      }
      return out;
    };
    // Reads (and sign-in, whose cost is password hashing) run a few cells at a time; writes one cell after the other,
    // so that each write meets the state the previous one left.
    const concurrent = key.startsWith('GET ') || key === 'POST /api/v1/auth/login';
    const mismatches = (await inBatches(w.cells, runCell, concurrent ? 6 : 1)).flat();
    expect(probed, `no probe for ${key}`).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
