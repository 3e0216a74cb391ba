/**
 * A mirror that follows the change feed ends with exactly what the list shows its reader: after any sequence of
 * creates, edits, reclassifications, re-scopings, transitions and merges, applying the feed (records replace,
 * tombstones delete) from 0 — or resuming where it stopped — gives the list API's records (merged ones excepted:
 * the feed tombstones them), at the same versions.
 */
import { INCIDENT_STATUSES, type ChangeItem, type Incident } from '@vigie/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { readChanges } from './changes.service.js';
import { createIncident, patchIncident } from '../incidents/incident.service.js';
import { listIncidents } from '../incidents/incident-reads.js';
import { rejectIncident, validateIncident } from '../incidents/incident-workflow.js';
import { mergeIncident } from '../incidents/merge.service.js';
import { SYSTEM, type Principal } from '../principal.js';

const STATES = ['MLI', 'BFA', 'NER'] as const;
const LEVELS = ['public', 'restricted', 'confidential', 'secret'] as const;
const SCOPES = ['national', 'confederation', 'public'] as const;

type Op =
  | { kind: 'create'; state: (typeof STATES)[number]; level: number; scope: number; validated: boolean; byReporter: boolean }
  | { kind: 'edit' | 'validate' | 'reject'; pick: number }
  | { kind: 'reclassify'; pick: number; level: number }
  | { kind: 'rescope'; pick: number; scope: number }
  | { kind: 'merge'; pick: number; into: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), state: fc.constantFrom(...STATES), level: fc.nat(3), scope: fc.nat(2), validated: fc.boolean(), byReporter: fc.boolean() }) },
  fc.record({ kind: fc.constantFrom('edit' as const, 'validate' as const, 'reject' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reclassify' as const), pick: fc.nat(), level: fc.nat(3) }),
  fc.record({ kind: fc.constant('rescope' as const), pick: fc.nat(), scope: fc.nat(2) }),
  fc.record({ kind: fc.constant('merge' as const), pick: fc.nat(), into: fc.nat() }),
);

/** Applies a page of the feed to a mirror. */
function apply(mirror: Map<string, Incident>, items: ChangeItem[]): void {
  for (const i of items) {
    if (i.type !== 'incident') continue;
    if (i.deleted) mirror.delete(i.id);
    else mirror.set(i.id, i.record as Incident);
  }
}

describe.each(ENGINES)('a mirror following the change feed on %s', (kind) => {
  let t: TestVigie;
  let readers: Principal[];
  let reporter: Principal;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    readers = [
      reporter,
      await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 }),
      await newUser(t.ctx, { org: 'BFA', role: 'focal_point', clearance: 2 }),
      await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 }),
    ];
  });
  afterAll(async () => t.drop());

  /** What the list API shows the reader, all pages. */
  async function listed(reader: Principal): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let cursor: string | undefined;
    do {
      const page = await listIncidents(t.ctx, reader, { limit: 500, status: INCIDENT_STATUSES.filter((s) => s !== 'merged').join(','), ...(cursor ? { cursor } : {}) });
      for (const i of page.items) out.set(i.id, i.version);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return out;
  }

  async function run(op: Op): Promise<void> {
    const id = ids.length ? ids[('pick' in op ? op.pick : 0) % ids.length] ?? '' : '';
    if (!id && op.kind !== 'create') return; // nothing to change yet
    const version = async () => {
      const v = (await listIncidents(t.ctx, SYSTEM, { q: undefined, limit: 500 })).items.find((i) => i.id === id)?.version;
      if (v === undefined) throw new Error(`incident ${id} is not listed`);
      return v;
    };
    switch (op.kind) {
      case 'create': {
        const body = newIncident({ state: op.state, classification: LEVELS[op.level], sharing_scope: SCOPES[op.scope] });
        await createIncident(t.ctx, SYSTEM, body, { reportingState: op.state, status: op.validated ? 'validated' : 'submitted', reporterId: op.byReporter ? reporter.userId : null });
        ids.push(body.id);
        return;
      }
      case 'edit': return void (await patchIncident(t.ctx, SYSTEM, id, { version: await version(), narrative: `Récit revu ${Math.random()}` }));
      case 'reclassify': return void (await patchIncident(t.ctx, SYSTEM, id, { version: await version(), classification: LEVELS[op.level], change_reason: 'revue' }));
      case 'rescope': return void (await patchIncident(t.ctx, SYSTEM, id, { version: await version(), sharing_scope: SCOPES[op.scope] }));
      case 'validate': return void (await validateIncident(t.ctx, SYSTEM, id));
      case 'reject': return void (await rejectIncident(t.ctx, SYSTEM, id, { reason: 'Source non fiable' }));
      case 'merge': return void (await mergeIncident(t.ctx, SYSTEM, id, { into: ids[op.into % ids.length] }));
    }
  }

  it('ends with exactly the records the list shows the reader, from 0 or resumed', async () => {
    const resumed = readers.map(() => ({ mirror: new Map<string, Incident>(), since: 0 }));
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 7 }), async (ops, pageSize) => {
        for (const op of ops) {
          try {
            await run(op);
          } catch (e) {
            if (!(e instanceof Problem)) throw e; // a move the record's state does not allow: nothing changed
          }
        }
        for (const [n, reader] of readers.entries()) {
          const fresh = new Map<string, Incident>();
          for (let since = 0; ;) {
            const page = await readChanges(t.ctx, reader, { since, limit: pageSize });
            apply(fresh, page.items);
            since = page.next_since;
            if (page.caught_up) break;
          }
          const follower = resumed[n] as { mirror: Map<string, Incident>; since: number };
          for (;;) {
            const page = await readChanges(t.ctx, reader, { since: follower.since, limit: 50 });
            apply(follower.mirror, page.items);
            follower.since = page.next_since;
            if (page.caught_up) break;
          }
          const want = await listed(reader);
          const versions = (m: Map<string, Incident>) => new Map([...m].map(([id, r]) => [id, r.version]));
          expect(versions(fresh)).toEqual(want);
          expect(versions(follower.mirror)).toEqual(want);
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
