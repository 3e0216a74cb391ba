import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/domain/alert.schema';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { testApp, signIn } from '../../test-support/http.js';
import { ALERT_EVENT, alertEvidence, alertForReader, listAlerts, raiseFlashAlert, subscribeAlerts, type AlertChange } from './alert.service.js';
import { runAlertRules } from './alert-rules.service.js';
import { watchIncidentChanges } from './alert-schedule.js';
import { addWeeks } from './rules.js';
import { getIncident } from '../incidents/incident-reads.js';
import { importIncidents, patchIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';

const AS_OF = '2026-03-18T12:00:00.000Z'; // a Wednesday; its week starts Monday 2026-03-16
const WEEK = '2026-03-16T00:00:00.000Z';
const MENAKA = { admin1_code: 'ML10', latitude: 15.9, longitude: 2.4 };
const TILLABERI = { admin1_code: 'NE006', latitude: 14.4, longitude: 1.5 };

type Extra = Parameters<typeof newIncident>[0];
/** A state's validated, shared, restricted history in one area (one or two a week for 26 weeks), then `spike` incidents this week. */
function history(state: string, place: Extra, spike: number, extra: Extra) {
  const items = [];
  const base = { fatalities_best: 0, civilian_fatalities: 0, classification: 'restricted', sharing_scope: 'confederation', ...place } as const;
  for (let w = 1; w <= 26; w++) {
    for (let k = 0; k < (w % 2 ? 1 : 2); k++) items.push(newIncident({ state, occurred_start: addWeeks(WEEK, -w).replace('T00', `T1${k}`), ...base }));
  }
  for (let k = 0; k < spike; k++) items.push(newIncident({ state, occurred_start: `2026-03-1${6 + (k % 3)}T0${k}:00:00Z`, ...base, ...extra }));
  return items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: state } }));
}

describe.each(ENGINES)('alert figures per audience on %s', (kind) => {
  let t: TestVigie;
  let nerAnalyst: Principal & { password: string };
  let mliFocal: Principal & { password: string };
  let mliReader: Principal;
  let confAnalyst: Principal;
  let nerSpike: string[] = [];

  beforeAll(async () => {
    t = await testVigie(kind);
    nerAnalyst = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    mliFocal = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    mliReader = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    confAnalyst = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    // 8 Malian national secret incidents in Ménaka, 8 ordinary Nigerien ones in Tillabéri, this week.
    const ner = history('NER', TILLABERI, 8, {});
    const out = await importIncidents(t.ctx, SYSTEM, [...history('MLI', MENAKA, 8, { classification: 'secret', sharing_scope: 'national' }), ...ner]);
    expect(out.rejected).toEqual([]);
    nerSpike = ner.filter((i) => i.input.occurred_start >= WEEK).map((i) => i.input.id);
    await runAlertRules(t.ctx, SYSTEM, { asOf: AS_OF });
  });
  afterAll(async () => t.drop());

  const rules = async (p: Principal) => (await listAlerts(t.ctx, p, {})).items.map((a) => `${a.rule}:${a.areas.join('|')}`).sort();
  const alertOf = async (p: Principal, rule: string, area: string) =>
    (await listAlerts(t.ctx, SYSTEM, { rule: rule as 'count_spike', area })).items[0] as Alert;

  it('shows Niger no figure drawn from Malian national records, on the list, the alert and the live stream', async () => {
    // The operator's view (every record) has the spread; Mali, who may read both sides, sees it with Ménaka's 8.
    const spread = await alertOf(SYSTEM, 'cross_border', 'ML10');
    expect(spread.areas).toEqual(['ML10', 'NE006']);
    expect(await rules(mliFocal)).toEqual(['count_spike:ML10', 'count_spike:NE006', 'cross_border:ML10|NE006']);
    const forMali = (await listAlerts(t.ctx, mliFocal, { rule: 'cross_border' })).items[0];
    expect(forMali?.summary).toContain('Ménaka 8 incidents contre');
    // Niger, the confederation and a Malian reader below secret see Tillabéri only, with its own 8.
    for (const reader of [nerAnalyst, confAnalyst, mliReader]) {
      expect(await rules(reader)).toEqual(['count_spike:NE006']);
      const [only] = (await listAlerts(t.ctx, reader, {})).items;
      expect(only).toMatchObject({ statistics: { observed: 8 }, evidence_count: 8, classification: 'restricted', sharing_scope: 'confederation' });
      expect(only?.summary).not.toContain('Ménaka');
      // What the live stream would send this reader about the spread and the Ménaka spike: nothing.
      expect(await alertForReader(t.ctx, reader, spread.id)).toBeNull();
      expect(await alertForReader(t.ctx, reader, (await alertOf(SYSTEM, 'count_spike', 'ML10')).id)).toBeNull();
    }
  });

  it('computes the figures of a reader whose organisation and clearance had none before their first read', async () => {
    // No Burkinabè user existed when the rules ran.
    const bfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    expect((await listAlerts(t.ctx, bfa, {})).items).toMatchObject([{ rule: 'count_spike', areas: ['NE006'], statistics: { observed: 8 }, figures_for: { view: 'BFA', ceiling: 'confidential' } }]);
  });

  it('sends each reader on the live stream their own figures, and audits classified ones before they leave', async () => {
    const menaka = await alertOf(SYSTEM, 'count_spike', 'ML10');
    const tillaberi = await alertOf(SYSTEM, 'count_spike', 'NE006');
    const got: Alert[] = [];
    const arrived = new Promise<void>((resolve) => {
      const stop = subscribeAlerts(t.ctx, mliFocal, (_c, alert) => {
        got.push(alert);
        stop();
        resolve();
      });
    });
    t.ctx.events.emit(ALERT_EVENT, { id: menaka.id, action: 'updated' } satisfies AlertChange);
    await arrived;
    expect(got[0]).toMatchObject({ id: menaka.id, classification: 'secret', sharing_scope: 'national', statistics: { observed: 8 } });
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select(['action', 'classification_level']).where('user_id', '=', mliFocal.userId).where('action', '=', 'alert.stream').execute();
    expect(audit).toEqual([{ action: 'alert.stream', classification_level: 3 }]);

    const forNiger = new Promise<Alert>((resolve) => {
      const stop = subscribeAlerts(t.ctx, nerAnalyst, (_c, alert) => {
        stop();
        resolve(alert);
      });
    });
    t.ctx.events.emit(ALERT_EVENT, { id: tillaberi.id, action: 'updated' } satisfies AlertChange);
    expect(await forNiger).toMatchObject({ id: tillaberi.id, statistics: { observed: 8 }, figures_for: { view: 'NER', ceiling: 'secret' } });
  });

  it('audits reads of classified alerts and evidence through the list and the evidence', async () => {
    const start = await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    const menaka = (await listAlerts(t.ctx, mliFocal, { area: 'ML10', rule: 'count_spike' })).items[0] as Alert;
    const evidence = await alertEvidence(t.ctx, mliFocal, menaka.id);
    expect(evidence).toHaveLength(8);
    const rows = await t.ctx.engine.db.selectFrom('audit_events').select(['action', 'classification_level', 'details'])
      .where('user_id', '=', mliFocal.userId).where('seq', '>', Number(start.seq)).orderBy('seq').execute();
    expect(rows.map((r) => [r.action, r.classification_level])).toEqual([['alert.list', 3], ['alert.evidence', 3]]);
    expect((JSON.parse(rows[1]?.details ?? '{}') as { incidents: string[] }).incidents.sort()).toEqual(evidence.map((e) => e.id).sort());
    // A page of restricted alerts writes nothing.
    await listAlerts(t.ctx, mliReader, {});
    expect(await t.ctx.engine.db.selectFrom('audit_events').select('seq').where('user_id', '=', mliReader.userId).execute()).toEqual([]);
  });

  it('re-computes the figures when evidence is reclassified: a clearance-1 reader’s observed count and evidence agree', async () => {
    const tillaberi = await alertOf(SYSTEM, 'count_spike', 'NE006');
    const before = (await listAlerts(t.ctx, mliReader, {})).items[0];
    expect(before).toMatchObject({ id: tillaberi.id, statistics: { observed: 8 }, evidence_count: 8 });
    const stop = watchIncidentChanges(t.ctx, SYSTEM, { debounceMs: 0 });
    try {
      const updated = once(t.ctx.events, ALERT_EVENT);
      const id = nerSpike[0] ?? '';
      const rec = await getIncident(t.ctx, nerAnalyst, id);
      await patchIncident(t.ctx, nerAnalyst, id, { version: rec.version, classification: 'secret', change_reason: 'source sensible' });
      expect((await updated)[0]).toEqual({ id: tillaberi.id, action: 'updated' });
    } finally {
      stop();
    }
    const after = (await listAlerts(t.ctx, mliReader, {})).items[0];
    expect(after).toMatchObject({ id: tillaberi.id, statistics: { observed: 7 }, evidence_count: 7 });
    // Niger, cleared for secret, still counts all eight.
    expect((await listAlerts(t.ctx, nerAnalyst, {})).items[0]).toMatchObject({ statistics: { observed: 8 }, evidence_count: 8 });
  });

  it('keeps a flash alert at the classification and scope its author gives, its linked records filtered per reader', async () => {
    const menakaSecret = (await alertEvidence(t.ctx, mliFocal, (await alertOf(SYSTEM, 'count_spike', 'ML10')).id)).map((e) => e.id).slice(0, 2);
    const flash = await raiseFlashAlert(t.ctx, mliFocal, { title: 'Colonne signalée vers Ménaka', areas: ['ML10'], classification: 'restricted', incident_ids: menakaSecret });
    expect(flash).toMatchObject({ classification: 'restricted', sharing_scope: 'confederation', evidence_count: 2 });
    // A reader of Mali at clearance 1 and the confederation see the warning, but none of the secret national records behind it.
    for (const reader of [mliReader, confAnalyst]) {
      expect((await listAlerts(t.ctx, reader, { rule: 'flash' })).items).toMatchObject([{ id: flash.id, classification: 'restricted', evidence_count: 0 }]);
    }
    expect(await alertEvidence(t.ctx, confAnalyst, flash.id)).toEqual([]);
    await expect(raiseFlashAlert(t.ctx, mliReader, { title: 'Trop haut', areas: ['ML10'], classification: 'confidential' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets one user hold a few live streams, refusing one more with 429 in French, and frees a slot on close', async () => {
    const app = await testApp(t.ctx);
    try {
      const client = await signIn(app, mliFocal.login, mliFocal.password);
      const listeners = t.ctx.events.listenerCount(ALERT_EVENT);
      const stops = Array.from({ length: 5 }, () => subscribeAlerts(t.ctx, mliFocal, () => undefined, { maxStreams: 5 }));
      // One listener on the event bus for every stream, however many are open.
      expect(t.ctx.events.listenerCount(ALERT_EVENT)).toBe(listeners + 1);
      const refused = await client.get('/api/v1/alerts/stream');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'rate_limited', title: 'Trop de requêtes', max_streams: 5 });
      expect(refused.json().detail).toContain("trop de flux d'alertes");
      expect(() => subscribeAlerts(t.ctx, mliFocal, () => undefined, { maxStreams: 5 })).toThrow(expect.objectContaining({ code: 'rate_limited' }));
      // Another user still gets theirs; closing one frees its slot.
      subscribeAlerts(t.ctx, nerAnalyst, () => undefined, { maxStreams: 5 })();
      stops.pop()?.();
      const again = subscribeAlerts(t.ctx, mliFocal, () => undefined, { maxStreams: 5 });
      for (const stop of [...stops, again]) stop();
      expect(t.ctx.events.listenerCount(ALERT_EVENT)).toBe(listeners);
      // Only a concerned state or the confederation answers an alert: Mali on Tillabéri gets 403.
      const tillaberi = await alertOf(SYSTEM, 'count_spike', 'NE006');
      const res = await client.post(`/api/v1/alerts/${tillaberi.id}/respond`, { text: 'Nous suivons' });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await alertOf(SYSTEM, 'count_spike', 'NE006')).status).toBe('issued');
    } finally {
      await app.close();
    }
  });
});
