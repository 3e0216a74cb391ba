/**
 * A national Vigie node as a real process (`vigie serve`, federated) killed with SIGKILL while it publishes, then
 * restarted on the same database: the confederation converges on exactly what the national node shares, nothing lost,
 * nothing applied twice. The national node on one engine, the confederation on the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineKind } from '../../db/engine.js';
import { countForeignObjects, getCursor, listForeignObjects } from '../../repositories/federation.repository.js';
import { cliEnv } from '../../test-support/cli.js';
import { ENGINES } from '../../test-support/engines.js';
import { tearDownFederation } from '../../test-support/federation-harness.js';
import { newIncident, testVigie, type TestVigie } from '../../test-support/factories.js';
import { importIncidents } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { applyAvailable, connectNats, ensureConfederationStream } from './federation-link.js';
import { addPeerKey, OUT_LINK } from './federation.service.js';
import { startTopology, type Topology } from './nats-topology.js';
import { loadNodeKey } from './signing.js';

const PAIRS: [EngineKind, EngineKind][] = ENGINES.length > 1 ? [['sqlite', 'postgres'], ['postgres', 'sqlite']] : [['sqlite', 'sqlite']];
const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');
const N = 1200;

describe.each(PAIRS)('a national node process killed during replication: national on %s, confederation on %s', (nationalKind, confKind) => {
  let dir: string;
  let topo: Topology;
  let mli: TestVigie;
  let conf: TestVigie;
  let confFed: FederationConfig;
  let confNc: NatsConnection;
  let watcher: NatsConnection;
  let child: ChildProcess | undefined;

  /** `vigie serve` for the national node on its test database; resolves once it listens. */
  function serveNational(): Promise<ChildProcess> {
    const leaf = topo.leaves.get('mli')!;
    const env = cliEnv(mli.url, {
      VIGIE_FEDERATION_NODE: 'mli', VIGIE_FEDERATION_ROLE: 'national', VIGIE_NATS_URL: leaf.url, VIGIE_NATS_USER: leaf.nodeUser.user,
      VIGIE_NATS_PASSWORD: leaf.nodeUser.password, VIGIE_FEDERATION_KEY_FILE: path.join(dir, 'mli.key'), VIGIE_FEDERATION_PAGE: '20', HOST: '127.0.0.1',
    });
    const c = spawn(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, 'serve', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stderr?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
    return new Promise((resolve, reject) => {
      c.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (/écoute sur/.test(out)) resolve(c); });
      c.once('exit', (code, signal) => reject(new Error(`vigie serve exited (${code ?? signal}): ${out}`)));
    });
  }

  const streamCount = async () => (await (await watcher.jetstreamManager()).streams.info('VIGIE_MLI').catch(() => undefined))?.state.messages ?? 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-kill-'));
    topo = await startTopology(dir, ['mli']);
    [mli, conf] = await Promise.all([testVigie(nationalKind), testVigie(confKind)]);
    confFed = { node: 'conf', role: 'confederation', natsUrl: topo.hub.url, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password, domain: 'conf', hubDomain: 'conf', peers: ['mli'], ceiling: 3, keyFile: '' };
    await addPeerKey(conf.ctx, SYSTEM, 'mli', loadNodeKey(path.join(dir, 'mli.key')).publicPem);
    confNc = await connectNats(confFed);
    await ensureConfederationStream(await confNc.jetstreamManager(), confFed);
    const leaf = topo.leaves.get('mli')!;
    watcher = await connectNats({ ...confFed, natsUrl: leaf.url, natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password });
    const bodies = Array.from({ length: N }, (_, i) => newIncident({ sharing_scope: i % 10 === 9 ? 'national' : 'confederation' }));
    for (let i = 0; i < N; i += 400) await importIncidents(mli.ctx, SYSTEM, bodies.slice(i, i + 400).map((input) => ({ input, options: { reportingState: 'MLI', status: 'validated' } })));
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await watcher?.close().catch(() => undefined);
    await tearDownFederation({ connections: [confNc], topo, vigies: [mli, conf], dir });
  }, 60_000);

  it('converges after SIGKILL and restart: every shared record once, no national record', async () => {
    const shared = N - N / 10;
    child = await serveNational();
    // Killed as soon as it has published part of its backlog (pages of 20).
    let atKill = 0;
    for (let i = 0; i < 6000 && atKill === 0; i++) {
      atKill = await streamCount();
      if (!atKill) await new Promise((r) => setTimeout(r, 10));
    }
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const cursorAtKill = (await getCursor(mli.ctx.engine.db, OUT_LINK))?.last_seq ?? 0;
    expect(atKill).toBeGreaterThan(0);
    expect(await streamCount()).toBeLessThan(shared);

    // The confederation applies what it already has while the national node is down, then it restarts.
    const confJs = confNc.jetstream();
    await applyAvailable(conf.ctx, confFed, confJs, 500, 100);
    child = await serveNational();
    const until = Date.now() + 400_000; // bounded; generous: the shared machine is often heavily loaded
    while (((await countForeignObjects(conf.ctx.engine.db)).get('mli') ?? 0) < shared && Date.now() < until) await applyAvailable(conf.ctx, confFed, confJs, 500, 200);
    child.kill('SIGTERM');

    const held = await listForeignObjects(conf.ctx.engine.db, { origin: 'mli', includeDeleted: true });
    const expected = await mli.ctx.engine.db.selectFrom('incidents').select('id').where('sharing_scope', '=', 'confederation').execute();
    expect(held.map((r) => r.entity_id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(held.every((r) => r.deleted === 0)).toBe(true);
    const rows = await conf.ctx.engine.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('origin_node', '=', 'mli').executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(shared);
    // Each record applied exactly once (what was published again after the kill was refused as a replay).
    const received = await conf.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'federation.receive').executeTakeFirstOrThrow();
    expect(Number(received.n)).toBe(shared);
    expect(cursorAtKill).toBeLessThan((await getCursor(mli.ctx.engine.db, OUT_LINK))?.last_seq ?? 0);
  }, 600_000);
});
