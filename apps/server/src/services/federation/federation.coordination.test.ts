/**
 * Meetings, decisions and actions across the link (docs/federation.md): a copy carries its level, the link's ceiling
 * applies to it (nothing above leaves), the national node shows it only to readers cleared for it (SQL), and a
 * re-classification above the ceiling at the confederation withdraws the copies from the link — the meeting and what
 * its raise carried along — until they may go again.
 */
import type { JetStreamClient } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { addAction, addDecision, createMeeting } from '../coordination/coordination.service.js';
import { reclassifyCoordination } from '../coordination/coordination-classification.js';
import { SYSTEM, type Principal } from '../principal.js';
import { publishPending } from './federation-link.js';
import { addPeerKey, receiveMessages, type Received } from './federation.service.js';
import { listHeldObjects } from './held-objects.js';
import { generateNodeKey } from './signing.js';

describe.each(ENGINES)('classification of coordination objects across the link, on %s', (kind) => {
  let mli: TestVigie;
  let conf: TestVigie;
  const confKey = generateNodeKey();
  const mliFed = fedConfig('mli', 'national');
  // The link carries nothing above Restricted.
  const confFed = fedConfig('conf', 'confederation', { peers: ['mli'], ceiling: 1 });
  let staff: Principal;
  let focal: Principal;
  let publicReader: Principal;

  async function pass(): Promise<{ id: string; deleted: boolean; reason?: string; level?: string }[]> {
    const sent: Received[] = [];
    const js = { publish: async (subject: string, data: Uint8Array) => { sent.push({ subject, data }); return {}; } } as unknown as JetStreamClient;
    await publishPending(conf.ctx, confFed, confKey, js);
    if (sent.length) expect((await receiveMessages(mli.ctx, mliFed, sent)).refused).toEqual([]);
    return sent.map((m) => {
      const env = JSON.parse(JSON.parse(new TextDecoder().decode(m.data)).body) as { id: string; deleted: boolean; reason?: string; record?: { classification?: string } };
      return { id: env.id, deleted: env.deleted, ...(env.reason ? { reason: env.reason } : {}), ...(env.record?.classification ? { level: env.record.classification } : {}) };
    });
  }
  const held = async (who: Principal, type: 'meeting' | 'decision' | 'action') => (await listHeldObjects(mli.ctx, who, { type })).items.map((i) => i.id);

  beforeAll(async () => {
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    await addPeerKey(mli.ctx, SYSTEM, 'conf', confKey.publicPem);
    staff = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    focal = await newUser(mli.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    publicReader = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 0 });
  });
  afterAll(async () => {
    await tearDownFederation({ vigies: [mli, conf] });
  });

  it('sends copies with their level, never one above the ceiling, and withdraws a meeting and its raised decisions and actions', async () => {
    const m = await createMeeting(conf.ctx, staff, { title: 'Conseil des ministres de la défense', date: '2026-11-20', place: 'Bamako', states: ['MLI'] });
    const d = await addDecision(conf.ctx, staff, m.id, { text: 'Patrouilles conjointes dans le Liptako-Gourma' });
    const a = await addAction(conf.ctx, staff, d.id, { title: 'Planifier les patrouilles', owner_state: 'MLI', due_date: '2026-12-15' });
    const secretDecision = await addDecision(conf.ctx, staff, m.id, { text: 'Plan de renseignement commun', classification: 'secret' });
    const sent = await pass();
    expect(sent.map((s) => [s.id, s.level])).toEqual([[m.id, 'restricted'], [d.id, 'restricted'], [a.id, 'restricted']]);
    // The secret decision never crossed, not even its id.
    expect(JSON.stringify(await listForeignObjects(mli.ctx.engine.db, { includeDeleted: true }))).not.toContain(secretDecision.id);
    // Held copies are read under the same rule: the restricted reader sees them, the public-clearance reader does not.
    expect([await held(focal, 'meeting'), await held(focal, 'action')]).toEqual([[m.id], [a.id]]);
    expect([await held(publicReader, 'meeting'), await held(publicReader, 'action')]).toEqual([[], []]);

    // Raised to Confidential at the confederation: the meeting, its decision and its action leave the link.
    await reclassifyCoordination(conf.ctx, staff, 'meeting', m.id, { classification: 'confidential' });
    const out = await pass();
    expect(out.map((s) => [s.id, s.deleted, s.reason]).sort()).toEqual([[m.id, true, 'withdrawn'], [d.id, true, 'withdrawn'], [a.id, true, 'withdrawn']].sort());
    expect([await held(focal, 'meeting'), await held(focal, 'decision'), await held(focal, 'action')]).toEqual([[], [], []]);
    expect(await pass()).toEqual([]);

    // Back to Restricted (a reason given), the meeting goes again; its decision and action, still Confidential, do not.
    await reclassifyCoordination(conf.ctx, staff, 'meeting', m.id, { classification: 'restricted', change_reason: 'procès-verbal diffusé aux États' });
    expect((await pass()).map((s) => [s.id, s.level])).toEqual([[m.id, 'restricted']]);
    expect([await held(focal, 'meeting'), await held(focal, 'action')]).toEqual([[m.id], []]);
    await reclassifyCoordination(conf.ctx, staff, 'decision', d.id, { classification: 'restricted', change_reason: 'diffusée' });
    await reclassifyCoordination(conf.ctx, staff, 'action', a.id, { classification: 'restricted', change_reason: 'diffusée' });
    expect((await pass()).map((s) => s.id)).toEqual([d.id, a.id]);
    expect(await held(focal, 'action')).toEqual([a.id]);
    // A public meeting reaches the public-clearance reader.
    await reclassifyCoordination(conf.ctx, staff, 'meeting', m.id, { classification: 'public', change_reason: 'communiqué' });
    await pass();
    expect(await held(publicReader, 'meeting')).toEqual([m.id]);
  });
});
