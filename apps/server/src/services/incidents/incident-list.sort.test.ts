/**
 * The incident list sorted by toll (the web list's "Tués (décroissant)"), with no filter: on SQLite it is read through
 * the toll's own index (incidents_fatalities, repositories/incident.repository.ts sortIndex), elsewhere as the planner
 * chooses. Either way a reader paging through it with its cursors gets exactly the records they see in the list's date
 * order, each once, highest toll first (ties: the greater id first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentStatus } from '@vigie/domain';
import { SYSTEM, type Principal } from '../principal.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { importIncidents } from './incident.service.js';
import { listIncidents } from './incident-reads.js';

const STATES = ['MLI', 'BFA', 'NER'];
const STATUSES: IncidentStatus[] = ['validated', 'submitted', 'draft', 'validated', 'rejected', 'merged'];
const CLASSIFICATIONS = ['public', 'restricted', 'confidential', 'secret'] as const;

describe.each(ENGINES)('the incident list sorted by toll (%s)', (kind) => {
  let t: TestVigie;
  const readers: Record<string, Principal> = {};

  beforeAll(async () => {
    t = await testVigie(kind);
    readers.analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    readers.reporter = await newUser(t.ctx, { org: 'BFA', role: 'reporter', clearance: 2 });
    readers.nigerien = await newUser(t.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    readers.confederation = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    readers.system = SYSTEM;
    // Tolls with many ties (0 on a third of them), every status, classification and scope, some of them the BFA reporter's.
    const items = Array.from({ length: 90 }, (_, i) => {
      const state = STATES[i % 3] as string;
      const toll = i % 3 === 0 ? 0 : (i * 7) % 11;
      return {
        input: newIncident({
          state, fatalities_best: toll, civilian_fatalities: 0, occurred_start: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString(),
          classification: CLASSIFICATIONS[i % 4], sharing_scope: i % 5 === 0 ? 'national' : 'confederation',
        }),
        options: { reportingState: state, status: STATUSES[i % STATUSES.length] as IncidentStatus, reporterId: i % 4 === 1 ? readers.reporter.userId : null },
      };
    });
    expect(await importIncidents(t.ctx, SYSTEM, items, { batchAudit: 'test' })).toMatchObject({ created: 90, rejected: [] });
  });
  afterAll(async () => { await t?.drop(); });

  /** Every page of a sort, through its cursors, `limit` at a time. */
  async function walk(reader: Principal, sort: '-fatalities_best', limit: number): Promise<Incident[]> {
    const all: Incident[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await listIncidents(t.ctx, reader, { sort, limit, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      if (!page.next_cursor) return all;
      cursor = page.next_cursor;
    }
    throw new Error('the pages never ended');
  }
  const byToll = (a: Incident, b: Incident) => b.fatalities_best - a.fatalities_best || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  it('gives each reader, page after page, exactly the records they see in date order, by toll', async () => {
    for (const [who, reader] of Object.entries(readers)) {
      const seen = (await listIncidents(t.ctx, reader, { limit: 500 })).items;
      expect(seen.length, who).toBeGreaterThan(0);
      const highest = await walk(reader, '-fatalities_best', 7);
      expect(highest.map((i) => i.id), who).toEqual([...seen].sort(byToll).map((i) => i.id));
      // Pages that end in the middle of a toll's ties.
      const small = await walk(reader, '-fatalities_best', 2);
      expect(small.map((i) => i.id), who).toEqual(highest.map((i) => i.id));
    }
    // Below the line, read by toll: nothing above the reader's clearance, no other state's report under review or
    // another's draft.
    const levels = ['public', 'restricted', 'confidential', 'secret'];
    for (const [who, reader] of Object.entries(readers)) {
      if (reader.kind === 'system') continue;
      const items = await walk(reader, '-fatalities_best', 50);
      expect(items.filter((i) => levels.indexOf(i.classification) > reader.clearance), who).toEqual([]);
      expect(items.filter((i) => i.status === 'draft' && i.reporter !== reader.userId), who).toEqual([]);
      expect(items.filter((i) => (i.status === 'submitted' || i.status === 'rejected') && i.reporting_state !== reader.organisation && i.reporter !== reader.userId), who).toEqual([]);
      expect(items.filter((i) => i.sharing_scope === 'national' && i.reporting_state !== reader.organisation && i.reporter !== reader.userId), who).toEqual([]);
    }
    // The readers see different records: the check above is not the same list five times.
    const counts = await Promise.all(Object.values(readers).map(async (r) => (await walk(r, '-fatalities_best', 50)).length));
    expect(new Set(counts).size).toBeGreaterThan(2);
  });
});
