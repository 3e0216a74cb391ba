/**
 * One failing message does not stall its link (docs/federation.md), with the real engine: a hub nats-server and a
 * national leaf on free loopback ports, the confederation's link running. Between good records the national node's
 * stream carries a message that cannot be applied (a bad payload; a constraint failure): the records after it arrive
 * all the same, the bad one is parked after bounded retries, audited, listed for an administrator (API and page), who
 * retries it (still failing: one more attempt, the new error) or discards it (audited).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { FastifyInstance } from 'fastify';
import type { JetStreamClient, NatsConnection } from 'nats';
import { FEDERATION_ERROR_TEXT } from '@vigie/domain/federation-errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { runVigie } from '../../test-support/cli.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { importIncidents } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import { MAX_ATTEMPTS } from './dead-letters.js';
import type { FederationConfig } from './federation-config.js';
import { connectNats, ensureNationalStream, publishPending, startFederation, type FederationNode } from './federation-link.js';
import { addPeerKey, collectOutbound, signedOutbound } from './federation.service.js';
import { startTopology, type Topology } from './nats-topology.js';
import { generateNodeKey, type NodeKey } from './signing.js';

const fedOf = (node: string, role: FederationConfig['role'], natsUrl: string, o: Partial<FederationConfig> = {}) => fedConfig(node, role, { natsUrl, ...o });

describe.each(ENGINES)('dead letters on %s, with real NATS', (kind) => {
  let dir: string;
  let topo: Topology;
  let mli: TestVigie;
  let conf: TestVigie;
  let mliFed: FederationConfig;
  let mliKey: NodeKey;
  let mliNc: NatsConnection;
  let mliJs: JetStreamClient;
  let link: FederationNode;
  let app: FastifyInstance;
  let admin: Client;

  /** Validated records shared with the confederation on the national node, published. */
  async function shared(n: number): Promise<string[]> {
    const bodies = Array.from({ length: n }, () => newIncident({ sharing_scope: 'confederation', state: 'MLI' }));
    await importIncidents(mli.ctx, SYSTEM, bodies.map((input) => ({ input, options: { reportingState: 'MLI', status: 'validated' as const } })));
    await publishPending(mli.ctx, mliFed, mliKey, mliJs);
    return bodies.map((b) => b.id);
  }

  /** A message signed by the national node (so not refused) whose record cannot be written. */
  async function publishBad(record: Record<string, unknown>): Promise<string> {
    const id = String(record.id);
    const m = signedOutbound(mliFed, mliKey, { seq: 9_000_000 + Math.floor(Math.random() * 1000), type: 'incident', id, version: 1, deleted: false, record });
    await mliJs.publish(m.subject, m.data);
    return m.subject;
  }

  const heldAtConf = async () => new Set((await listForeignObjects(conf.ctx.engine.db, { origin: 'mli' })).map((r) => r.entity_id));
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    for (const end = Date.now() + 60_000; Date.now() < end;) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out: ${what}`);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-dead-'));
    topo = await startTopology(dir, ['mli']);
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    const leaf = topo.leaves.get('mli')!;
    mliFed = fedOf('mli', 'national', leaf.url, { natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password });
    const confFed = fedOf('conf', 'confederation', topo.hub.url, { peers: ['mli'], ceiling: 3, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password });
    mliKey = generateNodeKey();
    await addPeerKey(conf.ctx, SYSTEM, 'mli', mliKey.publicPem);
    mliNc = await connectNats(mliFed);
    await ensureNationalStream(await mliNc.jetstreamManager(), mliFed);
    mliJs = mliNc.jetstream();
    link = await startFederation(conf.ctx, confFed, generateNodeKey());
    app = await testApp(conf.ctx);
    const m = await newUser(conf.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
    admin = await signIn(app, m.login, m.password);
    const { secret } = (await admin.post('/api/v1/auth/totp/setup')).json() as { secret: string };
    await admin.post('/api/v1/auth/totp/confirm', { code: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate() });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await tearDownFederation({ nodes: [link], connections: [mliNc], topo, vigies: [mli, conf], dir });
  }, 60_000);

  it('applies the records after a message that cannot be applied, parks it after bounded retries, and lets an administrator retry or discard it', async () => {
    const before = await shared(2);
    await until('the first records', async () => (await heldAtConf()).size === 2);
    // A bad payload (a record with none of its fields) and a constraint failure (a record without its date).
    const good = (await collectOutbound(mli.ctx, mliFed, mliKey, 0, 10)).messages[0]!;
    const real = (JSON.parse(JSON.parse(new TextDecoder().decode(good.data)).body) as { record: Record<string, unknown> }).record;
    const badId = '0b0b0b0b-0000-4000-8000-000000000001';
    const nullId = '0b0b0b0b-0000-4000-8000-000000000002';
    const badSubject = await publishBad({ id: badId, classification: 'restricted', sharing_scope: 'confederation' });
    const nullSubject = await publishBad({ ...real, id: nullId, occurred_start: null, version: 1 });
    const after = await shared(3);

    // The records after the bad ones arrive; the bad ones are parked, each after MAX_ATTEMPTS attempts.
    await until('the records after the bad messages', async () => (await heldAtConf()).size === 5);
    expect([...(await heldAtConf())].sort()).toEqual([...before, ...after].sort());
    const list = (await admin.get('/api/v1/federation/dead-letters')).json() as { items: { id: string; subject: string; attempts: number; status: string; origin_node: string; entity_id: string; code: string; message: { fr: string; en: string }; error: string }[] };
    expect(list.items.map((d) => [d.subject, d.attempts, d.status, d.origin_node]).sort()).toEqual([[badSubject, MAX_ATTEMPTS, 'parked', 'mli'], [nullSubject, MAX_ATTEMPTS, 'parked', 'mli']].sort());
    // Each says why in a stable code, classified where it failed, with the catalogue's text; the raw error stays as detail.
    const byId = new Map(list.items.map((d) => [d.entity_id, d]));
    expect(byId.get(badId)).toMatchObject({ code: 'schema_mismatch', message: { fr: FEDERATION_ERROR_TEXT.fr.schema_mismatch, en: FEDERATION_ERROR_TEXT.en.schema_mismatch } });
    expect(byId.get(nullId)).toMatchObject({ code: 'constraint_violation', message: { fr: FEDERATION_ERROR_TEXT.fr.constraint_violation, en: FEDERATION_ERROR_TEXT.en.constraint_violation } });
    for (const d of list.items) expect(d.error.length).toBeGreaterThan(0);
    const parkedAudit = await conf.ctx.engine.db.selectFrom('audit_events').select(['object_id']).where('action', '=', 'federation.park').execute();
    expect(parkedAudit.map((a) => a.object_id).sort()).toEqual([badId, nullId].sort());
    // Nothing of them was written.
    expect(await conf.ctx.engine.db.selectFrom('incidents').select('id').where('id', 'in', [badId, nullId]).execute()).toEqual([]);

    // The same list from the command line.
    const cli = await runVigie(conf.url, ['federation', 'dead-letters', 'list', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { entity_id: string; attempts: number; code: string }[]).map((d) => [d.entity_id, d.attempts, d.code]).sort()).toEqual([[badId, MAX_ATTEMPTS, 'schema_mismatch'], [nullId, MAX_ATTEMPTS, 'constraint_violation']].sort());
    const text = await runVigie(conf.url, ['federation', 'dead-letters', 'list']);
    expect(text.stdout).toContain(`[constraint_violation] ${FEDERATION_ERROR_TEXT.fr.constraint_violation}`);
    expect(text.stdout).toContain(FEDERATION_ERROR_TEXT.en.constraint_violation);

    // A retry that fails again: still parked, one more attempt, audited.
    const bad = list.items.find((d) => d.entity_id === badId)!;
    const retried = await admin.post(`/api/v1/federation/dead-letters/${bad.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'parked', attempts: MAX_ATTEMPTS + 1, code: 'schema_mismatch' });
    // Discarded: out of the parked list, in the discarded one; audited.
    const discarded = await runVigie(conf.url, ['federation', 'dead-letters', 'discard', bad.id]);
    expect([discarded.code, discarded.stdout.trim()]).toEqual([0, `${bad.id} : abandonné / discarded`]);
    expect((await admin.post(`/api/v1/federation/dead-letters/${bad.id}/discard`)).statusCode).toBe(409);
    const parked = (await admin.get('/api/v1/federation/dead-letters')).json() as { items: { entity_id: string }[] };
    expect(parked.items.map((d) => d.entity_id)).toEqual([nullId]);
    expect(((await admin.get('/api/v1/federation/dead-letters?status=discarded')).json() as { items: { id: string }[] }).items.map((d) => d.id)).toEqual([bad.id]);
    const audited = await conf.ctx.engine.db.selectFrom('audit_events').select(['action', 'object_id']).where('action', 'in', ['federation.dead_letter_retry', 'federation.dead_letter_discard']).orderBy('seq').execute();
    expect(audited.map((a) => [a.action, a.object_id])).toEqual([['federation.dead_letter_retry', badId], ['federation.dead_letter_discard', badId]]);
    expect((await admin.get('/api/v1/federation/dead-letters?status=nonsense')).statusCode).toBe(400);

    // The owner sends a corrected version, applied; retrying the parked one then resolves it (refused as stale).
    const letter = ((await admin.get('/api/v1/federation/dead-letters')).json() as { items: { id: string }[] }).items[0]!;
    const fixed = signedOutbound(mliFed, mliKey, { seq: 9_100_000, type: 'incident', id: nullId, version: 2, deleted: false, record: { ...real, id: nullId, version: 2 } });
    await mliJs.publish(fixed.subject, fixed.data);
    await until('the corrected version', async () => (await heldAtConf()).has(nullId));
    const resolved = (await admin.post(`/api/v1/federation/dead-letters/${letter.id}/retry`)).json() as { status: string; result: { applied: number; refused: { reason: string }[] } };
    expect(resolved).toMatchObject({ status: 'applied', code: 'replay', result: { applied: 0, refused: [{ reason: 'replay' }] } });
    expect(((await admin.get('/api/v1/federation/dead-letters')).json() as { items: unknown[] }).items).toEqual([]);
  }, 180_000);
});
