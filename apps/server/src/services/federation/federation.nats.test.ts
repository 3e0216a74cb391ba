/**
 * Federation with the real engine: a hub nats-server (the confederation's, domain conf) and a national leaf
 * (domain mli), on free loopback ports, killed after. The national node on one engine, the confederation on the other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JetStreamClient, NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineKind } from '../../db/engine.js';
import { listForeignObjects, getCursor, resetCursor, type ForeignObjectRow } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { assignIncident, validateIncident } from '../incidents/incident-workflow.js';
import { createIncident, patchIncident } from '../incidents/incident.service.js';
import { mergeIncident } from '../incidents/merge.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { applyAvailable, connectNats, ensureConfederationStream, ensureNationalStream, publishPending } from './federation-link.js';
import { addPeerKey, collectOutbound, OUT_LINK, subjectOf } from './federation.service.js';
import { startTopology, type Topology } from './nats-topology.js';
import { generateNodeKey, signEnvelope, type NodeKey } from './signing.js';
import { raiseFlashAlert } from '../alerts/alert.service.js';

const fedOf = (node: string, role: FederationConfig['role'], natsUrl: string, o: Partial<FederationConfig> = {}) => fedConfig(node, role, { natsUrl, ...o });

/** Engine pairs: (national, confederation) — mixed both ways when PostgreSQL is up. */
const PAIRS: [EngineKind, EngineKind][] = ENGINES.length > 1 ? [['sqlite', 'postgres'], ['postgres', 'sqlite']] : [['sqlite', 'sqlite']];

describe.each(PAIRS)('federation: national on %s, confederation on %s', (nationalKind, confKind) => {
  let dir: string;
  let topo: Topology;
  let mli: TestVigie;
  let conf: TestVigie;
  let mliFed: FederationConfig;
  let confFed: FederationConfig;
  let mliKey: NodeKey;
  let analyst: Principal;
  let mliNc: NatsConnection;
  let confNc: NatsConnection;
  let mliJs: JetStreamClient;
  let confJs: JetStreamClient;

  /** A validated record on the national node. */
  async function validated(o: Parameters<typeof newIncident>[0] = {}) {
    const body = newIncident({ status: 'submitted', ...o });
    await createIncident(mli.ctx, analyst, body);
    await assignIncident(mli.ctx, analyst, body.id, true);
    await validateIncident(mli.ctx, analyst, body.id, { version: 1 });
    return body.id;
  }

  /** Publishes what is pending and applies at the confederation until `done` holds (bounded). */
  async function converge(done: (held: Map<string, ForeignObjectRow>) => boolean): Promise<Map<string, ForeignObjectRow>> {
    const errors: string[] = [];
    const keep = (e: unknown) => { errors.push(String(e)); };
    const until = Date.now() + 60_000; // bounded: a lost batch is redelivered after the consumer's ack wait (10 s)
    for (let i = 0; Date.now() < until; i++) {
      await publishPending(mli.ctx, mliFed, mliKey, mliJs).catch(keep);
      const got = await applyAvailable(conf.ctx, confFed, confJs, 500, 100).catch(keep);
      if (got) for (const r of got.refused) errors.push(`${r.reason}`);
      const live = new Map((await listForeignObjects(conf.ctx.engine.db, { origin: 'mli', includeDeleted: true })).map((r) => [r.entity_id, r]));
      if (done(live)) return live;
      if (Date.now() >= until) {
        const l = await (await mliNc.jetstreamManager()).streams.info('VIGIE_MLI').catch((e) => String(e));
        const h = await (await confNc.jetstreamManager()).streams.info('VIGIE_FED').catch((e) => String(e));
        const c = await (await confNc.jetstreamManager()).consumers.info('VIGIE_FED', 'vigie-applier').catch((e) => String(e));
        errors.push(JSON.stringify({ l: typeof l === 'string' ? l : l.state, h: typeof h === 'string' ? h : [h.state, h.sources], c: typeof c === 'string' ? c : [c.num_pending, c.num_ack_pending, c.delivered, c.ack_floor] }));
      }
      if (Date.now() >= until) errors.push(`held ${JSON.stringify([...live.values()].map((r) => [r.entity_id.slice(-6), r.version, r.deleted]))}`);
    }
    throw new Error(`the confederation did not converge (${[...new Set(errors)].slice(-3).join('; ')})`);
  }

  const nationalVersion = async (id: string) => Number((await mli.ctx.engine.db.selectFrom('incidents').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-'));
    topo = await startTopology(dir, ['mli']);
    [mli, conf] = await Promise.all([testVigie(nationalKind), testVigie(confKind)]);
    const leaf = topo.leaves.get('mli')!;
    mliFed = fedOf('mli', 'national', leaf.url, { natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password });
    confFed = fedOf('conf', 'confederation', topo.hub.url, { peers: ['mli'], ceiling: 3, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password });
    mliKey = generateNodeKey();
    await addPeerKey(conf.ctx, SYSTEM, 'mli', mliKey.publicPem);
    analyst = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    mliNc = await connectNats(mliFed);
    confNc = await connectNats(confFed);
    await ensureNationalStream(await mliNc.jetstreamManager(), mliFed);
    await ensureConfederationStream(await confNc.jetstreamManager(), confFed);
    mliJs = mliNc.jetstream();
    confJs = confNc.jetstream();
  }, 60_000);

  afterAll(async () => {
    await tearDownFederation({ connections: [mliNc, confNc], topo, vigies: [mli, conf], dir });
  }, 60_000);

  it('sends only validated records shared with the confederation at or below the link ceiling, through hub and leaf outages', async () => {
    const shared = await validated({ sharing_scope: 'confederation' });
    const pub = await validated({ sharing_scope: 'public', classification: 'public' });
    const national = await validated({ sharing_scope: 'national' });
    const secret = await validated({ sharing_scope: 'confederation', classification: 'secret' });
    const draft = newIncident({ status: 'draft' });
    await createIncident(mli.ctx, analyst, draft);
    const submitted = newIncident();
    await createIncident(mli.ctx, analyst, submitted);

    let live = await converge((m) => m.size === 2);
    expect([...live.keys()].sort()).toEqual([shared, pub].sort());
    expect(live.get(shared)?.version).toBe(await nationalVersion(shared));

    // The hub goes down: the national node keeps working, its own stream queues what it publishes.
    await topo.hub.stop();
    await patchIncident(mli.ctx, analyst, shared, { version: 2, narrative: 'Récit complété pendant la coupure du lien.' });
    await patchIncident(mli.ctx, analyst, pub, { version: 2, sharing_scope: 'national' }); // scope narrowed: a tombstone
    const during = await validated({ sharing_scope: 'confederation' });
    await validated({ sharing_scope: 'national' });
    expect(await publishPending(mli.ctx, mliFed, mliKey, mliJs)).toBeGreaterThan(0);
    await topo.hub.start();

    live = await converge((m) => m.has(during) && m.get(pub)?.deleted === 1 && m.get(shared)?.version === 3);
    expect(JSON.parse(live.get(shared)!.record!).narrative).toBe('Récit complété pendant la coupure du lien.');

    // The national server itself is killed: nothing is published, the change log keeps what is pending.
    await topo.leaves.get('mli')!.stop('SIGKILL');
    const whileDown = await validated({ sharing_scope: 'confederation' });
    await expect(publishPending(mli.ctx, mliFed, mliKey, mliJs)).rejects.toThrow();
    await topo.leaves.get('mli')!.start();
    live = await converge((m) => m.has(whileDown));

    const all = await listForeignObjects(conf.ctx.engine.db, { includeDeleted: true });
    const liveIds = all.filter((r) => !r.deleted).map((r) => r.entity_id).sort();
    expect(liveIds).toEqual([shared, during, whileDown].sort());
    // National, secret, draft and submitted records are nowhere on the confederation node, not even as ids.
    for (const id of [national, secret, draft.id, submitted.id]) expect(all.some((r) => r.entity_id === id)).toBe(false);
    const text = JSON.stringify(all);
    for (const id of [national, secret]) expect(text).not.toContain(id);
    for (const r of all.filter((x) => !x.deleted)) expect(r.version).toBe(await nationalVersion(r.entity_id));
  }, 120_000);

  it('tombstones records merged after being shared', async () => {
    const a = await validated({ sharing_scope: 'confederation' });
    const b = await validated({ sharing_scope: 'confederation' });
    await converge((m) => m.has(a) && m.has(b));
    await mergeIncident(mli.ctx, analyst, b, { into: a, version: 2 });
    const live = await converge((m) => m.get(b)?.deleted === 1);
    expect(live.get(b)?.reason).toBe('merged');
    expect(live.get(a)?.deleted).toBe(0);
  }, 120_000);

  it('applies each (id, origin seq) once: a crash before the cursor moved republishes, nothing is duplicated', async () => {
    const id = await validated({ sharing_scope: 'confederation' });
    await converge((m) => m.has(id));
    const before = await conf.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'federation.receive').executeTakeFirstOrThrow();
    // As if the node had been killed after publishing and before saving its cursor, days ago (past JetStream's dedup
    // window, which is therefore not given the message ids): everything goes again.
    await mli.ctx.engine.writeTransaction((trx) => resetCursor(trx, OUT_LINK));
    const again = await collectOutbound(mli.ctx, mliFed, mliKey, 0, 1000);
    for (const m of again.messages) await mliJs.publish(m.subject, m.data);
    await publishPending(mli.ctx, mliFed, mliKey, mliJs);
    let refused = 0;
    for (let i = 0; i < 40 && refused === 0; i++) refused += (await applyAvailable(conf.ctx, confFed, confJs, 1000, 100)).refused.filter((r) => r.reason === 'replay').length;
    expect(refused).toBeGreaterThan(0);
    const after = await conf.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'federation.receive').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await getCursor(mli.ctx.engine.db, OUT_LINK))?.last_seq).toBeGreaterThan(0);
  }, 120_000);

  it('refuses forged, tampered and replayed messages, and audits each refusal', async () => {
    const id = await validated({ sharing_scope: 'confederation' });
    await converge((m) => m.has(id));
    const forger = generateNodeKey();
    const base = { v: 1 as const, node: 'mli', type: 'incident', version: 9, deleted: false, sent_at: new Date().toISOString() };
    const forged = signEnvelope(forger, { ...base, seq: 1_000_000, id, record: { narrative: 'faux' } });
    const good = signEnvelope(mliKey, { ...base, seq: 1_000_001, id, record: { narrative: 'vrai' } });
    const tampered = { body: good.body.replace('vrai', 'faux'), sig: good.sig };
    const stale = signEnvelope(mliKey, { ...base, seq: 1, id, record: { narrative: 'ancien' } });
    const enc = (m: object) => new TextEncoder().encode(JSON.stringify(m));
    for (const m of [forged, tampered, stale]) await mliJs.publish(subjectOf('mli', 'incident', id), enc(m));
    // Someone on the national's NATS publishing about another node's object.
    await mliJs.publish(subjectOf('mli', 'incident', id).replace('vigie.mli.', 'vigie.mli.x.'), enc(good));
    const reasons: string[] = [];
    for (let i = 0; i < 40 && reasons.length < 4; i++) reasons.push(...(await applyAvailable(conf.ctx, confFed, confJs, 100, 100)).refused.map((r) => r.reason));
    expect(reasons.sort()).toEqual(['bad_signature', 'replay', 'subject_mismatch', 'unknown_key']);
    const held = (await listForeignObjects(conf.ctx.engine.db, { origin: 'mli' })).find((r) => r.entity_id === id)!;
    expect(JSON.parse(held.record!).narrative).not.toBe('faux');
    const audited = await conf.ctx.engine.db.selectFrom('audit_events').select('action').where('action', '=', 'federation.refuse').execute();
    expect(audited.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("the confederation's alerts reach the national node through the hub and the leaf; each server refuses a node publishing on another node's subject", async () => {
    const confKey = generateNodeKey();
    await addPeerKey(mli.ctx, SYSTEM, 'conf', confKey.publicPem);
    const confAnalyst = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const alert = await raiseFlashAlert(conf.ctx, confAnalyst, { title: 'Mouvements suspects vers Boni', areas: ['ML05'] });
    expect(await publishPending(conf.ctx, confFed, confKey, confJs)).toBeGreaterThan(0);
    let held: string[] = [];
    for (let i = 0; i < 100 && !held.includes(alert.id); i++) {
      const got = await applyAvailable(mli.ctx, mliFed, mliJs, 500, 100);
      expect(got.refused).toEqual([]);
      held = (await listForeignObjects(mli.ctx.engine.db, { origin: 'conf', type: 'alert' })).map((r) => r.entity_id);
    }
    expect(held).toEqual([alert.id]);

    // Each Vigie node's NATS user publishes only on its own subjects: the server refuses the rest (permissions).
    const refusedBy = async (nc: NatsConnection, subject: string) => {
      const seen: string[] = [];
      const watching = (async () => { for await (const st of nc.status()) if (st.type === 'error' && st.permissionContext) seen.push(`${st.permissionContext.operation} ${st.permissionContext.subject}`); })();
      nc.publish(subject, new TextEncoder().encode('{}'));
      for (let i = 0; i < 100 && !seen.length; i++) { await nc.flush(); await new Promise((r) => setTimeout(r, 20)); }
      void watching;
      return seen;
    };
    expect(await refusedBy(mliNc, 'vigie.conf.alert.forged')).toEqual(['publish vigie.conf.alert.forged']);
    expect(await refusedBy(mliNc, 'vigie.bfa.incident.forged')).toEqual(['publish vigie.bfa.incident.forged']);
    expect(await refusedBy(confNc, `vigie.mli.incident.${alert.id}`)).toEqual([`publish vigie.mli.incident.${alert.id}`]);
    // Nothing of it reached either node.
    const after = await applyAvailable(mli.ctx, mliFed, mliJs, 500, 100);
    expect(after.applied + after.refused.length).toBe(0);
  }, 120_000);
});

