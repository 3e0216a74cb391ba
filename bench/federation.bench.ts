/**
 * Federation catch-up (issue 14): N validated records shared with the confederation are created on a national node
 * (SQLite) while the confederation's NATS server is down; the national node publishes them to its own stream (its
 * leaf server queues them); the hub is restarted and we time until the confederation node (PostgreSQL when it answers)
 * holds them all — sourced across JetStream domains, verified (ed25519), applied idempotently and audited.
 * Baseline, in the same run and the same topology: bare JetStream — the same signed payloads published to a bare stream
 * on the leaf during an outage of the hub, sourced by a bare hub stream, fetched and acknowledged by a bare consumer.
 * N = 2,000 by default; VIGIE_BENCH_FEDERATION_N=10000 (or --size) for the issue's figure. Memory: RSS of each process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } from 'nats';
import { ENGINES } from '../apps/server/src/test-support/engines.js';
import { newIncident, testVigie } from '../apps/server/src/test-support/factories.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import type { FederationConfig } from '../apps/server/src/services/federation/federation-config.js';
import { connectNats, inboundApplier, ensureConfederationStream, ensureNationalStream, publishPending } from '../apps/server/src/services/federation/federation-link.js';
import { addPeerKey, collectOutbound } from '../apps/server/src/services/federation/federation.service.js';
import { startTopology } from '../apps/server/src/services/federation/nats-topology.js';
import { outDeliver, peerApi } from '../apps/server/src/services/federation/nats-accounts.js';
import { generateNodeKey } from '../apps/server/src/services/federation/signing.js';
import { countForeignObjects } from '../apps/server/src/repositories/federation.repository.js';
import { figure, printTable, recordFigures, type Goal } from './lib/results.js';
import { now } from './lib/stats.js';

const GOALS: Record<string, Goal> = { 'catch_up/records_per_s': { kind: 'min', ratio: 0.5 } };
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sizeArg = process.argv.indexOf('--size');
const N = Number(sizeArg > 0 ? process.argv[sizeArg + 1] : process.env.VIGIE_BENCH_FEDERATION_N ?? 2000);
const OUTAGE_S = Number(process.env.VIGIE_BENCH_FEDERATION_OUTAGE_S ?? 60);
const rssMb = (pid?: number) => {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-bench-'));
// The bare baseline publishes on its own subjects (`bare.>`), which the node users are allowed here.
const topo = await startTopology(dir, ['mli'], 'conf', { extraPublish: ['bare.>'], extraStreams: (n) => [`BARE_${n.toUpperCase()}`] });
// VIGIE_BENCH_FEDERATION_CONF=sqlite keeps the confederation on SQLite even when PostgreSQL answers.
const confKind = ENGINES.includes('postgres') && process.env.VIGIE_BENCH_FEDERATION_CONF !== 'sqlite' ? 'postgres' : 'sqlite';
const [mli, conf] = await Promise.all([testVigie('sqlite'), testVigie(confKind)]);
try {
  const leaf = topo.leaves.get('mli')!;
  const mliFed: FederationConfig = { node: 'mli', role: 'national', natsUrl: leaf.url, natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password, domain: 'mli', hubDomain: 'conf', peers: [], ceiling: 1, keyFile: '' };
  const confFed: FederationConfig = { ...mliFed, node: 'conf', role: 'confederation', natsUrl: topo.hub.url, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password, domain: 'conf', peers: ['mli'], ceiling: 3 };
  const key = generateNodeKey();
  await addPeerKey(conf.ctx, SYSTEM, 'mli', key.publicPem);
  const mliNc = await connectNats(mliFed);
  const confNc = await connectNats(confFed);
  await ensureNationalStream(await mliNc.jetstreamManager(), mliFed);
  await ensureConfederationStream(await confNc.jetstreamManager(), confFed);
  const leafJsm = await mliNc.jetstreamManager();
  const hubJsm = await confNc.jetstreamManager();
  await leafJsm.streams.add({ name: 'BARE_MLI', subjects: ['bare.mli.>'], storage: StorageType.File, retention: RetentionPolicy.Limits });
  await hubJsm.streams.add({ name: 'BARE_FED', subjects: [], sources: [{ name: 'BARE_MLI', external: { api: peerApi('mli'), deliver: outDeliver('mli') } }], storage: StorageType.File });
  await hubJsm.consumers.add('BARE_FED', { durable_name: 'bare', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 20_000, ack_wait: 10e9 });

  // ---- Vigie: records created during the outage, published to the national stream, caught up after it.
  await topo.hub.stop();
  const outageStart = now();
  log(`hub down; creating ${N} validated shared records on the national node`);
  const bodies = Array.from({ length: N }, () => newIncident({ sharing_scope: 'confederation' }));
  for (let i = 0; i < N; i += 500) await importIncidents(mli.ctx, SYSTEM, bodies.slice(i, i + 500).map((input) => ({ input, options: { reportingState: 'MLI', status: 'validated' } })));
  const published = await publishPending(mli.ctx, mliFed, key, mliNc.jetstream());
  if (published !== N) throw new Error(`published ${published}, expected ${N}`);
  const payloads: { data: Uint8Array }[] = [];
  for (let since = 0, done = false; !done;) {
    const page = await collectOutbound(mli.ctx, mliFed, key, since, 1000);
    payloads.push(...page.messages);
    since = page.next;
    done = page.caughtUp;
  }
  // The outage lasts OUTAGE_S (60 s by default, the issue's figure) or as long as creating the records takes.
  const wait = OUTAGE_S * 1000 - (now() - outageStart);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  log(`hub restarted after an outage of ${((now() - outageStart) / 1000).toFixed(0)} s`);
  await topo.hub.start();
  let t0 = now();
  const confJs = confNc.jetstream();
  // The node's own applier, as its loop runs it (startFederation): the next batch fetched while one is applied.
  const applier = inboundApplier(conf.ctx, confFed, confJs, 1000);
  for (;;) {
    const r = await applier.applyAvailable().catch((e) => String(e));
    if (process.env.DEBUG_FED) log(`${((now() - t0) / 1000).toFixed(1)} ${typeof r === 'string' ? r : `${r.fetched} ${r.applied} ${r.refused.length}`}`);
    if (((await countForeignObjects(conf.ctx.engine.db)).get('mli') ?? 0) >= N) break;
  }
  const vigieS = (now() - t0) / 1000;
  await applier.close();
  const mem = { bench_process: rssMb(process.pid), hub: rssMb(topo.hub.pid), leaf: rssMb(leaf.pid) };
  log(`Vigie: ${N} records at the confederation ${vigieS.toFixed(2)} s after the hub came back; RSS MB ${JSON.stringify(mem)}`);

  // ---- Baseline: bare JetStream, same payloads, same outage and restore.
  await topo.hub.stop();
  const leafJs = mliNc.jetstream();
  // In pages of 500, as the Vigie publisher does (10,000 requests at once outrun the client's 5 s request timeout).
  for (let i = 0; i < payloads.length; i += 500) await Promise.all(payloads.slice(i, i + 500).map((m, j) => leafJs.publish(`bare.mli.${i + j}`, m.data)));
  await topo.hub.start();
  t0 = now();
  let got = 0;
  while (got < N) {
    try {
      const c = await confJs.consumers.get('BARE_FED', 'bare');
      const info = await c.info();
      // Delivered but unacknowledged messages (lost while the client reconnected) are redelivered after the ack wait.
      const pending = info.num_pending + info.num_ack_pending;
      if (!pending) continue;
      for await (const m of await c.fetch({ max_messages: Math.min(1000, pending), expires: 1000 })) { JSON.parse(new TextDecoder().decode(m.data)); m.ack(); got++; }
    } catch { /* the client is reconnecting */ }
  }
  const bareS = (now() - t0) / 1000;
  log(`bare JetStream: ${N} payloads consumed ${bareS.toFixed(2)} s after the hub came back`);
  const common = { engine: `sqlite→${confKind}`, size: N };
  const figures = [
    figure({ ...common, workload: 'catch_up', metric: 'records_per_s', vigie: N / vigieS, baseline: N / bareS, unit: 'records/s' }),
    figure({ ...common, workload: 'catch_up', metric: 'total_s', vigie: vigieS, baseline: bareS, unit: 's' }),
    figure({ ...common, workload: 'memory', metric: 'rss_mb_bench_process_two_nodes', vigie: mem.bench_process, baseline: mem.bench_process, unit: 'MB' }),
    figure({ ...common, workload: 'memory', metric: 'rss_mb_nats_hub', vigie: mem.hub, baseline: mem.hub, unit: 'MB' }),
    figure({ ...common, workload: 'memory', metric: 'rss_mb_nats_leaf', vigie: mem.leaf, baseline: mem.leaf, unit: 'MB' }),
  ];
  recordFigures(figures);
  printTable(`federation — ${N.toLocaleString('en-US')} records created during a hub outage, time to the confederation after restore (ratio = vigie / baseline)`, figures, GOALS);
  await mliNc.close();
  await confNc.close();
} finally {
  await topo.stop();
  await mli.drop();
  await conf.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
