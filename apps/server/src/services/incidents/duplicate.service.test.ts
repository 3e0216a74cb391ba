import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from './incident.service.js';
import { findDuplicates } from './duplicate.service.js';
import { SYSTEM } from '../principal.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';

describe.each(ENGINES)('likely duplicates (%s)', (kind) => {
  let v: TestVigie;
  beforeAll(async () => { v = await testVigie(kind); });
  afterAll(async () => { await v.drop(); });

  it('finds the same event type close in place and time, nearest first, and only what the reader may see', async () => {
    const analyst = await newUser(v.ctx, { org: 'MLI', role: 'analyst' });
    const other = await newUser(v.ctx, { org: 'NER', role: 'analyst' });
    const reporter = await newUser(v.ctx, { org: 'MLI', role: 'reporter' });
    const make = async (o: Parameters<typeof newIncident>[0]) => (await createIncident(v.ctx, reporter, newIncident({ state: 'MLI', ...o }))).incident;
    const target = await make({ latitude: 14.49, longitude: -4.19, occurred_start: '2026-03-14T08:00:00Z' });
    const near = await make({ latitude: 14.55, longitude: -4.2, occurred_start: '2026-03-15T10:00:00Z' });
    const nearer = await make({ latitude: 14.5, longitude: -4.19, occurred_start: '2026-03-13T10:00:00Z' });
    await make({ latitude: 14.49, longitude: -4.19, occurred_start: '2026-03-20T08:00:00Z' }); // too late
    await make({ latitude: 15.2, longitude: -4.19, occurred_start: '2026-03-14T09:00:00Z' }); // too far (~79 km)
    await make({ latitude: 14.49, longitude: -4.19, event_type: 'battles', sub_event_type: 'armed_clash' }); // other type
    await make({ latitude: 14.49, longitude: -4.19, status: 'draft' }); // a draft is nobody's duplicate

    const found = await findDuplicates(v.ctx, analyst, target.id);
    expect(found.map((d) => d.incident.id)).toEqual([nearer.id, near.id]);
    expect(found[0]?.distance_km).toBeLessThan(2);
    expect(found[1]?.days_apart).toBeCloseTo(1.1, 1);

    // A submitted report of Mali is not visible to Niger's analyst: neither the target nor its duplicates.
    await expect(findDuplicates(v.ctx, other, target.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await findDuplicates(v.ctx, SYSTEM, target.id)).toHaveLength(2);
  });

  it('writes a read entry for every confidential or secret duplicate it returns, before answering', async () => {
    const reporter = await newUser(v.ctx, { org: 'NER', role: 'reporter', clearance: 3 });
    const analyst = await newUser(v.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    const at = { latitude: 14.21, longitude: 1.45, occurred_start: '2025-06-01T08:00:00Z', status: 'submitted' as const };
    const make = async (classification: 'restricted' | 'confidential' | 'secret') =>
      (await createIncident(v.ctx, reporter, newIncident({ state: 'NER', ...at, classification }))).incident;
    const target = await make('restricted');
    const confidential = await make('confidential');
    const secret = await make('secret');
    const restricted = await make('restricted');

    const found = await findDuplicates(v.ctx, analyst, target.id);
    expect(found.map((d) => d.incident.id).sort()).toEqual([confidential.id, secret.id, restricted.id].sort());
    const reads = await v.ctx.engine.db.selectFrom('audit_events').select(['object_id', 'classification_level', 'owner_state'])
      .where('action', '=', 'incident.duplicates').where('user_id', '=', analyst.userId).orderBy('object_id').execute();
    expect(reads).toEqual([
      { object_id: confidential.id, classification_level: 2, owner_state: 'NER' },
      { object_id: secret.id, classification_level: 3, owner_state: 'NER' },
    ].sort((a, b) => a.object_id.localeCompare(b.object_id)));
  });

  it('weighs sub-type, actors and tolls: an abduction is not proposed for an attack at the same place and day, and says why a pair is', async () => {
    const analyst = await newUser(v.ctx, { org: 'MLI', role: 'analyst' });
    const reporter = await newUser(v.ctx, { org: 'MLI', role: 'reporter' });
    const at = { latitude: 14.3, longitude: -4.0, occurred_start: '2026-02-10T08:00:00Z' };
    const make = async (o: Parameters<typeof newIncident>[0]) => (await createIncident(v.ctx, reporter, newIncident({ ...at, ...o }))).incident;
    const attack = await make({ fatalities_best: 11, civilian_fatalities: 11 });
    const abduction = await make({ sub_event_type: 'abduction_forced_disappearance', fatalities_best: 0, civilian_fatalities: 0, abducted: 5 });
    const same = await make({ fatalities_best: 10, civilian_fatalities: 10, occurred_start: '2026-02-10T18:00:00Z' });
    const found = await findDuplicates(v.ctx, analyst, attack.id);
    expect(found.map((d) => d.incident.id)).toEqual([same.id]);
    expect(found[0]?.reasons).toEqual(['same_sub_event_type', 'shared_actors', 'tolls_agree']);
    expect(found.some((d) => d.incident.id === abduction.id)).toBe(false);
  });
});
