import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from '../incidents/incident.service.js';
import { getIncident } from '../incidents/incident-reads.js';
import { appendAuditDurably, listAuditEvents, verifyAuditChain } from './audit.service.js';

describe.each(ENGINES)('audited reads under concurrent load: group commit (%s)', (kind) => {
  let t: TestVigie;
  beforeEach(async () => { t = await testVigie(kind); });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.drop();
  });

  it('records every concurrent read, each durable when its answer comes back, in shared transactions, the chain intact', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createIncident(t.ctx, reporter, newIncident({ classification: 'confidential' }))).incident.id);
    const transactions = vi.spyOn(t.ctx.engine, 'writeTransaction');

    const reads = Array.from({ length: 40 }, (_, i) => ids[i % ids.length] as string);
    const seen: string[] = [];
    await Promise.all(reads.map(async (id) => {
      await getIncident(t.ctx, reporter, id);
      // The entry of this read is committed by the time the answer is back: another connection reads it.
      const rows = await t.ctx.engine.db.selectFrom('audit_events').select('object_id').where('action', '=', 'incident.read').where('object_id', '=', id).execute();
      seen.push(`${id}:${rows.length > 0}`);
    }));

    expect(seen.every((s) => s.endsWith(':true'))).toBe(true);
    const admin = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 3 });
    const entries = (await listAuditEvents(t.ctx.engine, admin, { action: 'incident.read', limit: 100 })).items;
    expect(entries).toHaveLength(40);
    expect(entries.every((e) => e.login === reporter.login)).toBe(true);
    // Forty reads, far fewer commits: they waited for the one in flight and went together.
    expect(transactions.mock.calls.length).toBeLessThan(40);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true });
  });

  it('keeps each entry with its own reader, and fails every read of a batch whose commit failed (no answer without its entry)', async () => {
    const a = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const b = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 3 });
    const before = Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    vi.spyOn(t.ctx.engine, 'writeTransaction').mockRejectedValueOnce(new Error('disk full'));
    const failed = appendAuditDurably(t.ctx.engine, a, [{ action: 'incident.read', objectId: 'x1', classificationLevel: 2 }]);
    await expect(failed).rejects.toThrow('disk full');
    await Promise.all([
      appendAuditDurably(t.ctx.engine, a, [{ action: 'incident.read', objectId: 'a1', classificationLevel: 2 }]),
      appendAuditDurably(t.ctx.engine, b, [{ action: 'incident.read', objectId: 'b1', classificationLevel: 2 }, { action: 'incident.read', objectId: 'b2', classificationLevel: 2 }]),
    ]);
    const rows = await t.ctx.engine.db.selectFrom('audit_events').select(['login', 'object_id']).where('seq', '>', before).orderBy('seq').execute();
    expect(rows).toEqual([{ login: a.login, object_id: 'a1' }, { login: b.login, object_id: 'b1' }, { login: b.login, object_id: 'b2' }]);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true });
  });
});
