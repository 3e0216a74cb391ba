import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from './incident.service.js';
import { listIncidents } from './incident-reads.js';

describe.each(ENGINES)('the review queue on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => { t = await testVigie(kind); });
  afterAll(async () => t.drop());

  it('gives the total of what matches, and pages through all of it in the chosen order', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter' });
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    const other = await newUser(t.ctx, { org: 'NER', role: 'analyst' });
    for (let d = 1; d <= 7; d++) {
      const abduction = d % 3 === 0 ? { sub_event_type: 'abduction_forced_disappearance' as const, fatalities_best: 0, civilian_fatalities: 0, abducted: 2 } : {};
      await createIncident(t.ctx, reporter, newIncident({ occurred_start: `2026-04-0${d}T08:00:00Z`, ...abduction }));
    }
    const query = { status: 'submitted', sort: '-occurred_start', limit: 3, with_total: 'true' } as const;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listIncidents(t.ctx, analyst, { ...query, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(7);
      seen.push(...page.items.map((i) => i.occurred_start.slice(0, 10)));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['2026-04-07', '2026-04-06', '2026-04-05', '2026-04-04', '2026-04-03', '2026-04-02', '2026-04-01']);
    expect((await listIncidents(t.ctx, analyst, { ...query, sub_event_types: 'abduction_forced_disappearance' })).total).toBe(2);
    // Another state's analyst does not see Mali's submitted reports, nor counts them.
    expect((await listIncidents(t.ctx, other, query)).total).toBe(0);
    expect((await listIncidents(t.ctx, analyst, { status: 'submitted' })).total).toBeUndefined();
  });

  it('counts for a reader below the line only what she may see, on every page of the queue', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 2 });
    const restricted = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    const cleared = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    for (const [d, classification] of [[1, 'restricted'], [2, 'confidential'], [3, 'restricted'], [4, 'confidential']] as const) {
      await createIncident(t.ctx, reporter, newIncident({ occurred_start: `2026-05-0${d}T08:00:00Z`, classification }));
    }
    const query = { status: 'submitted', from: '2026-05-01', to: '2026-05-31', sort: '-fatalities_best', limit: 1, with_total: 'true' } as const;
    for (const [reader, expected] of [[restricted, 2], [cleared, 4]] as const) {
      const levels: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listIncidents(t.ctx, reader, { ...query, ...(cursor ? { cursor } : {}) });
        // The total is the whole queue's as this reader sees it, whatever page she is on.
        expect(page.total).toBe(expected);
        levels.push(...page.items.map((i) => i.classification));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(levels).toHaveLength(expected);
      if (reader === restricted) expect(levels.filter((l) => l !== 'restricted')).toEqual([]);
    }
  });
});
