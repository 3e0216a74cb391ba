/**
 * The list page over real HTTP, on each engine: `vigie serve` (auth by API token, validation, service, visibility in
 * SQL, serialisation) next to a bare Fastify route returning the same JSON page from hand-written SQL
 * (bench/lib/bare-server.ts). Both are separate processes on 127.0.0.1, loaded by autocannon from this one, for a
 * bounded time each. The incidents are written by the bare loader (the list reads only that table).
 *
 * Then audited reads under load (`http-list-audited`): 50 connections listing as an analyst cleared for confidential
 * records (most pages hold some, and each such page writes a durable audit entry before its answer leaves) next to the
 * same list, same server, for an analyst cleared up to restricted (no classified rows, nothing to audit). The ratio of
 * their p99 is what the audit's group commit costs under load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon, { type Result } from 'autocannon';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { TEST_MASTER_KEY } from '../apps/server/src/lib/server-keys.js';
import { createApiToken } from '../apps/server/src/services/accounts/auth.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig } from '../apps/server/src/services/geography/reference.service.js';
import { newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import { benchArgs } from './lib/args.js';
import { listQuery } from './lib/bare-list.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { processPeakRssMiB } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = 10;
const CONNECTIONS = 8;
const AUDITED_CONNECTIONS = 50;
const GOALS: Record<string, Goal> = { 'http-list/p99_ms': { kind: 'max', ratio: 2 }, 'http-list-audited/p99_ms': { kind: 'max', ratio: 2 } };

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

/** Starts a Node process from the repository root and resolves with its base URL once it prints one. */
async function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; base: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', ...args], {
    cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} stopped before listening`)));
  });
  return { child, base, exited };
}

/** Loads a server; under the 50-connection load client timeouts (10 s) are counted rather than fatal: they are a figure. */
async function load(url: string, paths: string[], headers: Record<string, string>, seconds: number, connections = CONNECTIONS): Promise<Result> {
  const result = await autocannon({ url, connections, duration: seconds, requests: paths.map((p) => ({ method: 'GET', path: p, headers })) });
  const tolerated = connections === AUDITED_CONNECTIONS ? result.timeouts : 0;
  if (result.non2xx || result.errors - tolerated || result.timeouts - tolerated) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return result;
}

async function benchEngine(kind: EngineKind, size: number, synth: SyntheticIncidents): Promise<Figure[]> {
  const reference = loadReferenceConfig();
  const t = await testVigie(kind);
  const servers: { child: ChildProcess; exited: Promise<void> }[] = [];
  try {
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents`);
    const rows = await BareRows.prepare(t.engine, reference, synth);
    await bareLoad(bareDriver(t.engine), (i, at) => rows.values(i, at), size);
    const driver = bareDriver(t.engine);
    if (driver.kind === 'postgres') await driver.pool.query('analyze');
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'analyste.http' });
    const { token } = await createApiToken(t.ctx, SYSTEM, 'analyste.http', 'bench');
    await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'analyste.confidentiel' });
    const { token: cleared } = await createApiToken(t.ctx, SYSTEM, 'analyste.confidentiel', 'bench');
    await t.engine.close(); // the servers hold the database now

    // The server keys of the context that wrote the database (its audit chain's), as the tests' child processes get them.
    const env: Record<string, string> = {
      VIGIE_SECRET_KEY: TEST_MASTER_KEY,
      ...(kind === 'sqlite' ? { VIGIE_DATA_DIR: path.dirname(t.url.slice('sqlite:'.length)) } : { VIGIE_DATABASE_URL: t.url }),
    };
    const vigie = await start(['apps/server/src/cli/main.ts', 'serve'], env);
    servers.push(vigie);
    const bare = await start(['bench/lib/bare-server.ts', t.url, String(reader.clearance), reader.organisation, reader.userId ?? ''], {});
    servers.push(bare);

    const queries = Array.from({ length: 12 }, (_, i) => new URLSearchParams({ ...listQuery(i, reference.states.map((s) => s.code), syntheticDate) }).toString());
    const auth = { authorization: `Bearer ${token}` };
    const vigiePaths = queries.map((q) => `/api/v1/incidents?${q}`);
    const barePaths = queries.map((q) => `/bare?${q}`);
    // The same pages on both sides, or the comparison means nothing.
    for (let i = 0; i < queries.length; i++) {
      const [a, b] = await Promise.all([
        fetch(`${vigie.base}${vigiePaths[i]}`, { headers: auth }).then((r) => r.json() as Promise<{ items: { id: string }[] }>),
        fetch(`${bare.base}${barePaths[i]}`).then((r) => r.json() as Promise<{ items: { id: string }[] }>),
      ]);
      if (a.items.map((x) => x.id).join() !== b.items.map((x) => x.id).join()) throw new Error(`pages differ for ${queries[i]}`);
    }
    await load(vigie.base, vigiePaths, auth, 2);
    await load(bare.base, barePaths, {}, 2);
    log(`${kind}: ${SECONDS} s of load on each, ${CONNECTIONS} connections`);
    const v = await load(vigie.base, vigiePaths, auth, SECONDS);
    const b = await load(bare.base, barePaths, {}, SECONDS);
    log(`${kind}: audited reads, ${SECONDS} s of load for each reader, ${AUDITED_CONNECTIONS} connections`);
    const confidentialAuth = { authorization: `Bearer ${cleared}` };
    await load(vigie.base, vigiePaths, confidentialAuth, 2, AUDITED_CONNECTIONS);
    const audited = await load(vigie.base, vigiePaths, confidentialAuth, SECONDS, AUDITED_CONNECTIONS);
    const unaudited = await load(vigie.base, vigiePaths, auth, SECONDS, AUDITED_CONNECTIONS);
    // Both servers' peak memory over the whole run (the audited load included), read before they stop.
    const [vigieRss, bareRss] = [processPeakRssMiB(vigie.child.pid), processPeakRssMiB(bare.child.pid)];
    const common = { workload: 'http-list', engine: kind, size };
    const underLoad = { workload: 'http-list-audited', engine: kind, size };
    return [
      figure({ ...underLoad, metric: 'req_per_s', vigie: audited.requests.average, baseline: unaudited.requests.average, unit: 'req/s' }),
      figure({ ...underLoad, metric: 'p50_ms', vigie: audited.latency.p50, baseline: unaudited.latency.p50, unit: 'ms' }),
      figure({ ...underLoad, metric: 'p99_ms', vigie: audited.latency.p99, baseline: unaudited.latency.p99, unit: 'ms' }),
      // Client timeouts at 10 s (the baseline's +1 keeps the ratio defined when it has none).
      figure({ ...underLoad, metric: 'timeouts_plus_1', vigie: audited.timeouts + 1, baseline: unaudited.timeouts + 1, unit: 'requests' }),
      figure({ ...common, metric: 'req_per_s', vigie: v.requests.average, baseline: b.requests.average, unit: 'req/s' }),
      figure({ ...common, metric: 'p50_ms', vigie: v.latency.p50, baseline: b.latency.p50, unit: 'ms' }),
      figure({ ...common, metric: 'p99_ms', vigie: v.latency.p99, baseline: b.latency.p99, unit: 'ms' }),
      ...(Number.isFinite(vigieRss) && Number.isFinite(bareRss) ? [figure({ ...common, metric: 'server_peak_rss', vigie: vigieRss, baseline: bareRss, unit: 'MiB' })] : []),
    ];
  } finally {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await t.drop();
  }
}

const args = benchArgs();
const synth = await SyntheticIncidents.create(loadReferenceConfig());
const figures: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const f = await benchEngine(kind, args.size, synth);
  recordFigures(f);
  figures.push(...f);
}
printTable(`http — GET /api/v1/incidents vs bare Fastify, ${args.size.toLocaleString('en-US')} incidents, ${CONNECTIONS} connections × ${SECONDS} s`, figures, GOALS);
