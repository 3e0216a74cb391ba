import type { ChangeItem } from '@vigie/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOf } from '../../repositories/change-log.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { readChanges } from './changes.service.js';
import { assignIncident, rejectIncident, submitIncident, validateIncident } from '../incidents/incident-workflow.js';
import { createIncident, importIncidents, patchIncident } from '../incidents/incident.service.js';
import { listIncidents } from '../incidents/incident-reads.js';
import { appendChanges } from '../mutation.js';
import { mergeIncident } from '../incidents/merge.service.js';
import { SYSTEM, type Principal } from '../principal.js';

/** Follows the feed from `since` to its end; returns the items and where to resume. */
async function follow(t: TestVigie, reader: Principal, since = 0, limit = 500): Promise<{ items: ChangeItem[]; next: number; pages: number }> {
  const items: ChangeItem[] = [];
  let next = since;
  let pages = 0;
  for (;;) {
    const page = await readChanges(t.ctx, reader, { since: next, limit });
    pages++;
    items.push(...page.items);
    next = page.next_since;
    if (page.caught_up) return { items, next, pages };
  }
}

const ops = async (t: TestVigie, id: string) => (await changesOf(t.ctx.engine.db, 'incident', id)).map((c) => c.op);

describe.each(ENGINES)('the change log on %s', (kind) => {
  let t: TestVigie;
  let analystMli: Principal;
  let analystBfa: Principal;
  let reporterMli: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    analystMli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    analystBfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 1 });
    reporterMli = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
  });
  afterAll(async () => t.drop());

  it('appends exactly one entry per change of a record, in its transaction; a refused or rolled-back change appends none', async () => {
    const body = newIncident({ status: 'draft' });
    await createIncident(t.ctx, reporterMli, body);
    await createIncident(t.ctx, reporterMli, body); // a retry changes nothing
    await patchIncident(t.ctx, reporterMli, body.id, { version: 1, narrative: 'Récit corrigé par le rapporteur.' });
    await patchIncident(t.ctx, reporterMli, body.id, { version: 2, narrative: 'Récit corrigé par le rapporteur.' }); // no change
    await expect(patchIncident(t.ctx, reporterMli, body.id, { version: 1, narrative: 'Version périmée.' })).rejects.toThrow();
    await submitIncident(t.ctx, reporterMli, body.id, { version: 2 });
    await assignIncident(t.ctx, analystMli, body.id, true);
    await validateIncident(t.ctx, analystMli, body.id, { version: 3 });
    await patchIncident(t.ctx, analystMli, body.id, { version: 4, sharing_scope: 'national' }); // re-scoped
    await patchIncident(t.ctx, SYSTEM, body.id, { version: 5, classification: 'secret' }); // reclassified
    expect(await ops(t, body.id)).toEqual(['create', 'update', 'submit', 'assign', 'validate', 'update', 'update']);

    const other = newIncident();
    await createIncident(t.ctx, reporterMli, other);
    await rejectIncident(t.ctx, analystMli, other.id, { reason: 'Source non fiable', version: 1 });
    const into = newIncident({ status: 'submitted' });
    const dup = newIncident();
    await importIncidents(t.ctx, SYSTEM, [{ input: into, options: { reportingState: 'MLI', status: 'validated' } }, { input: dup, options: { reportingState: 'MLI', status: 'validated' } }]);
    await mergeIncident(t.ctx, analystMli, dup.id, { into: into.id });
    expect(await ops(t, other.id)).toEqual(['create', 'reject']);
    expect(await ops(t, dup.id)).toEqual(['create', 'merge']);
    // The kept record takes the merged one's chosen values: a change of its own.
    expect(await ops(t, into.id)).toEqual(['create', 'absorb']);

    await expect(t.ctx.engine.writeTransaction(async (trx) => {
      await appendChanges(t.ctx, trx, [{ type: 'incident', id: other.id, op: 'update' }]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await ops(t, other.id)).toEqual(['create', 'reject']);
  });

  it('answers records as the reader sees them now, and tombstones only for records that left their view', async () => {
    const start = (await follow(t, analystBfa)).next;
    const shared = newIncident();
    const secretOne = newIncident({ classification: 'secret' });
    const survivor = newIncident();
    const duplicate = newIncident();
    const opts = { options: { reportingState: 'MLI', status: 'validated' as const } };
    await importIncidents(t.ctx, SYSTEM, [shared, secretOne, survivor, duplicate].map((input) => ({ input, ...opts })));
    const first = await follow(t, analystBfa, start);
    expect(first.items.map((i) => [i.id, i.deleted])).toEqual([[shared.id, false], [survivor.id, false], [duplicate.id, false]]);
    expect(first.items[0]).toMatchObject({ type: 'incident', op: 'create', record: { id: shared.id, status: 'validated' } });

    await patchIncident(t.ctx, SYSTEM, shared.id, { version: 1, classification: 'confidential' });
    await mergeIncident(t.ctx, SYSTEM, duplicate.id, { into: survivor.id });
    await patchIncident(t.ctx, SYSTEM, secretOne.id, { version: 1, narrative: 'Toujours secret, toujours invisible.' });
    const second = await follow(t, analystBfa, first.next);
    expect(second.items).toEqual([
      expect.objectContaining({ id: shared.id, deleted: true, reason: 'hidden', merged_into: null }),
      expect.objectContaining({ id: duplicate.id, deleted: true, reason: 'merged', merged_into: survivor.id }),
      expect.objectContaining({ id: survivor.id, deleted: false, op: 'absorb' }),
    ]);
    // The secret record never reached this reader: neither its content nor its id.
    expect(JSON.stringify([first, second])).not.toContain(secretOne.id);
  });

  it('pages resumably: every entry once, in seq order, whatever the page size', async () => {
    const all = await follow(t, analystMli, 0, 1000);
    const small = await follow(t, analystMli, 0, 3);
    expect(small.pages).toBeGreaterThan(2);
    expect(small.next).toBe(all.next);
    // Within one big page a record changed twice comes once; across small pages possibly more often: the last one wins.
    const last = (items: ChangeItem[]) => new Map(items.map((i) => [i.id, i.deleted ? 'gone' : JSON.stringify((i as { record: unknown }).record)]));
    expect(last(small.items)).toEqual(last(all.items));
    const seqs = small.items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a waiting follower is answered as soon as a change commits', async () => {
    const { next } = await follow(t, analystMli);
    const waiting = readChanges(t.ctx, analystMli, { since: next, wait: 60 });
    // The follower is waiting (listening for the next append) before the record is created.
    while (t.ctx.events.listenerCount('changes.appended') === 0) await new Promise((r) => setImmediate(r));
    const body = newIncident();
    await createIncident(t.ctx, analystMli, body);
    const page = await waiting;
    expect(page.items.map((i) => i.id)).toEqual([body.id]);
    expect(page.next_since).toBeGreaterThan(next);
  });

  it('a confidential record read through the feed is audited, naming it', async () => {
    const cleared = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const { next } = await follow(t, cleared);
    const body = newIncident({ classification: 'confidential' });
    await createIncident(t.ctx, SYSTEM, body, { reportingState: 'MLI', status: 'validated' });
    await follow(t, cleared, next);
    const entries = await t.ctx.engine.db.selectFrom('audit_events').select(['details', 'classification_level']).where('action', '=', 'changes.read').where('user_id', '=', cleared.userId).execute();
    expect(entries.some((e) => e.classification_level === 2 && e.details.includes(body.id))).toBe(true);
  });

  it('a reader without the read verb of a kind gets none of its entries, and still moves on', async () => {
    const admin = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 3 });
    const page = await readChanges(t.ctx, admin, { since: 0, limit: 1000 });
    expect(page.items.filter((i) => i.type === 'incident')).toEqual([]);
    expect(page.next_since).toBeGreaterThan(0);
  });
});
