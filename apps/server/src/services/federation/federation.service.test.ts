/** Federation without the transport: what leaves a national node over a link, and how a receiver applies it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { fedConfig } from '../../test-support/federation-harness.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { assignIncident, validateIncident } from '../incidents/incident-workflow.js';
import { createIncident, patchIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { addPeerKey, collectOutbound, receiveMessages, requireOwned, revokePeerKey } from './federation.service.js';
import { generateNodeKey, type NodeKey } from './signing.js';

const fed = (node: string, o: Partial<FederationConfig> = {}) => fedConfig(node, o.role, o);

describe.each(ENGINES)('federation messages on %s', (kind) => {
  let mli: TestVigie;
  let conf: TestVigie;
  let analyst: Principal;
  let key: NodeKey;
  const mliFed = fed('mli');
  const confFed = fed('conf', { role: 'confederation', peers: ['mli'], ceiling: 3 });

  async function validated(o: Parameters<typeof newIncident>[0] = {}) {
    const body = newIncident(o);
    await createIncident(mli.ctx, analyst, body);
    await assignIncident(mli.ctx, analyst, body.id, true);
    await validateIncident(mli.ctx, analyst, body.id, { version: 1 });
    return body.id;
  }
  const send = async (since = 0) => {
    const page = await collectOutbound(mli.ctx, mliFed, key, since, 1000);
    return { page, result: await receiveMessages(conf.ctx, confFed, page.messages) };
  };

  beforeAll(async () => {
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    analyst = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    key = generateNodeKey();
    await addPeerKey(conf.ctx, SYSTEM, 'mli', key.publicPem);
  });
  afterAll(async () => { await mli.drop(); await conf.drop(); });

  it('sends what a confederation reader cleared at the link ceiling sees, and tombstones what leaves that view', async () => {
    const shared = await validated();
    const national = await validated({ sharing_scope: 'national' });
    const secret = await validated({ classification: 'secret' });
    const confidential = await validated({ classification: 'confidential' }); // above the ceiling (restricted)
    const submitted = newIncident();
    await createIncident(mli.ctx, analyst, submitted);
    const first = await send();
    expect(first.page.messages.map((m) => m.subject)).toEqual([`vigie.mli.incident.${shared}`]);
    expect(first.result.applied).toBe(1);
    for (const id of [national, secret, confidential, submitted.id]) expect(first.page.messages.some((m) => new TextDecoder().decode(m.data).includes(id))).toBe(false);

    await patchIncident(mli.ctx, analyst, shared, { version: 2, classification: 'confidential' }); // reclassified above the ceiling
    const second = await send(first.page.next);
    expect(second.result.applied).toBe(1);
    const held = await listForeignObjects(conf.ctx.engine.db, { includeDeleted: true });
    expect(held).toMatchObject([{ entity_id: shared, origin_node: 'mli', deleted: 1, reason: 'hidden' }]);
    // Applying the same page again changes nothing: each (id, origin seq) is applied once.
    const again = await receiveMessages(conf.ctx, confFed, second.page.messages);
    expect(again).toMatchObject({ applied: 0, refused: [{ reason: 'replay' }] });
  });

  it('in one batch, applies the messages whose signature holds and refuses a tampered one beside them', async () => {
    const [a, b] = [await validated({ sharing_scope: 'confederation' }), await validated({ sharing_scope: 'confederation' })];
    const page = await collectOutbound(mli.ctx, mliFed, key, 0, 1000);
    const mine = page.messages.filter((m) => m.subject.endsWith(a) || m.subject.endsWith(b));
    const tamper = (data: Uint8Array) => {
      const signed = JSON.parse(new TextDecoder().decode(data)) as { body: string; sig: string };
      const body = signed.body.replace(/"narrative":"[^"]*"/, '"narrative":"falsifié"');
      return new TextEncoder().encode(JSON.stringify({ ...signed, body }));
    };
    const batch = mine.map((m) => (m.subject.endsWith(b) ? { ...m, data: tamper(m.data) } : m));
    const result = await receiveMessages(conf.ctx, confFed, batch);
    expect(result.applied).toBe(1);
    expect(result.refused).toEqual([{ subject: mine.find((m) => m.subject.endsWith(b))!.subject, reason: 'bad_signature', node: 'mli' }]);
    const held = new Set((await listForeignObjects(conf.ctx.engine.db, { origin: 'mli' })).map((r) => r.entity_id));
    expect(held.has(a)).toBe(true);
    expect(held.has(b)).toBe(false);
  });

  it('refuses messages signed by a revoked key; a foreign object cannot be edited here', async () => {
    const id = await validated();
    await revokePeerKey(conf.ctx, SYSTEM, 'mli', key.keyId);
    const out = await collectOutbound(mli.ctx, mliFed, key, 0, 1000);
    const result = await receiveMessages(conf.ctx, confFed, out.messages.filter((m) => m.subject.endsWith(id)));
    expect(result.refused.map((r) => r.reason)).toEqual(['revoked_key']);
    key = generateNodeKey(); // rotated: the new key is registered, the same message is then accepted
    await addPeerKey(conf.ctx, SYSTEM, 'mli', key.publicPem);
    const retry = await collectOutbound(mli.ctx, mliFed, key, 0, 1000);
    expect((await receiveMessages(conf.ctx, confFed, retry.messages.filter((m) => m.subject.endsWith(id)))).applied).toBe(1);
    await expect(requireOwned(conf.ctx, 'incident', id)).rejects.toMatchObject({ status: 403, extra: { owner: 'mli' } });
  });
});
