import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from '../incidents/incident.service.js';
import { getIncident, listIncidents } from '../incidents/incident-reads.js';
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
    const transactions = vi.spyOn(t.ctx.engine, 'auditTransaction');

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
    vi.spyOn(t.ctx.engine, 'auditTransaction').mockRejectedValueOnce(new Error('disk full'));
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

  it('writes one chained entry per concurrent list page, each with its reader and naming what it showed', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await createIncident(t.ctx, reporter, newIncident({ classification: i % 2 ? 'secret' : 'confidential' }))).incident.id);
    await createIncident(t.ctx, reporter, newIncident({ classification: 'restricted' }));
    const readers = await Promise.all(['a', 'b', 'c'].map((x) => newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3, login: `lecteur.${x}` })));
    const before = Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirstOrThrow()).s ?? 0);

    const n = 24;
    const asked: string[] = [];
    const pages = await Promise.all(Array.from({ length: n }, (_, i) => {
      const reader = readers[i % readers.length]!;
      asked.push(reader.login);
      return listIncidents(t.ctx, reader, { limit: 50 });
    }));

    expect(pages.every((p) => p.items.length === 5)).toBe(true);
    const rows = await t.ctx.engine.db.selectFrom('audit_events').select(['seq', 'login', 'action', 'classification_level', 'details'])
      .where('seq', '>', before).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: n }, (_, i) => before + i + 1));
    expect(rows.map((r) => r.login).sort()).toEqual(asked.sort());
    expect(rows.every((r) => r.action === 'incident.list' && r.classification_level === 3)).toBe(true);
    expect(rows.map((r) => (JSON.parse(r.details) as { ids: string[] }).ids.sort())).toEqual(Array.from({ length: n }, () => [...ids].sort()));
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true, checked: before + n });
  });

  it('writes the appends of one batch in the order they were asked for, one transaction for all', async () => {
    const a = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const before = Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirstOrThrow()).s ?? 0);
    const transactions = vi.spyOn(t.ctx.engine, 'auditTransaction');
    const order = Array.from({ length: 30 }, (_, i) => `r${i}`);
    // Asked for together, before the transaction took its batch: they all go in it.
    await Promise.all(order.map((objectId) => appendAuditDurably(t.ctx.engine, a, [{ action: 'incident.read', objectId, classificationLevel: 2 }])));
    const rows = await t.ctx.engine.db.selectFrom('audit_events').select('object_id').where('seq', '>', before).orderBy('seq').execute();
    expect(rows.map((r) => r.object_id)).toEqual(order);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true });
  });

  it('holds every answer until the commit of its entry, and answers none when that commit fails', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    const id = (await createIncident(t.ctx, reporter, newIncident({ classification: 'confidential' }))).incident.id;
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const count = async () => Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n'))
      .where('action', 'in', ['incident.read', 'incident.list']).executeTakeFirstOrThrow()).n);

    // The commit is held at a gate: the reads are waiting for it, and none has answered.
    const real = t.ctx.engine.auditTransaction.bind(t.ctx.engine);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let entered!: () => void;
    const committing = new Promise<void>((resolve) => { entered = resolve; });
    const spy = vi.spyOn(t.ctx.engine, 'auditTransaction').mockImplementationOnce(async (fn) => {
      entered();
      await gate;
      return real(fn);
    });
    const answered: string[] = [];
    const held = [getIncident(t.ctx, reader, id), listIncidents(t.ctx, reader, { limit: 10 })].map((p) => p.then(() => answered.push('answer')));
    await committing;
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toEqual([]);
    open();
    await Promise.all(held);
    expect(answered).toEqual(['answer', 'answer']);
    expect(await count()).toBe(2);

    // A commit that fails: the reads waiting for it fail too, and no entry was written for them (in a transaction or,
    // where the engine has one, in the one statement chained to the last link).
    spy.mockRejectedValue(new Error('disk full'));
    const statement = t.ctx.engine.appendAuditAfter ? vi.spyOn(t.ctx.engine, 'appendAuditAfter').mockRejectedValue(new Error('disk full')) : null;
    const results = await Promise.allSettled([getIncident(t.ctx, reader, id), listIncidents(t.ctx, reader, { limit: 10 }), getIncident(t.ctx, reader, id)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await count()).toBe(2);
    spy.mockRestore();
    statement?.mockRestore();
    // The next reads are recorded again, and the chain has no hole where the failed batch was.
    await listIncidents(t.ctx, reader, { limit: 10 });
    expect(await count()).toBe(3);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true });
  });

  it('writes a lone read after the last link it wrote in one statement where the engine has one, and through a transaction again once another writer appended', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    const id = (await createIncident(t.ctx, reporter, newIncident({ classification: 'confidential' }))).incident.id;
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const transactions = vi.spyOn(t.ctx.engine, 'auditTransaction');
    const statements = t.ctx.engine.appendAuditAfter ? vi.spyOn(t.ctx.engine, 'appendAuditAfter') : null;
    const reads = async (n: number) => { for (let i = 0; i < n; i++) await getIncident(t.ctx, reader, id); };

    await reads(3);
    // The first read learns the chain's last link in a transaction, the next two are one statement each (PostgreSQL) or
    // one transaction of prepared statements each (SQLite).
    expect(transactions).toHaveBeenCalledTimes(statements ? 1 : 3);
    if (statements) expect(await Promise.all(statements.mock.results.map((r) => r.value))).toEqual([true, true]);

    // Another writer appends (a change, audited in its own transaction): the next read's statement finds the chain moved
    // on, writes nothing, and the read goes through a transaction that reads the chain's last link again.
    await createIncident(t.ctx, reporter, newIncident({ classification: 'restricted' }));
    await reads(2);
    expect(transactions).toHaveBeenCalledTimes(statements ? 2 : 5);
    if (statements) expect(await Promise.all(statements.mock.results.map((r) => r.value))).toEqual([true, true, false, true]);

    const admin = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 3 });
    expect((await listAuditEvents(t.ctx.engine, admin, { action: 'incident.read', limit: 100 })).items).toHaveLength(5);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true });
  });
});

describe.each(ENGINES.filter((k) => k === 'postgres'))('the one-statement append on %s', (kind) => {
  let t: TestVigie;
  beforeEach(async () => { t = await testVigie(kind); });
  afterEach(async () => { await t.drop(); });

  it('finds the chain\'s last link by its key, never by reading the trail, even on the generic plan PL/pgSQL turns to', async () => {
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    await appendAuditDurably(t.ctx.engine, reader, [{ action: 'incident.list', details: { ids: ['a'] } }]);
    // A trail of some length (its links' MACs do not matter here: the statement checks the last link's seq and hash).
    await sql`insert into audit_events (seq, at, action, details, prev_hash, hash)
      select s, '2026-01-01T00:00:00.000Z', 'incident.list', '{}', 'p' || s, 'h' || s
      from generate_series((select max(seq) + 1 from audit_events), (select max(seq) + 5000 from audit_events)) s`.execute(t.ctx.engine.db);
    let head = (await sql<{ seq: string; hash: string }>`select seq, hash from audit_events order by seq desc limit 1`.execute(t.ctx.engine.db)).rows[0];
    const counted = await t.ctx.engine.db.transaction().execute(async (trx) => {
      // The plan a connection uses after five calls, from the first: `seq > $1` on it read every row of the trail.
      await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
      // This connection's scans of the table not yet flushed to the statistics (pg_stat_xact_*), before and after.
      const scans = async () => {
        const r = (await sql<{ seq_scan: string; idx_scan: string }>`select seq_scan, idx_scan from pg_stat_xact_user_tables
          where relname = 'audit_events' and schemaname = current_schema()`.execute(trx)).rows[0];
        return { seq: Number(r?.seq_scan ?? 0), idx: Number(r?.idx_scan ?? 0) };
      };
      const before = await scans();
      for (let i = 0; i < 6; i++) {
        const link = { seq: Number(head?.seq) + 1, at: new Date().toISOString(), action: 'incident.list', classification_level: 2, details: '{}', prev_hash: head?.hash, hash: `link${i}` };
        const ok = await sql<{ ok: boolean }>`select audit_append_after(${Number(head?.seq)}, ${head?.hash}, ${JSON.stringify([link])}::jsonb) as ok`.execute(trx);
        expect(ok.rows[0]?.ok).toBe(true);
        head = { seq: String(link.seq), hash: link.hash };
      }
      // A stale head writes nothing.
      const stale = await sql<{ ok: boolean }>`select audit_append_after(1, 'x', '[]'::jsonb) as ok`.execute(trx);
      expect(stale.rows[0]?.ok).toBe(false);
      const after = await scans();
      return { seq: after.seq - before.seq, idx: after.idx - before.idx };
    });
    expect(counted.seq).toBe(0);
    expect(counted.idx).toBeGreaterThan(0);
  });
});
