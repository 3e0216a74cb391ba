/**
 * Per-node NATS accounts with the real engine (docs/federation.md, « Deployment guide »): a hub nats-server (domain
 * conf) where each national node has an account of its own, two national leaves (mli, bfa) bound to their accounts,
 * each leaf's link to the hub through a TCP link the test cuts and restores; Vigie nodes on both engines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineKind } from '../../db/engine.js';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { cuttableLink, type CuttableLink } from '../../test-support/tcp-link.js';
import { raiseFlashAlert } from '../alerts/alert.service.js';
import { assignIncident, validateIncident } from '../incidents/incident-workflow.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { applyAvailable, connectNats, ensureConfederationStream, ensureNationalStream, publishPending } from './federation-link.js';
import { addPeerKey } from './federation.service.js';
import { startTopology, type Topology } from './nats-topology.js';
import { generateNodeKey, type NodeKey } from './signing.js';

const PAIRS: [EngineKind, EngineKind][] = ENGINES.length > 1 ? [['sqlite', 'postgres'], ['postgres', 'sqlite']] : [['sqlite', 'sqlite']];
const NATIONALS = ['mli', 'bfa'] as const;
const enc = (s: string) => new TextEncoder().encode(s);

/** What the server refused of `act` on this connection (« Permissions Violation »), as `operation subject`. */
async function refusals(nc: NatsConnection, act: () => void): Promise<string[]> {
  const seen: string[] = [];
  const watching = (async () => { for await (const st of nc.status()) if (st.type === 'error' && st.permissionContext) seen.push(`${st.permissionContext.operation} ${st.permissionContext.subject}`); })();
  act();
  // An allowed publish produces nothing: the round trips below are the bound (a refusal arrives before the PONG).
  for (let i = 0; i < 5 && !seen.length; i++) await nc.flush();
  void watching;
  return seen;
}

/** One node of the test: its Vigie, its federation configuration, its key and its NATS connection. */
interface Node { vigie: TestVigie; fed: FederationConfig; key: NodeKey; nc: NatsConnection; js: JetStreamClient; who: Principal }

describe.each(PAIRS)('federation through per-node NATS accounts: nationals on %s, confederation on %s', (nationalKind, confKind) => {
  let dir: string;
  let topo: Topology;
  const links = new Map<string, CuttableLink>();
  const nodes = new Map<string, Node>();
  const node = (n: string) => nodes.get(n)!;

  /** A validated record shared with the confederation on a national node. */
  async function validated(n: string): Promise<string> {
    const { vigie, who } = node(n);
    const body = newIncident({ status: 'submitted', sharing_scope: 'confederation', state: n.toUpperCase() });
    await createIncident(vigie.ctx, who, body);
    await assignIncident(vigie.ctx, who, body.id, true);
    await validateIncident(vigie.ctx, who, body.id, { version: 1 });
    return body.id;
  }

  const held = async (at: string, origin: string) => (await listForeignObjects(node(at).vigie.ctx.engine.db, { origin })).map((r) => r.entity_id);

  /** Every node publishes what it owns and applies what it receives until `done` holds (bounded). */
  async function converge(done: () => Promise<boolean>, only: readonly string[] = ['conf', ...NATIONALS]): Promise<void> {
    const errors: string[] = [];
    const keep = (e: unknown) => { errors.push(String(e)); };
    const until = Date.now() + 60_000; // a lost batch is redelivered after the consumer's ack wait (10 s)
    while (Date.now() < until) {
      for (const n of only) {
        const { vigie, fed, key, js } = node(n);
        await publishPending(vigie.ctx, fed, key, js).catch(keep);
        const got = await applyAvailable(vigie.ctx, fed, js, 500, 100).catch(keep);
        if (got) for (const r of got.refused) errors.push(`${n}: ${r.reason}`);
      }
      if (await done()) return;
    }
    throw new Error(`no convergence (${[...new Set(errors)].slice(-3).join('; ')})`);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-accounts-'));
    topo = await startTopology(dir, NATIONALS, 'conf', {
      linkOf: async (n, hubLeafPort) => {
        const link = await cuttableLink(hubLeafPort);
        links.set(n, link);
        return link.port;
      },
    });
    // A probe user in MLI's account with no permissions at all: what the account boundary alone lets through.
    await topo.hub.stop();
    const text = fs.readFileSync(topo.hub.configFile, 'utf8');
    fs.writeFileSync(topo.hub.configFile, text.replace('users: [ { user: "leaf-mli"', 'users: [ { user: "probe-mli", password: "sonde" }, { user: "leaf-mli"'));
    await topo.hub.start();
    const [mli, bfa, conf] = await Promise.all([testVigie(nationalKind), testVigie(nationalKind), testVigie(confKind)]);
    const confFed = fedConfig('conf', 'confederation', { natsUrl: topo.hub.url, peers: [...NATIONALS], ceiling: 3, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password });
    const confNc = await connectNats(confFed);
    nodes.set('conf', { vigie: conf, fed: confFed, key: generateNodeKey(), nc: confNc, js: confNc.jetstream(), who: await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 }) });
    for (const [n, vigie] of [['mli', mli], ['bfa', bfa]] as const) {
      const leaf = topo.leaves.get(n)!;
      const fed = fedConfig(n, 'national', { natsUrl: leaf.url, natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password });
      const nc = await connectNats(fed);
      nodes.set(n, { vigie, fed, key: generateNodeKey(), nc, js: nc.jetstream(), who: await newUser(vigie.ctx, { org: n.toUpperCase(), role: 'analyst', clearance: 3 }) });
      await addPeerKey(conf.ctx, SYSTEM, n, node(n).key.publicPem);
      await addPeerKey(vigie.ctx, SYSTEM, 'conf', node('conf').key.publicPem);
      await ensureNationalStream(await nc.jetstreamManager(), fed);
    }
    await ensureConfederationStream(await confNc.jetstreamManager(), confFed);
  }, 90_000);

  afterAll(async () => {
    await tearDownFederation({ connections: [...nodes.values()].map((n) => n.nc), topo, vigies: [...nodes.values()].map((n) => n.vigie), dir });
    for (const l of links.values()) await l.close();
  }, 60_000);

  it('replicates both ways through the accounts, and a cut leaf link catches up once restored while the other national carries on', async () => {
    const fromMli = await validated('mli');
    const fromBfa = await validated('bfa');
    const conf = node('conf');
    const alert = await raiseFlashAlert(conf.vigie.ctx, conf.who, { title: 'Mouvements suspects vers Boni', areas: ['ML05'] });
    await converge(async () => (await held('conf', 'mli')).includes(fromMli) && (await held('conf', 'bfa')).includes(fromBfa)
      && (await held('mli', 'conf')).includes(alert.id) && (await held('bfa', 'conf')).includes(alert.id));
    // Received objects are audited as received, with their origin.
    const audited = await conf.vigie.ctx.engine.db.selectFrom('audit_events').select(['object_id', 'details']).where('action', '=', 'federation.receive').execute();
    const origin = (id: string) => audited.filter((a) => a.object_id === id).map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details).origin);
    expect([origin(fromMli), origin(fromBfa)]).toEqual([['mli'], ['bfa']]);

    // Mali's line goes down; both servers stay up. Mali keeps working: its own server acknowledges what it publishes.
    await links.get('mli')!.cut();
    const duringCut = await validated('mli');
    const { vigie, fed, key, js } = node('mli');
    expect(await publishPending(vigie.ctx, fed, key, js)).toBeGreaterThan(0);
    const second = await raiseFlashAlert(conf.vigie.ctx, conf.who, { title: 'Colonne de véhicules signalée près de Djibo', areas: ['ML05'] });
    // Burkina Faso's account is not affected: its record and the new alert go through.
    const fromBfa2 = await validated('bfa');
    await converge(async () => (await held('conf', 'bfa')).includes(fromBfa2) && (await held('bfa', 'conf')).includes(second.id), ['conf', 'bfa']);
    expect(await held('conf', 'mli')).not.toContain(duringCut);
    await applyAvailable(vigie.ctx, fed, js, 500, 100);
    expect(await held('mli', 'conf')).not.toContain(second.id);

    await links.get('mli')!.restore();
    await converge(async () => (await held('conf', 'mli')).includes(duringCut) && (await held('mli', 'conf')).includes(second.id));
    expect((await held('conf', 'mli')).sort()).toEqual([fromMli, duringCut].sort());
    expect((await held('mli', 'conf')).sort()).toEqual([alert.id, second.id].sort());
  }, 180_000);

  it("a national account's credentials publish at the hub only their own deliveries: the server refuses another node's subjects and the confederation's", async () => {
    const leaf = topo.leaves.get('mli')!;
    const nc = await connect({ servers: topo.hub.url, user: leaf.user, pass: leaf.password });
    try {
      for (const subject of ['vigie.conf.alert.forged', 'vigie.bfa.incident.forged', 'vigie.mli.incident.forged', 'fed.bfa.out.S.forged', 'fed.conf.to.bfa.S.forged', '$JS.FC.VIGIE_BFA.x.y', '$JS.API.STREAM.INFO.VIGIE_FED', '$JS.bfa.API.STREAM.INFO.VIGIE_BFA']) {
        expect(await refusals(nc, () => nc.publish(subject, enc('{}')))).toEqual([`publish ${subject}`]);
      }
      expect(await refusals(nc, () => nc.publish('fed.mli.out.S.probe', enc('{}')))).toEqual([]);
    } finally {
      await nc.close();
    }
    // The national node's own user on its own server: its subjects only, nothing of the hub's.
    const own = node('mli').nc;
    for (const subject of ['vigie.conf.alert.forged', 'vigie.bfa.incident.forged', '$JS.bfa.API.STREAM.INFO.VIGIE_BFA', 'fed.mli.hub.API.CONSUMER.CREATE.VIGIE_CONF']) {
      expect(await refusals(own, () => own.publish(subject, enc('{}')))).toEqual([`publish ${subject}`]);
    }
  }, 60_000);

  it("a national account cannot read another national's stream, nor the confederation's beyond what is sent down to it", async () => {
    const leaf = topo.leaves.get('mli')!;
    const nc = await connect({ servers: topo.hub.url, user: leaf.user, pass: leaf.password });
    try {
      for (const subject of ['fed.bfa.out.>', 'fed.conf.to.bfa.>', 'vigie.>']) {
        expect(await refusals(nc, () => void nc.subscribe(subject))).toEqual([`subscription ${subject}`]);
      }
    } finally {
      await nc.close();
    }
    // Without any permission, MLI's account still reaches only what the confederation's account exports to it.
    const probe = await connect({ servers: topo.hub.url, user: 'probe-mli', pass: 'sonde' });
    try {
      const ask = (subject: string) => probe.request(subject, enc('{}'), { timeout: 2000 }).then((m) => new TextDecoder().decode(m.data), (e: Error) => `refused: ${e.message}`);
      // Burkina Faso's stream is not there at all (no responders), neither is the confederation's API beyond consumers
      // on its own stream; the confederation's domain answers as MLI's own JetStream, which the hub does not give it.
      expect(await ask('$JS.bfa.API.STREAM.INFO.VIGIE_BFA')).toMatch(/^refused: /);
      expect(await ask('fed.mli.hub.API.STREAM.INFO.VIGIE_CONF')).toMatch(/^refused: /);
      expect(await ask('fed.bfa.hub.API.CONSUMER.CREATE.VIGIE_CONF')).toMatch(/^refused: /);
      const fedInfo = await ask('$JS.conf.API.STREAM.INFO.VIGIE_FED');
      expect(fedInfo).toMatch(/JetStream not enabled for account|refused: /);
      expect(fedInfo).not.toContain('"config"');
      const seen: string[] = [];
      const sub = probe.subscribe('>', { callback: (_e, m) => { seen.push(m.subject); } });
      await probe.flush();
      // While Burkina Faso's records go up and the confederation's alerts go down, nothing of theirs reaches MLI.
      const fromBfa = await validated('bfa');
      const conf = node('conf');
      const down = await raiseFlashAlert(conf.vigie.ctx, conf.who, { title: 'Alerte pour les deux États', areas: ['ML05'] });
      await converge(async () => (await held('conf', 'bfa')).includes(fromBfa) && (await held('bfa', 'conf')).includes(down.id), ['conf', 'bfa']);
      await probe.flush();
      sub.unsubscribe();
      expect(seen.filter((s) => /(^|\.)bfa(\.|$)|VIGIE_BFA|VIGIE_FED/.test(s))).toEqual([]);
    } finally {
      await probe.close();
    }
  }, 120_000);
});
