/**
 * Confederation alerts held on a national node join its own in `GET /api/v1/alerts` (marked with their owner node and
 * read-only, visibility decided in SQL on the copy's level and scope), open on `GET /api/v1/alerts/:id` for whoever
 * may see them, reach its live readers who may see them as they arrive by replication — and leave them live when
 * withdrawn — count in the badge (the open list awaiting the state's acknowledgement), and tell the readers concerned
 * in their inbox, as an alert issued on the node would.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { JetStreamClient } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/domain/alert.schema';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { fedConfig, tearDownFederation } from '../../test-support/federation-harness.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { openAlertStream, type SseEvent, type SseStream } from '../../test-support/sse.js';
import { closeAlert, raiseFlashAlert, reclassifyAlert, subscribeAlerts } from '../alerts/alert.service.js';
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
  let port: number;
  let sent: Received[] = [];

  async function pass(): Promise<void> {
    sent = [];
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
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
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

  it('opens a held alert on its page for whoever may see it in the list, read-only with its owner, and is a 404 to anyone else', async () => {
    const alert = await raiseFlashAlert(conf.ctx, staff, { title: 'Pont coupé à Gao', areas: ['ML07'] });
    await pass();
    const res = await focalClient.get(`/api/v1/alerts/${alert.id}`);
    expect(res.statusCode).toBe(200);
    const read = res.json() as Alert;
    expect([read.id, read.title, read.origin_node, read.read_only, read.classification]).toEqual([alert.id, 'Pont coupé à Gao', 'conf', true, 'restricted']);
    // Not cleared for it: the same answer as for an alert that does not exist, nothing of its existence.
    const nowhere = '0195f0a0-0000-7000-8000-000000000000';
    const hidden = await lowClient.get(`/api/v1/alerts/${alert.id}`);
    const unknown = await lowClient.get(`/api/v1/alerts/${nowhere}`);
    expect([hidden.statusCode, unknown.statusCode]).toEqual([404, 404]);
    // The same problem, word for word, the id aside (each answer has its own request id).
    const shape = (r: typeof hidden, id: string) => { const { request_id: _r, ...rest } = r.json() as Record<string, unknown>; return JSON.stringify(rest).replaceAll(id, ':id'); };
    expect(shape(hidden, alert.id)).toBe(shape(unknown, nowhere));
    // Read-only here: changing it through the node's own alert routes is refused, naming the owner.
    expect((await focalClient.post(`/api/v1/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(403);
    // Withdrawn by its owner (re-classified above the link's ceiling): gone from the page too.
    await reclassifyAlert(conf.ctx, staff, alert.id, { classification: 'secret' });
    await pass();
    expect((await focalClient.get(`/api/v1/alerts/${alert.id}`)).statusCode).toBe(404);
  });

  it('tells the live readers who could see a held alert that it is gone when withdrawn or re-classified above them, and nobody else', async () => {
    type Live = SseEvent<{ id: string; origin_node?: string; read_only?: boolean }>;
    const [forFocal, forLow] = [await openAlertStream<Live['data']>(port, focalClient.cookie), await openAlertStream<Live['data']>(port, lowClient.cookie)];
    /** Reads a stream until an event matching `event` and `id` arrives; returns every event read, that one last. */
    const until = async (stream: SseStream<Live['data']>, event: string, id: string): Promise<Live[]> => {
      const seen: Live[] = [];
      for (;;) {
        const e = await stream.next();
        seen.push(e);
        if (e.event === event && e.data.id === id) return seen;
      }
    };
    try {
      const restricted = await raiseFlashAlert(conf.ctx, staff, { title: 'Engins explosifs signalés sur la RN15', areas: ['ML05'] });
      const pub = await raiseFlashAlert(conf.ctx, staff, { title: 'Marché de Sévaré fermé', areas: ['ML05'], classification: 'public' });
      await pass();
      await until(forFocal, 'alert.issued', pub.id);
      await until(forLow, 'alert.issued', pub.id);
      // Re-classified Confidential at its owner, still within the link's ceiling: the focal point (cleared) gets the new
      // state; the public-clearance reader, who could see it and no longer may, is told it is gone — by id and owner only.
      await reclassifyAlert(conf.ctx, staff, pub.id, { classification: 'confidential' });
      await pass();
      expect((await until(forFocal, 'alert.updated', pub.id)).at(-1)?.data).toMatchObject({ id: pub.id, origin_node: 'conf', read_only: true });
      expect((await until(forLow, 'alert.withdrawn', pub.id)).at(-1)?.data).toEqual({ id: pub.id, origin_node: 'conf' });
      // Withdrawn (above the link's ceiling: a tombstone): the focal point who saw it is told.
      await reclassifyAlert(conf.ctx, staff, restricted.id, { classification: 'secret' });
      await pass();
      expect(sent.map((m) => (JSON.parse(JSON.parse(new TextDecoder().decode(m.data)).body) as { deleted: boolean }).deleted)).toEqual([true]);
      expect((await until(forFocal, 'alert.withdrawn', restricted.id)).at(-1)?.data).toEqual({ id: restricted.id, origin_node: 'conf' });
      // The public-clearance reader never could see it: nothing about it reaches them, before the next alert they may see.
      const next = await raiseFlashAlert(conf.ctx, staff, { title: 'Couvre-feu levé à Mopti', areas: ['ML05'], classification: 'public' });
      await pass();
      const low = await until(forLow, 'alert.issued', next.id);
      expect(low.map((e) => e.data.id)).not.toContain(restricted.id);
      // And the lists agree: neither holds the withdrawn one any more.
      expect((await list(focalClient)).items.map((a) => a.id)).not.toContain(restricted.id);
      expect((await list(lowClient)).items.map((a) => a.id)).not.toContain(pub.id);
    } finally {
      forFocal.close();
      forLow.close();
    }
  });

  it('tells the readers of the states concerned cleared for a held alert in their inbox, once, and drops it there when withdrawn', async () => {
    type Inbox = { items: { kind: string; object_id: string; subject: string | null }[]; unread: number };
    const inbox = async (c: Client) => (await c.get('/api/v1/notifications?limit=100')).json() as Inbox;
    const about = (box: Inbox, id: string) => box.items.filter((n) => n.object_id === id);
    const alert = await raiseFlashAlert(conf.ctx, staff, { title: 'Enlèvements signalés près de Nioro', areas: ['ML05'] });
    const beforeUnread = (await inbox(focalClient)).unread;
    await pass();
    const delivery = sent;
    const seen = await inbox(focalClient);
    expect(about(seen, alert.id).map((n) => [n.kind, n.subject])).toEqual([['alert_issued', 'Enlèvements signalés près de Nioro']]);
    expect(seen.unread).toBe(beforeUnread + 1);
    // Not cleared for it (restricted), not told.
    expect(about(await inbox(lowClient), alert.id)).toEqual([]);
    // The same copy delivered again changes nothing, and tells nobody twice.
    expect((await receiveMessages(mli.ctx, mliFed, delivery)).refused.map((r) => r.reason)).toEqual(['replay']);
    expect(about(await inbox(focalClient), alert.id)).toHaveLength(1);
    // Withdrawn by its owner: gone from the inbox and its count; back under the ceiling: there again, still once.
    await reclassifyAlert(conf.ctx, staff, alert.id, { classification: 'secret' });
    await pass();
    const after = await inbox(focalClient);
    expect([about(after, alert.id), after.unread]).toEqual([[], beforeUnread]);
    await reclassifyAlert(conf.ctx, staff, alert.id, { classification: 'restricted' });
    await pass();
    expect(about(await inbox(focalClient), alert.id)).toHaveLength(1);
    // A public one tells the public-clearance reader too; one that arrives closed (an old alert caught up) tells nobody.
    const pub = await raiseFlashAlert(conf.ctx, staff, { title: 'Axe Sévaré–Gao rouvert', areas: ['ML05'], classification: 'public' });
    const closed = await raiseFlashAlert(conf.ctx, staff, { title: 'Incendie maîtrisé à Kayes', areas: ['ML05'], classification: 'public' });
    await closeAlert(conf.ctx, staff, closed.id, { note: 'Maîtrisé' });
    await pass();
    const low = await inbox(lowClient);
    expect(about(low, pub.id).map((n) => n.subject)).toEqual(['Axe Sévaré–Gao rouvert']);
    expect(about(low, closed.id)).toEqual([]);
  });
});
