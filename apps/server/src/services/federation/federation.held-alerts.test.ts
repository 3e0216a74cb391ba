/**
 * Confederation alerts held on a national node join its own in `GET /api/v1/alerts` (marked with their owner node and
 * read-only, visibility decided in SQL on the copy's level and scope), reach its live readers who may see them as they
 * arrive by replication, and count in the badge (the open list awaiting the state's acknowledgement).
 */
import type { FastifyInstance } from 'fastify';
import type { JetStreamClient } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/domain/alert.schema';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { raiseFlashAlert, subscribeAlerts } from '../alerts/alert.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { publishPending } from './federation-link.js';
import { addPeerKey, receiveMessages, type Received } from './federation.service.js';
import { acknowledgeForeignAlert } from './foreign-alerts.js';
import { generateNodeKey } from './signing.js';

describe.each(ENGINES)('held confederation alerts in the national alert list and live stream, on %s', (kind) => {
  let mli: TestVigie;
  let conf: TestVigie;
  let app: FastifyInstance;
  const confKey = generateNodeKey();
  const mliFed = fedConfig('mli', 'national');
  const confFed = fedConfig('conf', 'confederation', { peers: ['mli'], ceiling: 2 });
  let staff: Principal;
  let focal: Principal;
  let low: Principal;
  let focalClient: Client;
  let lowClient: Client;

  async function pass(): Promise<void> {
    const sent: Received[] = [];
    const js = { publish: async (subject: string, data: Uint8Array) => { sent.push({ subject, data }); return {}; } } as unknown as JetStreamClient;
    await publishPending(conf.ctx, confFed, confKey, js);
    if (sent.length) expect((await receiveMessages(mli.ctx, mliFed, sent)).refused).toEqual([]);
  }
  const list = async (c: Client, query = '') => (await c.get(`/api/v1/alerts?${query.includes('limit=') ? '' : 'limit=200'}${query}`)).json() as { items: Alert[]; total: number };

  beforeAll(async () => {
    [mli, conf] = await Promise.all([testVigie(kind), testVigie(kind)]);
    await addPeerKey(mli.ctx, SYSTEM, 'conf', confKey.publicPem);
    staff = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const f = await newUser(mli.ctx, { org: 'MLI', role: 'focal_point', clearance: 2 });
    const l = await newUser(mli.ctx, { org: 'MLI', role: 'analyst', clearance: 0 });
    [focal, low] = [f, l];
    app = await testApp(mli.ctx);
    focalClient = await signIn(app, f.login, f.password);
    lowClient = await signIn(app, l.login, l.password);
  });
  afterAll(async () => {
    await app.close();
    await tearDownFederation({ vigies: [mli, conf] });
  });

  it('lists held alerts with their owner, read-only, to the readers cleared for them, under the list’s filters', async () => {
    const own = await raiseFlashAlert(mli.ctx, focal, { title: 'Embuscade près de Douentza', areas: ['ML05'] });
    const restricted = await raiseFlashAlert(conf.ctx, staff, { title: 'Colonne armée vers Ménaka', areas: ['ML08'], severity: 'critical' });
    const pub = await raiseFlashAlert(conf.ctx, staff, { title: 'Manifestation annoncée à Bamako', areas: ['ML09'], classification: 'public', severity: 'low' });
    await pass();
    const seen = await list(focalClient);
    expect(seen.items.map((a) => a.id).sort()).toEqual([own.id, restricted.id, pub.id].sort());
    expect(seen.total).toBe(3);
    const held = seen.items.find((a) => a.id === restricted.id);
    expect([held?.origin_node, held?.read_only, held?.title]).toEqual(['conf', true, 'Colonne armée vers Ménaka']);
    expect(seen.items.find((a) => a.id === own.id)?.origin_node).toBeUndefined();
    // Newest first, whoever owns them.
    expect(seen.items.map((a) => a.created_at)).toEqual([...seen.items.map((a) => a.created_at)].sort().reverse());
    // The list's filters apply to held alerts too.
    expect((await list(focalClient, '&severity=critical')).items.map((a) => a.id)).toEqual([restricted.id]);
    expect((await list(focalClient, '&open=false')).items).toEqual([]);
    // A public-clearance reader sees the public one only (SQL on the copy's level).
    expect((await list(lowClient)).items.map((a) => a.id)).toEqual([pub.id]);
    // Paged: two pages of one hold two different alerts.
    const [p1, p2] = [await list(focalClient, '&limit=1'), await list(focalClient, '&limit=1&offset=1')];
    expect(p1.items[0]?.id).not.toBe(p2.items[0]?.id);
  });

  it('counts a held alert awaiting the state until the state acknowledges it (the badge’s open list)', async () => {
    const alert = await raiseFlashAlert(conf.ctx, staff, { title: 'Tirs signalés à Léré', areas: ['ML07'] });
    await pass();
    const awaiting = (a?: Alert) => a?.states.some((s) => s.state === 'MLI' && !s.acknowledged_at);
    expect(awaiting((await list(focalClient, '&open=true')).items.find((a) => a.id === alert.id))).toBe(true);
    await acknowledgeForeignAlert(mli.ctx, focal, mliFed, alert.id, { note: 'Reçu, patrouille envoyée' });
    expect(awaiting((await list(focalClient, '&open=true')).items.find((a) => a.id === alert.id))).toBe(false);
  });

  it('delivers a held alert live, as it arrives by replication, to the readers who may see it only', async () => {
    const got: { focal: Alert[]; low: Alert[] } = { focal: [], low: [] };
    let tell: Record<'focal' | 'low', ((a: Alert) => void) | null> = { focal: null, low: null };
    const next = (who: 'focal' | 'low', id: string) => new Promise<Alert>((resolve) => {
      const found = got[who].find((a) => a.id === id);
      if (found) resolve(found);
      else tell = { ...tell, [who]: (a: Alert) => { if (a.id === id) resolve(a); } };
    });
    const stops = (['focal', 'low'] as const).map((who) => subscribeAlerts(mli.ctx, who === 'focal' ? focal : low, (_c, a) => { got[who].push(a); tell[who]?.(a); }));
    try {
      const restricted = await raiseFlashAlert(conf.ctx, staff, { title: 'Attaque contre un poste à Boni', areas: ['ML05'] });
      const waitFocal = next('focal', restricted.id);
      await pass();
      expect(await waitFocal).toMatchObject({ id: restricted.id, origin_node: 'conf', read_only: true });
      const pub = await raiseFlashAlert(conf.ctx, staff, { title: 'Route nationale fermée', areas: ['ML09'], classification: 'public' });
      const waitLow = next('low', pub.id);
      await pass();
      await waitLow;
      // The public-clearance reader got the public alert, never the restricted one that arrived before it.
      expect(got.low.map((a) => a.id)).not.toContain(restricted.id);
    } finally {
      for (const stop of stops) stop();
    }
  });
});
