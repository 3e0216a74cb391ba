/**
 * Withdrawing (docs/federation.md): a confederation strategy re-classified above the link's ceiling is withdrawn from
 * the national node — its copy, its parts and what hangs from them there are gone, not left stale — and comes back
 * once it may go again. A strategy never sent over the link is never named on it, not even by a tombstone.
 */
import type { JetStreamClient } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForeignObjects } from '../../repositories/federation.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { SYSTEM, type Principal } from '../principal.js';
import { addAxis, addIndicator, addObjective, createStrategy, getStrategy, patchStrategy } from '../strategy/strategy.service.js';
import { enterValue } from '../strategy/strategy.values.service.js';
import type { FederationConfig } from './federation-config.js';
import { getAlert, raiseFlashAlert, reclassifyAlert } from '../alerts/alert.service.js';
import { publishPending, publishStrategies } from './federation-link.js';
import { acknowledgeForeignAlert } from './foreign-alerts.js';
import { addPeerKey, receiveMessages, type Received } from './federation.service.js';
import { listHeldObjects } from './held-objects.js';
import { generateNodeKey } from './signing.js';

const fed = (node: string, o: Partial<FederationConfig> = {}) => fedConfig(node, o.role, o);

describe.each(ENGINES)('withdrawing a strategy re-classified above the link ceiling, on %s', (kind) => {
  let mli: TestVigie;
  let conf: TestVigie;
  const confKey = generateNodeKey();
  const mliFed = fed('mli');
  // The link carries nothing above Restricted.
  const confFed = fed('conf', { role: 'confederation', peers: ['mli'], ceiling: 1 });
  let analyst: Principal;
  let focal: Principal;
  const sentDigests = new Map<string, string>();

  /** One publishing pass of the confederation (the real functions, over a JetStream stand-in), applied at the national node. */
  async function pass(): Promise<{ sent: Received[]; applied: number }> {
    const sent: Received[] = [];
    const js = { publish: async (subject: string, data: Uint8Array) => { sent.push({ subject, data }); return {}; } } as unknown as JetStreamClient;
    await publishPending(conf.ctx, confFed, confKey, js);
    await publishStrategies(conf.ctx, confFed, confKey, js, sentDigests);
    const r = sent.length ? await receiveMessages(mli.ctx, mliFed, sent) : { applied: 0, refused: [] };
    expect(r.refused).toEqual([]);
    return { sent, applied: r.applied };
  }

  beforeAll(async () => {
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    await addPeerKey(mli.ctx, SYSTEM, 'conf', confKey.publicPem);
    analyst = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    focal = await newUser(mli.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
  });
  afterAll(async () => {
    await tearDownFederation({ vigies: [mli, conf] });
  });

  it('removes the national copy when the strategy goes above the ceiling, and sends it again once it is back under', async () => {
    const s = await createStrategy(conf.ctx, analyst, { code: 'SC-2027', title_fr: 'Stratégie commune 2027', title_en: 'Common strategy 2027', valid_from: '2027-01-01', valid_to: '2027-12-31' });
    const axis = await addAxis(conf.ctx, analyst, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians' });
    const obj = await addObjective(conf.ctx, analyst, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    const ind = await addIndicator(conf.ctx, analyst, obj.id, {
      code: 'I1', name_fr: 'Communes couvertes (%)', name_en: 'Communes covered (%)', unit: 'percent', direction: 'increase', frequency: 'quarter', source: 'manual',
      targets: [{ period: '2027-Q1', state: 'MLI', value: 50 }],
    });
    const secret = await createStrategy(conf.ctx, analyst, { code: 'SC-RENS', title_fr: 'Plan de renseignement', title_en: 'Intelligence plan', valid_from: '2027-01-01', valid_to: '2027-12-31', classification: 'secret' });

    expect((await pass()).applied).toBe(1);
    expect((await getStrategy(mli.ctx, focal, s.id)).axes[0]?.objectives[0]?.indicators[0]?.code).toBe('I1');
    await enterValue(mli.ctx, focal, ind.id, { period: '2027-Q1', value: 20 });

    // Re-classified Confidential: above what the link carries.
    await patchStrategy(conf.ctx, analyst, s.id, { version: 1, classification: 'confidential' });
    const out = await pass();
    expect(out.applied).toBe(1);
    const tombstone = JSON.parse(JSON.parse(new TextDecoder().decode(out.sent[0]!.data)).body) as { deleted: boolean; reason: string; record?: unknown };
    expect([out.sent.length, tombstone.deleted, tombstone.reason, tombstone.record]).toEqual([1, true, 'withdrawn', undefined]);
    // Nothing of it stays at the national node: not in its strategy tables, not among the objects it lists as held.
    await expect(getStrategy(mli.ctx, focal, s.id)).rejects.toMatchObject({ status: 404 });
    const db = mli.ctx.engine.db;
    for (const table of ['strategy_axes', 'strategy_objectives', 'strategy_indicators'] as const) expect(await db.selectFrom(table).select('id').where('strategy_id', '=', s.id).execute()).toEqual([]);
    expect(await db.selectFrom('indicator_targets').select('value').where('indicator_id', '=', ind.id).execute()).toEqual([]);
    expect(await db.selectFrom('indicator_values').select('id').where('indicator_id', '=', ind.id).execute()).toEqual([]);
    expect((await listHeldObjects(mli.ctx, focal, { type: 'strategy' })).items).toEqual([]);
    const held = (await listForeignObjects(db, { type: 'strategy', includeDeleted: true })).find((r) => r.entity_id === s.id);
    expect([held?.deleted, held?.reason, held?.record]).toEqual([1, 'withdrawn', null]);
    const audited = await db.selectFrom('audit_events').select('details').where('action', '=', 'federation.receive').where('object_id', '=', s.id).execute();
    expect(audited.length).toBe(2);

    // Withdrawn once: the next pass sends nothing.
    expect((await pass()).sent).toEqual([]);
    // Back under the ceiling: sent again, held again.
    await patchStrategy(conf.ctx, analyst, s.id, { version: 2, classification: 'restricted' });
    expect((await pass()).applied).toBe(1);
    expect((await getStrategy(mli.ctx, focal, s.id)).version).toBe(3);
    // The secret strategy never crossed the link, not even its id.
    const everything = JSON.stringify(await listForeignObjects(db, { includeDeleted: true }));
    expect(everything).not.toContain(secret.id);
  });

  it('withdraws an alert from the change log once the link may no longer see it; the national state can no longer answer it', async () => {
    const alert = await raiseFlashAlert(conf.ctx, analyst, { title: 'Colonne armée signalée vers Ménaka', areas: ['ML05'] });
    await pass();
    expect((await listHeldObjects(mli.ctx, focal, { type: 'alert' })).items.map((i) => i.id)).toContain(alert.id);
    // Re-classified Secret at its owner (PATCH /api/v1/alerts/:id): audited, one change entry.
    await reclassifyAlert(conf.ctx, analyst, alert.id, { classification: 'secret' });
    const audited = await conf.ctx.engine.db.selectFrom('audit_events').select(['details', 'classification_level']).where('action', '=', 'alert.reclassify').where('object_id', '=', alert.id).execute();
    expect(audited.map((a) => [JSON.parse(a.details), Number(a.classification_level)])).toEqual([[{ from: 'restricted', to: 'secret' }, 3]]);
    const out = await pass();
    const bodies = out.sent.map((m) => JSON.parse(JSON.parse(new TextDecoder().decode(m.data)).body) as { id: string; deleted: boolean; reason: string; record?: unknown });
    expect(bodies.map((b) => [b.id, b.deleted, b.reason, b.record])).toEqual([[alert.id, true, 'withdrawn', undefined]]);
    expect((await listHeldObjects(mli.ctx, focal, { type: 'alert' })).items.map((i) => i.id)).not.toContain(alert.id);
    await expect(acknowledgeForeignAlert(mli.ctx, focal, mliFed, alert.id, {})).rejects.toMatchObject({ status: 404 });
    // Withdrawn once.
    expect((await pass()).sent).toEqual([]);
    // Back under the ceiling: sent again, answerable again.
    await reclassifyAlert(conf.ctx, analyst, alert.id, { classification: 'restricted' });
    expect((await pass()).applied).toBe(1);
    expect((await listHeldObjects(mli.ctx, focal, { type: 'alert' })).items.map((i) => i.id)).toContain(alert.id);
  });

  it('shows a held alert only to readers cleared for it (in SQL), and refuses a re-classification above the editor’s clearance or to no known level', async () => {
    const alert = await raiseFlashAlert(conf.ctx, analyst, { title: 'Mouvements signalés près de Tessalit', areas: ['ML08'], classification: 'public' });
    await pass();
    const reader = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 0 });
    expect((await listHeldObjects(mli.ctx, reader, { type: 'alert' })).items.map((i) => i.id)).toContain(alert.id);
    await reclassifyAlert(conf.ctx, analyst, alert.id, { classification: 'restricted' });
    expect((await pass()).applied).toBe(1);
    expect((await listHeldObjects(mli.ctx, reader, { type: 'alert' })).items.map((i) => i.id)).not.toContain(alert.id);
    expect((await listHeldObjects(mli.ctx, focal, { type: 'alert', id: alert.id })).items.map((i) => i.id)).toEqual([alert.id]);
    const low = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 1 });
    await expect(reclassifyAlert(conf.ctx, low, alert.id, { classification: 'secret' })).rejects.toMatchObject({ status: 400, errors: [{ field: 'classification' }] });
    await expect(reclassifyAlert(conf.ctx, analyst, alert.id, { classification: 'top' as never })).rejects.toThrow(/classification/);
    expect((await getAlert(conf.ctx, analyst, alert.id)).classification).toBe('restricted');
  });

  it('refuses a re-classification above the editor’s own clearance, naming the field', async () => {
    const low = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 1 });
    const s = await createStrategy(conf.ctx, analyst, { code: 'SC-2028', title_fr: 'Stratégie 2028', title_en: 'Strategy 2028', valid_from: '2028-01-01', valid_to: '2028-12-31' });
    await expect(patchStrategy(conf.ctx, low, s.id, { version: 1, classification: 'secret' })).rejects.toMatchObject({ status: 400, errors: [{ field: 'classification' }] });
    expect((await getStrategy(conf.ctx, analyst, s.id)).classification).toBe('restricted');
  });
});
