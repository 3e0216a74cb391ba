/**
 * numberMatched of the OGC incidents collection is the number of features a GIS client can page through, for every
 * reader, whether it is counted from the incidents or, for a state, an event type, a status and whole days, from the type rollup
 * (db/rollups-place.ts TYPE_ROLLUP): drafts and reports seen by their reporter alone, reviewers, classification,
 * sharing, records at midnight on a period's edges, and records moved by an edit.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStatus } from '@vigie/domain';
import { rebuildRollups } from '../db/rollups.js';
import { importIncidents, patchIncident } from '../services/incidents/incident.service.js';
import { listIncidents } from '../services/incidents/incident-reads.js';
import { SYSTEM, type Principal } from '../services/principal.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { incidentItems, type ItemsQuery } from './features.js';
import { parseCql2Text } from './cql2/parse-text.js';

const STATES = ['MLI', 'BFA', 'NER'];
const TYPES = [['violence_against_civilians', 'attack'], ['battles', 'armed_clash'], ['protests', 'peaceful_protest']] as const;
const STATUSES: IncidentStatus[] = ['validated', 'validated', 'submitted', 'draft', 'rejected', 'validated', 'merged'];
const CLASSIFICATIONS = ['public', 'restricted', 'confidential'] as const;
const DAY = 86_400_000;

/** Whole-day periods (read from the rollup with their edge days), and periods that cut a day (counted from the incidents). */
const PERIODS: (ItemsQuery['time'] | undefined)[] = [
  undefined,
  { from: '2025-12-05T00:00:00.000Z', to: '2026-03-18T00:00:00.000Z', toInclusive: false },
  { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', toInclusive: false },
  { from: '2026-01-11T00:00:00.000Z', to: '2026-01-21T00:00:00.000Z', toInclusive: false },
  { from: '2026-01-15T00:00:00.000Z', to: '2026-01-16T00:00:00.000Z', toInclusive: false },
  { from: null, to: '2026-02-21T00:00:00.000Z', toInclusive: false },
  { from: '2026-01-11T00:00:00.000Z', to: null, toInclusive: true },
  { from: '2026-01-05T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', toInclusive: true },
  { from: '2026-01-05T06:00:00.000Z', to: '2026-03-01T00:00:00.000Z', toInclusive: false },
];
const SHAPES: Record<string, string>[] = [
  {}, { reporting_state: 'BFA' }, { event_type: 'battles' }, { reporting_state: 'MLI', event_type: 'violence_against_civilians' },
  { status: 'submitted' }, { reporting_state: 'MLI', status: 'draft' }, { event_type: 'protests', status: 'validated' },
];

describe.each(ENGINES)('OGC numberMatched on %s', (kind) => {
  let t: TestVigie;
  const readers: Record<string, Principal> = {};
  const ids: string[] = [];

  /** numberMatched, and the features of every page (limit 10,000: one page here). */
  const matchedAndReturned = async (reader: Principal, q: Partial<ItemsQuery>) => {
    const page = await incidentItems(t.ctx, reader, { limit: 10_000, offset: 0, ...q });
    return [page.matched, page.features.length];
  };

  beforeAll(async () => {
    t = await testVigie(kind);
    readers.analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    readers.reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    readers.minister = await newUser(t.ctx, { org: 'BFA', role: 'decision_maker', clearance: 2 });
    readers.confederation = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    readers.system = SYSTEM;
    const other = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    // 420 records over five months, through the importers' bulk path (on SQLite its batch adds itself to each rollup).
    const items = Array.from({ length: 420 }, (_, i) => {
      const [type, sub] = TYPES[i % 3] as (typeof TYPES)[number];
      const state = STATES[Math.floor(i / 3) % 3] as string;
      // Some at midnight exactly: on the first or the day after the last day of a period.
      const at = new Date(Date.parse('2025-11-20T00:00:00Z') + (i * 37 % 150) * DAY + (i % 4 === 0 ? 0 : (i % 24) * 3_600_000)).toISOString();
      const status = STATUSES[i % STATUSES.length] as IncidentStatus;
      return {
        input: newIncident({
          state, event_type: type, sub_event_type: sub, occurred_start: at, classification: CLASSIFICATIONS[i % 3],
          sharing_scope: i % 5 === 0 ? 'national' : 'confederation',
        }),
        options: { reportingState: state, status, reporterId: i % 2 === 0 ? readers.reporter.userId : i % 3 === 0 ? other.userId : null },
      };
    });
    expect(await importIncidents(t.ctx, SYSTEM, items, { batchAudit: 'test' })).toMatchObject({ created: 420, rejected: [] });
    ids.push(...items.map((x) => x.input.id));
    // Edits that move records between the rollup's rows: another type, another day, another month.
    await patchIncident(t.ctx, SYSTEM, ids[1] as string, { version: 1, event_type: 'battles', sub_event_type: 'armed_clash', change_reason: 'requalifié' });
    await patchIncident(t.ctx, SYSTEM, ids[7] as string, { version: 1, occurred_start: '2026-01-15T00:00:00Z', change_reason: 'date revue' });
    await patchIncident(t.ctx, SYSTEM, ids[14] as string, { version: 1, occurred_start: '2026-02-28T23:59:59Z', classification: 'public', change_reason: 'revu' });
  }, 120_000);
  afterAll(async () => t?.drop());

  it('counts what every reader can page through, for each state and type, over whole days and cut days', async () => {
    let compared = 0;
    for (const [name, reader] of Object.entries(readers)) {
      for (const equals of SHAPES) {
        for (const time of PERIODS) {
          const [matched, returned] = await matchedAndReturned(reader, { equals, ...(time ? { time } : {}) });
          expect(matched, `${name} ${JSON.stringify(equals)} ${JSON.stringify(time)}`).toBe(returned);
          if (matched > 0) compared++;
        }
      }
    }
    // The data gives each reader something to count in most cases (the test would pass on empty pages otherwise).
    expect(compared).toBeGreaterThan(120);
  });

  it('counts a box for every reader at the point each sees, exact or coarse', async () => {
    // Records spread around Mopti, a third with their exact place classified confidential: a reader cleared to
    // restricted sees those at their coarse point (the cercle's centre), the others at the exact one.
    const spread = Array.from({ length: 90 }, (_, i) => ({
      input: newIncident({
        state: 'MLI', latitude: 13.6 + (i % 10) * 0.2, longitude: -4.9 + Math.floor(i / 10) * 0.2, occurred_start: new Date(Date.parse('2025-12-01T00:00:00Z') + i * 1.3 * DAY).toISOString(),
        ...(i % 3 === 0 ? { exact_location_classification: 'confidential' as const } : {}), classification: i % 2 ? 'public' : 'restricted',
      }),
      options: { reportingState: 'MLI', status: (i % 7 === 0 ? 'submitted' : 'validated') as IncidentStatus, reporterId: readers.reporter.userId },
    }));
    expect(await importIncidents(t.ctx, SYSTEM, spread, { batchAudit: 'test' })).toMatchObject({ created: 90, rejected: [] });
    const boxes: [number, number, number, number][] = [[-4.5, 14, -3.5, 15], [-5, 13.5, -3, 15.5], [-4.31, 14.19, -4.09, 14.41], [-4, 14, -3.5, 14.5], [10, 10, 11, 11], [-12, 9, 5, 24]];
    let compared = 0;
    for (const [name, reader] of Object.entries(readers)) {
      for (const bbox of boxes) {
        for (const time of [undefined, PERIODS[1], PERIODS[8]]) {
          for (const equals of [{}, { status: 'validated' }] as Record<string, string>[]) {
            const [matched, returned] = await matchedAndReturned(reader, { bbox, equals, ...(time ? { time } : {}) });
            expect(matched, `${name} ${bbox.join(',')} ${JSON.stringify(time)} ${JSON.stringify(equals)}`).toBe(returned);
            if (matched > 0) compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
    // One protected record: the operator finds it in a box around its exact point alone; the analyst (restricted)
    // in a box around its coarse point alone, and never at its exact point.
    const protectedOne = spread[33]?.input as { id: string; latitude: number; longitude: number };
    const seen = await incidentItems(t.ctx, readers.analyst as Principal, { limit: 10_000, offset: 0, bbox: [-12, 9, 5, 24] });
    const coarse = seen.features.find((f) => f.id === protectedOne.id)?.geometry?.coordinates as [number, number];
    expect(coarse).toBeDefined();
    expect(coarse).not.toEqual([protectedOne.longitude, protectedOne.latitude]);
    const around = ([lon, lat]: [number, number]): [number, number, number, number] => [lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001];
    const has = async (reader: Principal, box: [number, number, number, number]) => {
      const page = await incidentItems(t.ctx, reader, { limit: 10_000, offset: 0, bbox: box });
      expect(page.matched).toBe(page.features.length);
      return page.features.some((f) => f.id === protectedOne.id);
    };
    expect(await has(SYSTEM, around([protectedOne.longitude, protectedOne.latitude]))).toBe(true);
    expect(await has(readers.analyst as Principal, around([protectedOne.longitude, protectedOne.latitude]))).toBe(false);
    expect(await has(readers.analyst as Principal, around(coarse))).toBe(true);
    expect(await has(SYSTEM, around(coarse))).toBe(false);
    // The incident list's box (read from the box's points, or in time order): the same rule. The restricted analyst
    // never gets the protected record at its exact point, nor any record above her clearance, in a box of few points or
    // of all of them.
    const listed = async (reader: Principal, box: [number, number, number, number]) =>
      (await listIncidents(t.ctx, reader, { bbox: box.join(','), limit: 500 })).items;
    expect((await listed(SYSTEM, around([protectedOne.longitude, protectedOne.latitude]))).some((i) => i.id === protectedOne.id)).toBe(true);
    expect((await listed(readers.analyst as Principal, around([protectedOne.longitude, protectedOne.latitude]))).some((i) => i.id === protectedOne.id)).toBe(false);
    for (const box of boxes) {
      const items = await listed(readers.analyst as Principal, box);
      expect(items.filter((i) => i.classification === 'confidential' || i.classification === 'secret')).toEqual([]);
      expect(items.filter((i) => i.id === protectedOne.id).map((i) => [i.longitude, i.latitude])).not.toContainEqual([protectedOne.longitude, protectedOne.latitude]);
    }
  });

  it('gives a reader below the line a count of nothing they may not see, where the rollup holds it', async () => {
    const months = { from: '2025-12-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', toInclusive: false };
    const below = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 0 });
    // Mali's drafts and submitted reports, and records classified above public: the operator counts them, from the rollup.
    const hidden: [Principal, Record<string, string>][] = [
      [readers.minister as Principal, { reporting_state: 'MLI', status: 'draft' }],
      [readers.minister as Principal, { reporting_state: 'MLI', status: 'submitted' }],
      [readers.analyst as Principal, { reporting_state: 'MLI', status: 'draft' }],
      [below, { reporting_state: 'MLI', status: 'validated' }],
    ];
    for (const [reader, equals] of hidden) {
      expect((await matchedAndReturned(SYSTEM, { equals, time: months }))[0]).toBeGreaterThan(0);
      const seen = await incidentItems(t.ctx, reader, { limit: 10_000, offset: 0, equals, time: months });
      // The analyst reviews Mali's reports but sees no one's drafts but her own (she has none); the others see none of these.
      expect(seen.features.filter((f) => f.properties.classification !== 'public' || f.properties.status !== 'validated' || f.properties.sharing_scope === 'national')).toEqual([]);
      expect(seen.matched).toBe(seen.features.length);
    }
    // What the public-cleared reader may see of them: public records shared with the confederation, counted alike.
    const [publicMatched, publicReturned] = await matchedAndReturned(below, { equals: { reporting_state: 'MLI', status: 'validated' }, time: months });
    expect(publicMatched).toBe(publicReturned);
  });

  it('counts from the rollup for a state, a type and whole days, from the incidents otherwise', async () => {
    const reader = readers.confederation as Principal;
    const whole = { equals: { reporting_state: 'NER', event_type: 'battles' }, time: PERIODS[1] };
    const cut = { equals: { reporting_state: 'NER', event_type: 'battles' }, time: PERIODS[8] };
    const cql = { filter: parseCql2Text("reporting_state = 'NER' AND event_type = 'battles'"), time: PERIODS[1] };
    const [before] = await matchedAndReturned(reader, whole);
    expect(before).toBeGreaterThan(0);
    // A rollup row of the period doubled (a fault no write path makes): only the count that reads the rollup moves.
    // A change to a record afterwards makes every count be counted again rather than kept.
    await t.ctx.engine.writeTransaction(async (trx) => {
      await sql`update incident_rollup_type set incidents = incidents * 2 where grain = 'm' and period = '2026-01' and reporting_state = 'NER' and event_type = 'battles'`.execute(trx);
    });
    await patchIncident(t.ctx, SYSTEM, ids[15] as string, { version: 1, fatalities_best: 9, change_reason: 'bilan' });
    const [doubled, returned] = await matchedAndReturned(reader, whole);
    expect(doubled).toBeGreaterThan(returned as number);
    expect((await matchedAndReturned(reader, cut))[0]).toBe((await matchedAndReturned(reader, cut))[1]);
    const [byCql, byCqlReturned] = await matchedAndReturned(reader, cql);
    expect(byCql).toBe(byCqlReturned);
    expect(byCql).toBe(returned);
    await t.ctx.engine.writeTransaction(async (trx) => rebuildRollups(trx));
    await patchIncident(t.ctx, SYSTEM, ids[15] as string, { version: 2, fatalities_best: 10, change_reason: 'bilan' });
    expect(await matchedAndReturned(reader, whole)).toEqual([before, before]);
  });
});
