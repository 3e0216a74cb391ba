import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../repositories/audit.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newId, newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { readableHistory } from '../../test-support/history.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { createIncident, importIncidents } from './incident.service.js';
import { getIncident, incidentHistory, listIncidents } from './incident-reads.js';
import { SYSTEM, type Principal } from '../principal.js';

/** The batched import must store, version, index and audit each record exactly as one create does. */
describe.each(ENGINES)('batched import on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  let analyst: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'NER', role: 'reporter', clearance: 1 });
    analyst = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
  });
  afterAll(async () => t.drop());

  it('stores, versions, indexes and audits each record as a single create does', async () => {
    const body = (id: string) => newIncident({ id, state: 'NER', narrative: `Embuscade près de Téra, lot ${id.slice(0, 4)}`, actor1: 'GAN', actor2: 'FDS-NER', associated_actors: ['CIVILS'] });
    const [single, batched] = [newId(), newId()];
    await createIncident(t.ctx, reporter, body(single));
    const outcome = await importIncidents(t.ctx, reporter, [{ input: body(batched) }]);
    expect(outcome).toEqual({ created: 1, unchanged: 0, rejected: [] });

    const strip = (x: object) => ({ ...x, id: '', created_at: '', updated_at: '', narrative: '' });
    const [a, b] = [await getIncident(t.ctx, analyst, single), await getIncident(t.ctx, analyst, batched)];
    expect(strip(b)).toEqual(strip(a));
    const [ha, hb] = [await readableHistory(t.ctx, analyst, single), await readableHistory(t.ctx, analyst, batched)];
    expect(hb).toHaveLength(1);
    expect(hb.map((v) => ({ ...v, changed_at: '', snapshot: strip(v.snapshot) }))).toEqual(ha.map((v) => ({ ...v, changed_at: '', snapshot: strip(v.snapshot) })));
    expect(hb[0]?.snapshot.id).toBe(batched);

    const found = await listIncidents(t.ctx, analyst, { q: 'tera embuscade' });
    expect(found.items.map((i) => i.id).sort()).toEqual([single, batched].sort());
    const audit = await listAudit(t.ctx.engine.db, { clearance: 3, organisation: null, objectId: batched, limit: 10 });
    expect(audit.map((e) => [e.action, e.login, e.owner_state])).toEqual([['incident.create', reporter.login, 'NER']]);
  });

  it('reports bad records with their reason and commits the rest; repeats are unchanged, other content a conflict', async () => {
    const ok = newIncident({ state: 'NER' });
    const stored = newIncident({ state: 'NER' });
    await createIncident(t.ctx, reporter, stored);
    const items = [
      { input: ok },
      { input: { ...newIncident({ state: 'NER' }), actor1: 'NO-SUCH-GROUP' } },
      { input: { ...newIncident({ state: 'NER' }), latitude: 48.85, longitude: 2.35 } },
      { input: { ...newIncident({ state: 'NER' }), occurred_start: 'hier' } },
      { input: ok },
      { input: stored },
      { input: { ...stored, fatalities_best: 40, civilian_fatalities: 3 } },
      { input: { ...ok, narrative: 'autre version' } },
    ];
    const outcome = await importIncidents(t.ctx, reporter, items);
    expect(outcome.created).toBe(1);
    expect(outcome.unchanged).toBe(2);
    expect(outcome.rejected.map((r) => [r.index, r.errors[0]?.field]).sort()).toEqual([
      [1, 'actor1'], [2, 'latitude'], [3, 'occurred_start'], [6, '(record)'], [7, '(record)'],
    ]);
    expect((await getIncident(t.ctx, analyst, ok.id)).narrative).toBe(ok.narrative);
    expect((await incidentHistory(t.ctx, analyst, stored.id)).length).toBe(1);
  });

  it('imports a large batch as the operator, keeping the audit chain whole', async () => {
    const items = Array.from({ length: 1200 }, (_, i) => ({
      input: newIncident({ state: ['MLI', 'BFA', 'NER'][i % 3] as string, narrative: `Lot ${i}` }),
      options: { reportingState: ['MLI', 'BFA', 'NER'][i % 3] as string, status: 'validated' as const, reporterId: null },
    }));
    const outcome = await importIncidents(t.ctx, SYSTEM, items);
    expect(outcome).toEqual({ created: 1200, unchanged: 0, rejected: [] });
    const again = await importIncidents(t.ctx, SYSTEM, items.slice(0, 10));
    expect(again).toEqual({ created: 0, unchanged: 10, rejected: [] });
    const chain = await verifyAuditChain(t.ctx.engine);
    expect(chain.ok).toBe(true);
    expect((await readableHistory(t.ctx, SYSTEM, items[1199]?.input.id as string))[0]?.snapshot.status).toBe('validated');
  });
});
