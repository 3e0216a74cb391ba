import { aggregateQuerySchema, EVENT_TYPES, INCIDENT_STATUSES, type IncidentCreate, type Role } from '@vigie/domain';
import type { z } from 'zod';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACE_ROLLUPS, rebuildPlaceRollups, type PlaceRollupSpec } from '../db/rollups-place.js';
import { gridBox, placeRollupFor, splitByDekad } from '../repositories/aggregate-place.repository.js';
import { upsertAdminArea } from '../repositories/reference.repository.js';
import { ENGINES } from '../test-support/engines.js';
import { newId, newIncident, testVigie, type TestVigie } from '../test-support/factories.js';
import { aggregateIncidents } from './aggregate.service.js';
import { createIncident, patchIncident } from './incidents/incident.service.js';
import { rejectIncident, submitIncident, validateIncident } from './incidents/incident-workflow.js';
import { mergeIncident } from './incidents/merge.service.js';
import { SYSTEM, type Principal } from './principal.js';

// The area and cell rollups (db/rollups-place.ts) against the incidents themselves: the same figures for every reader,
// and the same rows as a rebuild after any sequence of writes.

/** Member states' test areas, with points on and off the 0.5° grid lines near each. */
const AREAS = {
  MLI: { admin1: 'ML05', admin2: ['ML05-T1', 'ML05-T2'], lats: [14.49, 14.5, 14], lons: [-4.19, -4, -4.5] },
  BFA: { admin1: 'BF52', admin2: ['BF52-T1'], lats: [14.1, 14, 14.5], lons: [-1.63, -1.5, -2] },
  NER: { admin1: 'NE006', admin2: [] as string[], lats: [14.21, 14, 14.5], lons: [1.45, 1.5, 1] },
} as const;
type State = keyof typeof AREAS;
const STATES = Object.keys(AREAS) as State[];
const SUB_TYPES = EVENT_TYPES.flatMap((t) => t.subTypes.map((s) => ({ event_type: t.slug, sub_event_type: s.slug })));
const LEVELS = ['public', 'restricted', 'confidential', 'secret'] as const;
const SCOPES = ['national', 'confederation', 'public'] as const;

const dayOf = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

const incidentArb = fc.record({
  state: fc.constantFrom(...STATES),
  day: fc.integer({ min: 0, max: 200 }),
  lat: fc.integer({ min: 0, max: 2 }),
  lon: fc.integer({ min: 0, max: 2 }),
  type: fc.constantFrom(...SUB_TYPES),
  fatalities: fc.integer({ min: 0, max: 30 }),
  classification: fc.constantFrom(...LEVELS),
  scope: fc.constantFrom(...SCOPES),
  hidden: fc.constantFrom(null, 'restricted', 'confidential', 'secret'),
  status: fc.constantFrom('draft', 'submitted', 'validated', 'validated', 'validated'),
});
type Generated = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

const reader = (organisation: string, role: Role, clearance: number): Principal => ({ kind: 'user', userId: newId(), login: 'r', organisation, role, clearance });
const principalArb = fc.oneof(
  { arbitrary: fc.constant(SYSTEM), weight: 1 },
  { weight: 5, arbitrary: fc.record({
    organisation: fc.constantFrom('MLI', 'BFA', 'NER', 'CONF'),
    role: fc.constantFrom<Role>('reporter', 'analyst', 'focal_point', 'confederation_analyst'),
    clearance: fc.integer({ min: 0, max: 3 }),
  }).map((p) => reader(p.organisation, p.role, p.clearance)) },
);

/** Boxes on the grid (half-degree edges), mostly, and some off it (answered from the incidents). */
const bboxArb = fc.oneof(
  fc.tuple(fc.integer({ min: -10, max: 2 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 26, max: 29 }), fc.integer({ min: 0, max: 4 }))
    .map(([x, w, y, h]) => [x / 2, y / 2, (x + w) / 2, (y + h) / 2].join(',')),
  fc.constant('-4.3,13.9,1.47,14.5'),
);

const days = fc.integer({ min: 0, max: 200 }).map(dayOf);
/** Periods of every shape (open ends, edges inside months and dekads), rarely empty. */
const period = { from: days, to: days };
const ordered = <T extends { from?: string; to?: string }>(f: T): T => (f.from && f.to && f.from > f.to ? { ...f, from: f.to, to: f.from } : f);
const states = fc.subarray([...STATES], { minLength: 1 });
const status = fc.constantFrom(['validated'], ['validated', 'merged'], ['submitted', 'rejected', 'validated'], ['merged']);
const order = fc.option(fc.constantFrom('-fatalities', 'incidents'), { nil: undefined });
/** Queries shaped for the area rollup, for the cell rollup, and anything (which the incidents answer when neither can). */
const queryArb = fc.oneof(
  fc.record({
    filter: fc.record({ ...period, states, status, admin1: fc.subarray(['ML05', 'BF52', 'NE006'], { minLength: 1 }), admin2: fc.subarray(['ML05-T1', 'ML05-T2', 'BF52-T1'], { minLength: 1 }) }, { requiredKeys: [] }),
    group_by: fc.subarray(['state', 'admin1', 'admin2', 'month', 'quarter', 'year'], { maxLength: 2 }).map((d) => (d.includes('admin2') ? d : ['admin2', ...d])),
    order,
  }),
  fc.record({
    filter: fc.record({ ...period, states, status, event_types: fc.subarray(EVENT_TYPES.map((t) => t.slug), { minLength: 1, maxLength: 3 }), bbox: bboxArb }, { requiredKeys: ['bbox'] }),
    group_by: fc.subarray(['state', 'event_type', 'month', 'quarter', 'year'], { maxLength: 2 }),
    order,
  }),
  fc.record({
    filter: fc.record({
      ...period, states, status: fc.subarray([...INCIDENT_STATUSES], { minLength: 1 }), bbox: bboxArb,
      admin2: fc.subarray(['ML05-T1', 'ML05-T2', 'BF52-T1'], { minLength: 1 }), event_types: fc.subarray(EVENT_TYPES.map((t) => t.slug), { minLength: 1, maxLength: 3 }),
    }, { requiredKeys: [] }),
    group_by: fc.subarray(['state', 'admin1', 'admin2', 'event_type', 'sub_event_type', 'week', 'month'], { maxLength: 2 }),
    order,
  }),
);

/** The query as the API receives it (lists joined by commas), for the service to parse. */
const asQuery = (q: { filter: Record<string, unknown>; group_by: readonly string[]; order?: string }) => ({
  ...Object.fromEntries(Object.entries(q.filter).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
  group_by: q.group_by.join(','),
  ...(q.order ? { order: q.order } : {}),
}) as z.input<typeof aggregateQuerySchema>;

describe('splitting a period into months, dekads and edge days', () => {
  it('reads whole months, then whole dekads, and at most nine days at each edge', () => {
    expect(splitByDekad('2026-08-02', undefined)).toEqual({
      months: { from: '2026-09', to: undefined }, dekads: ['2026-08-11', '2026-08-21'], days: [{ from: '2026-08-02', to: '2026-08-10' }],
    });
    expect(splitByDekad('2025-10-31', '2026-10-30')).toEqual({
      months: { from: '2025-11', to: '2026-09' }, dekads: ['2026-10-01', '2026-10-11'], days: [{ from: '2025-10-31', to: '2025-10-31' }, { from: '2026-10-21', to: '2026-10-30' }],
    });
    expect(splitByDekad('2024-02-11', '2024-02-29')).toEqual({ months: undefined, dekads: ['2024-02-11', '2024-02-21'], days: [] });
    expect(splitByDekad('2024-02-12', '2024-02-19')).toEqual({ months: undefined, dekads: [], days: [{ from: '2024-02-12', to: '2024-02-19' }] });
    expect(splitByDekad(undefined, undefined)).toEqual({ months: { from: undefined, to: undefined }, dekads: [], days: [] });
  });

  it('answers a bounding box from the cells only on the half-degree grid', () => {
    expect(gridBox('-2.5,13,1.5,15.5')).toEqual({ minLon: -2.5, minLat: 13, maxLon: 1.5, maxLat: 15.5 });
    expect(gridBox('-2.5,13,1.4,15.5')).toBeNull();
    expect(placeRollupFor(SYSTEM, { bbox: '-2.5,13,1.4,15.5' }, ['event_type'])).toBeNull();
    expect(placeRollupFor(SYSTEM, { bbox: '-2.5,13,1.5,15.5' }, ['event_type'])).toBe('cell');
    expect(placeRollupFor(SYSTEM, { q: 'marché' }, ['admin2'])).toBeNull();
    expect(placeRollupFor(SYSTEM, {}, ['admin2'])).toBe('area');
  });
});

describe.each(ENGINES)('area and cell rollups on %s', (kind) => {
  let t: TestVigie;

  beforeAll(async () => {
    t = await testVigie(kind, { shippedBoundaries: false });
    await t.ctx.engine.writeTransaction(async (trx) => {
      for (const [state, a] of Object.entries(AREAS)) {
        for (const code of a.admin2) {
          await upsertAdminArea(trx, {
            code, state, level: 2, parent_code: a.admin1, name_fr: code, name_en: code, name_folded: code.toLowerCase(),
            centroid_lat: a.lats[0] + 0.3, centroid_lon: a.lons[0] + 0.3,
          });
        }
      }
    });
    t.ctx.gazetteer.invalidate();
  });
  afterAll(async () => t.drop());

  const create = async (g: Generated) => {
    const a = AREAS[g.state];
    const body: IncidentCreate = newIncident({
      state: g.state, occurred_start: `${dayOf(g.day)}T10:00:00Z`, latitude: a.lats[g.lat], longitude: a.lons[g.lon],
      admin1_code: a.admin1, admin2_code: a.admin2[g.lat % Math.max(a.admin2.length, 1)] ?? null, ...g.type,
      actor1: 'JNIM', actor2: null, fatalities_best: g.fatalities, civilian_fatalities: 0, injured: 1,
      classification: g.classification, sharing_scope: g.scope, exact_location_classification: g.hidden, status: 'draft',
    });
    return (await createIncident(t.ctx, SYSTEM, body, { reportingState: g.state, status: g.status as 'draft' | 'submitted' | 'validated' })).incident;
  };

  const snapshot = (s: PlaceRollupSpec) => sql<Record<string, unknown>>`select * from ${sql.table(s.table)} order by ${sql.join(['grain', 'period', ...s.keys.map((k) => k.name)].map((c) => sql.ref(c)))}`
    .execute(t.ctx.engine.db).then((r) => r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'period' ? Number(v) : v]))));

  it('never counts what the reader may not see, nor places a hidden point where the reader cannot see it', async () => {
    const base: Generated = { state: 'MLI', day: 300, lat: 0, lon: 0, type: SUB_TYPES[0]!, fatalities: 1, classification: 'restricted', scope: 'confederation', hidden: null, status: 'validated' };
    await create({ ...base, fatalities: 2 }); // seen by all cleared to restricted
    await create({ ...base, fatalities: 20, classification: 'secret' }); // above a confidential clearance
    await create({ ...base, fatalities: 300, scope: 'national' }); // Mali's own
    await create({ ...base, fatalities: 4000, hidden: 'secret' }); // exact point secret: coarse point at ML05-T1's centroid (14.79, -3.89)
    const window = { from: '2025-10-01', to: '2025-10-31', group_by: 'state' }; // a whole month: from the rollups alone
    const exactBox = { ...window, bbox: '-4.5,14,-4,14.5' }; // the exact point (14.49, -4.19), not the coarse one
    const coarseBox = { ...window, bbox: '-4,14.5,-3.5,15' };
    const bfa = reader('BFA', 'analyst', 2);
    const mli = reader('MLI', 'analyst', 3);
    const fatalities = async (p: Principal, q: Record<string, string>) => {
      const place = await aggregateIncidents(t.ctx, p, q, 'place');
      expect(place).toEqual(await aggregateIncidents(t.ctx, p, q, 'raw'));
      return place.totals.fatalities;
    };
    expect(await fatalities(bfa, exactBox)).toBe(2);
    expect(await fatalities(bfa, coarseBox)).toBe(4000);
    expect(await fatalities(mli, exactBox)).toBe(2 + 20 + 300 + 4000);
    expect(await fatalities(mli, coarseBox)).toBe(0);
    expect(await fatalities(bfa, { ...window, group_by: 'admin2' })).toBe(4002);
    expect(await fatalities(reader('BFA', 'analyst', 0), { ...window, group_by: 'admin2' })).toBe(0);
  });

  it('stays equal to a rebuild and to the incidents after creates, edits, reclassifications, transitions, merges and deletions', async () => {
    const created = [];
    for (const g of fc.sample(incidentArb, { seed: 16, numRuns: 70 })) created.push(await create(g));
    const ops = fc.sample(fc.tuple(fc.integer({ min: 0, max: 69 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1_000_000 })), { seed: 2, numRuns: 60 });
    for (const [i, op, r] of ops) {
      const inc = created[i]!;
      const current = await t.ctx.engine.db.selectFrom('incidents').select(['version', 'status']).where('id', '=', inc.id).executeTakeFirst();
      if (!current || (current.status === 'merged' && op < 4)) continue; // a merged record is closed
      if (op === 0) {
        const a = AREAS[STATES[r % 3]!];
        await patchIncident(t.ctx, SYSTEM, inc.id, {
          version: current.version, fatalities_best: r % 40, civilian_fatalities: 0, latitude: a.lats[r % 3], longitude: a.lons[(r >> 2) % 3],
          occurred_start: `${dayOf(r % 200)}T06:00:00Z`, ...SUB_TYPES[r % SUB_TYPES.length]!, change_reason: 'révision',
        }).catch(() => undefined); // a point outside the record's state is refused: nothing changes
      } else if (op === 1) {
        await patchIncident(t.ctx, SYSTEM, inc.id, {
          version: current.version, classification: LEVELS[r % 4], sharing_scope: SCOPES[r % 3],
          exact_location_classification: ([null, 'confidential', 'secret'] as const)[r % 3], change_reason: 'reclassement',
        });
      } else if (op === 2) {
        if (current.status === 'draft') await submitIncident(t.ctx, SYSTEM, inc.id);
        else if (current.status === 'submitted') await (r % 2 ? validateIncident(t.ctx, SYSTEM, inc.id) : rejectIncident(t.ctx, SYSTEM, inc.id, { reason: 'non confirmé' }));
      } else if (op === 3 && current.status === 'validated') {
        const into = created[(i + 1 + (r % 69)) % 70]!;
        const target = await t.ctx.engine.db.selectFrom('incidents').select('status').where('id', '=', into.id).executeTakeFirst();
        if (target?.status === 'validated') await mergeIncident(t.ctx, SYSTEM, inc.id, { into: into.id });
      } else if (op === 4) {
        await t.ctx.engine.writeTransaction(async (trx) => {
          // As the federation withdraws a record: what points to it first.
          await trx.deleteFrom('alert_evidence').where('incident_id', '=', inc.id).execute();
          await trx.updateTable('incidents').set({ merged_into: null }).where('merged_into', '=', inc.id).execute();
          await trx.deleteFrom('incidents').where('id', '=', inc.id).execute();
        });
      } else {
        await t.ctx.engine.writeTransaction(async (trx) => {
          await trx.updateTable('incidents').set({ admin2_code: null }).where('admin2_code', '=', 'ML05-T2').where('occurred_start', '>=', `${dayOf(r % 200)}`).execute();
        });
      }
    }
    // The sequence did delete and merge records.
    const left = await t.ctx.engine.db.selectFrom('incidents').select(['status']).where('id', 'in', created.map((c) => c.id)).execute();
    expect(left.length).toBeLessThan(created.length);
    expect(left.some((r) => r.status === 'merged')).toBe(true);
    const maintained = await Promise.all(PLACE_ROLLUPS.map((s) => snapshot(s)));
    expect(maintained.flat().every((row) => Number(row.incidents) > 0)).toBe(true);
    await t.ctx.engine.writeTransaction((trx) => rebuildPlaceRollups(trx));
    expect(maintained).toEqual(await Promise.all(PLACE_ROLLUPS.map((s) => snapshot(s))));
    expect(maintained).toHaveLength(3); // by area, by cell, by type

    let fromPlace = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(principalArb, queryArb, async (principal, q) => {
        const query = asQuery({ ...q, filter: ordered(q.filter) });
        if (placeRollupFor(principal, { ...q.filter, status: q.filter.status ?? ['validated'] } as never, [...q.group_by] as never)) fromPlace++;
        const raw = await aggregateIncidents(t.ctx, principal, query, 'raw');
        if (raw.totals.incidents > 0) nonEmpty++;
        expect(await aggregateIncidents(t.ctx, principal, query, 'place')).toEqual(raw);
        expect(await aggregateIncidents(t.ctx, principal, query, 'auto')).toEqual(raw);
      }),
      { numRuns: 150, seed: 20261202 },
    );
    expect(fromPlace).toBeGreaterThan(30);
    expect(nonEmpty).toBeGreaterThan(30);
  });
});
