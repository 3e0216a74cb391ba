import { AGGREGATE_DIMENSIONS, EVENT_TYPES, INCIDENT_STATUSES, type AggregateDimension, type AggregateQuery, type IncidentCreate, type Role } from '@vigie/domain';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildIncidentRollup, rebuildMonthRollup } from '../db/rollups.js';
import { buildApp } from '../http/app.js';
import { rollupCanAnswer, splitByMonth } from '../repositories/aggregate.repository.js';
import { upsertAdminArea } from '../repositories/reference.repository.js';
import { ENGINES } from '../test-support/engines.js';
import { newId, newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { aggregateGrid, aggregateH3, aggregateIncidents } from './aggregate.service.js';
import { createIncident, patchIncident } from './incidents/incident.service.js';
import { rejectIncident, submitIncident, validateIncident } from './incidents/incident-workflow.js';
import { mergeIncident } from './incidents/merge.service.js';
import { SYSTEM, type Principal } from './principal.js';

const AREAS: Record<string, { admin1: string; admin2: string[]; lat: number; lon: number }> = {
  MLI: { admin1: 'ML05', admin2: ['ML05-T1', 'ML05-T2'], lat: 14.49, lon: -4.19 },
  BFA: { admin1: 'BF52', admin2: ['BF52-T1'], lat: 14.1, lon: -1.63 },
  NER: { admin1: 'NE006', admin2: [], lat: 14.21, lon: 1.45 },
};
const SUB_TYPES = EVENT_TYPES.flatMap((t) => t.subTypes.map((s) => ({ event_type: t.slug, sub_event_type: s.slug })));
const ACTORS = ['FAMA', 'JNIM', 'GAN', 'CIVILS', 'DAN-NA-AMBASSAGOU', null] as const;
const STATES = ['MLI', 'BFA', 'NER'] as const;

/** A random incident of a member state, anywhere in 2024–2025. */
const incidentArb = fc.record({
  state: fc.constantFrom(...STATES),
  day: fc.integer({ min: 0, max: 729 }),
  hour: fc.integer({ min: 0, max: 23 }),
  type: fc.constantFrom(...SUB_TYPES),
  actor1: fc.constantFrom(...ACTORS),
  admin2: fc.integer({ min: 0, max: 2 }),
  fatalities: fc.integer({ min: 0, max: 30 }),
  civilians: fc.integer({ min: 0, max: 30 }),
  injured: fc.integer({ min: 0, max: 10 }),
  abducted: fc.integer({ min: 0, max: 5 }),
  classification: fc.constantFrom('public', 'restricted', 'confidential', 'secret'),
  scope: fc.constantFrom('national', 'confederation', 'public'),
  coarse: fc.boolean(),
  status: fc.constantFrom('draft', 'submitted', 'validated', 'validated', 'validated'),
});
type Generated = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

const dayOf = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

function toBody(g: Generated): { body: IncidentCreate; state: string; status: 'draft' | 'submitted' | 'validated' } {
  const area = AREAS[g.state] ?? AREAS.MLI!;
  const admin2 = area.admin2[g.admin2 % Math.max(area.admin2.length, 1)] ?? null;
  return {
    state: g.state,
    status: g.status as 'draft' | 'submitted' | 'validated',
    body: newIncident({
      state: g.state,
      occurred_start: `${dayOf(g.day)}T${String(g.hour).padStart(2, '0')}:30:00Z`,
      latitude: area.lat + (g.day % 7) * 0.01,
      longitude: area.lon,
      admin1_code: area.admin1,
      admin2_code: admin2,
      event_type: g.type.event_type,
      sub_event_type: g.type.sub_event_type,
      actor1: g.actor1,
      actor2: null,
      fatalities_best: g.fatalities + g.civilians,
      civilian_fatalities: g.civilians,
      injured: g.injured,
      abducted: g.abducted,
      classification: g.classification as IncidentCreate['classification'],
      sharing_scope: g.scope as IncidentCreate['sharing_scope'],
      exact_location_classification: g.coarse ? 'secret' : null,
      status: 'draft',
    }),
  };
}

const reader = (organisation: string, role: Role, clearance: number): Principal => ({ kind: 'user', userId: newId(), login: 'r', organisation, role, clearance });

const principalArb = fc.oneof(
  fc.constant(SYSTEM),
  fc.record({
    organisation: fc.constantFrom('MLI', 'BFA', 'NER', 'CONF'),
    role: fc.constantFrom<Role>('reporter', 'analyst', 'focal_point', 'confederation_analyst', 'decision_maker'),
    clearance: fc.integer({ min: 0, max: 3 }),
  }).map((p) => reader(p.organisation, p.role, p.clearance)),
);

const filterArb = fc.record(
  {
    from: fc.integer({ min: 0, max: 729 }).map(dayOf),
    to: fc.integer({ min: 0, max: 729 }).map(dayOf),
    states: fc.subarray([...STATES], { minLength: 1 }),
    admin1: fc.subarray(['ML05', 'BF52', 'NE006', 'ML01'], { minLength: 1 }),
    admin2: fc.subarray(['ML05-T1', 'ML05-T2', 'BF52-T1'], { minLength: 1 }),
    event_types: fc.subarray(EVENT_TYPES.map((t) => t.slug), { minLength: 1, maxLength: 3 }),
    sub_event_types: fc.subarray(SUB_TYPES.map((t) => t.sub_event_type), { minLength: 1, maxLength: 6 }),
    status: fc.subarray([...INCIDENT_STATUSES], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

const queryArb = fc.record({
  filter: filterArb,
  group_by: fc.subarray([...AGGREGATE_DIMENSIONS], { maxLength: 3 }).chain((d) => fc.shuffledSubarray(d, { minLength: d.length, maxLength: d.length })),
  order: fc.option(fc.constantFrom('-fatalities', 'incidents', '-civilian_fatalities'), { nil: undefined }),
});

const asQuery = (q: { filter: Record<string, unknown>; group_by: AggregateDimension[]; order?: AggregateQuery['order'] }) => ({
  ...Object.fromEntries(Object.entries(q.filter).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
  group_by: q.group_by.join(','),
  ...(q.order ? { order: q.order } : {}),
});

describe('splitting a period into whole months and edge days', () => {
  it('reads whole months monthly and the partial months at the edges daily', () => {
    expect(splitByMonth('2025-01-15', '2025-04-10')).toEqual({ months: { from: '2025-02', to: '2025-03' }, days: [{ from: '2025-01-15', to: '2025-01-31' }, { from: '2025-04-01', to: '2025-04-10' }] });
    expect(splitByMonth('2025-01-01', '2025-12-31')).toEqual({ months: { from: '2025-01', to: '2025-12' }, days: [] });
    expect(splitByMonth('2024-02-10', '2024-02-29')).toEqual({ days: [{ from: '2024-02-10', to: '2024-02-29' }] });
    expect(splitByMonth(undefined, '2025-03-30')).toEqual({ months: { from: undefined, to: '2025-02' }, days: [{ from: '2025-03-01', to: '2025-03-30' }] });
    expect(splitByMonth('2025-12-02', undefined)).toEqual({ months: { from: '2026-01', to: undefined }, days: [{ from: '2025-12-02', to: '2025-12-31' }] });
  });
});

describe.each(ENGINES)('aggregates on %s', (kind) => {
  let t: TestVigie;

  beforeAll(async () => {
    t = await testVigie(kind, { shippedBoundaries: false }); // its own test areas, placed by nearest centroid
    await t.ctx.engine.writeTransaction(async (trx) => {
      for (const [state, a] of Object.entries(AREAS)) {
        for (const code of a.admin2) {
          await upsertAdminArea(trx, {
            code, state, level: 2, parent_code: a.admin1, name_fr: code, name_en: code, name_folded: code.toLowerCase(),
            centroid_lat: a.lat + 0.2, centroid_lon: a.lon + 0.2,
          });
        }
      }
    });
    t.ctx.gazetteer.invalidate();
  });
  afterAll(async () => t.drop());

  const create = async (g: Generated) => {
    const { body, state, status } = toBody(g);
    const { incident } = await createIncident(t.ctx, SYSTEM, body, { reportingState: state, status });
    return incident;
  };

  it('groups by area and period, with the contract’s keys, and counts only validated records by default', async () => {
    const base = { state: 'MLI' as const, hour: 8, actor1: 'JNIM' as const, admin2: 0, injured: 1, abducted: 0, classification: 'restricted', scope: 'confederation', coarse: false } satisfies Partial<Generated>;
    const battle = SUB_TYPES.find((s) => s.sub_event_type === 'armed_clash') ?? SUB_TYPES[0]!;
    await create({ ...base, day: 800, type: battle, fatalities: 3, civilians: 1, status: 'validated' }); // 2026-03-11
    await create({ ...base, day: 801, type: battle, fatalities: 5, civilians: 0, status: 'validated' });
    await create({ ...base, day: 801, type: battle, fatalities: 50, civilians: 0, status: 'submitted' });
    const res = await aggregateIncidents(t.ctx, SYSTEM, { from: '2026-03-01', to: '2026-03-31', group_by: 'admin1,month,week,quarter,year,actor_kind' });
    expect(res.group_by).toEqual(['admin1', 'month', 'week', 'quarter', 'year', 'actor_kind']);
    expect(res.items).toEqual([
      { admin1: 'ML05', month: '2026-03', week: '2026-W11', quarter: '2026-Q1', year: '2026', actor_kind: 2, incidents: 2, fatalities: 9, civilian_fatalities: 1, injured: 2, abducted: 0 },
    ]);
    expect(res.totals).toEqual({ incidents: 2, fatalities: 9, civilian_fatalities: 1, injured: 2, abducted: 0 });
    const all = await aggregateIncidents(t.ctx, SYSTEM, { from: '2026-03-01', to: '2026-03-31', status: 'validated,submitted' });
    expect(all.totals.incidents).toBe(3);
  });

  it('never counts what the reader may not see: another state’s national record, a record above the clearance', async () => {
    const base = { hour: 8, actor1: 'JNIM' as const, admin2: 0, injured: 0, abducted: 0, coarse: false, status: 'validated', civilians: 0, type: SUB_TYPES[0]! } satisfies Partial<Generated>;
    await create({ ...base, state: 'MLI', day: 900, fatalities: 7, classification: 'restricted', scope: 'national' });
    await create({ ...base, state: 'BFA', day: 900, fatalities: 4, classification: 'secret', scope: 'confederation' });
    const window = { from: dayOf(900), to: dayOf(900), group_by: 'state' };
    const analystBfa = reader('BFA', 'analyst', 3);
    const analystMli = reader('MLI', 'analyst', 2);
    for (const source of ['rollup', 'raw'] as const) {
      const bfa = await aggregateIncidents(t.ctx, analystBfa, window, source);
      expect(bfa.items).toEqual([{ state: 'BFA', incidents: 1, fatalities: 4, civilian_fatalities: 0, injured: 0, abducted: 0 }]);
      const mli = await aggregateIncidents(t.ctx, analystMli, window, source);
      expect(mli.items).toEqual([{ state: 'MLI', incidents: 1, fatalities: 7, civilian_fatalities: 0, injured: 0, abducted: 0 }]);
    }
    const grid = await aggregateGrid(t.ctx, analystMli, { from: dayOf(900), to: dayOf(900), cell: 1 });
    expect(grid.items.map((c) => c.incidents)).toEqual([1]);
    const h3 = await aggregateH3(t.ctx, analystBfa, { from: dayOf(900), to: dayOf(900), res: 5 });
    expect(h3.items.map((c) => c.fatalities)).toEqual([4]);
  });

  it('puts a coarsened record in the cell of its coarse point for a reader below its location clearance', async () => {
    const g: Generated = { state: 'MLI' as const, hour: 8, actor1: null, admin2: 0, injured: 0, abducted: 0, coarse: true, status: 'validated', civilians: 0, type: SUB_TYPES[0]!, day: 950, fatalities: 1, classification: 'public', scope: 'public' };
    await create(g);
    const window = { from: dayOf(950), to: dayOf(950), cell: 0.1 };
    const exact = await aggregateGrid(t.ctx, SYSTEM, window);
    const coarse = await aggregateGrid(t.ctx, reader('BFA', 'analyst', 1), window);
    expect(exact.items).toHaveLength(1);
    expect(coarse.items).toHaveLength(1);
    // The exact point (14.54, -4.19) and ML05-T1's centroid (14.69, -3.99) fall in different 0.1° cells.
    expect(exact.items).toMatchObject([{ lat: 14.55, lon: -4.15, incidents: 1 }]);
    expect(coarse.items).toMatchObject([{ lat: 14.65, lon: -3.95, incidents: 1 }]);
  });

  it('keeps the rollup in step with creates, edits, transitions, merges, actor and area changes, and the raw answers', async () => {
    const gens = fc.sample(incidentArb, { seed: 42, numRuns: 60 });
    const created = [];
    for (const g of gens) created.push(await create(g));
    // Edits and transitions through the service.
    const rnd = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { seed: 7, numRuns: 200 });
    let k = 0;
    for (const inc of created.slice(0, 30)) {
      const r = rnd[k++]!;
      const sub = SUB_TYPES[r % SUB_TYPES.length]!;
      const edited = await patchIncident(t.ctx, SYSTEM, inc.id, {
        version: inc.version, fatalities_best: r % 40, civilian_fatalities: 0, ...sub, occurred_start: `${dayOf(r % 700)}T12:00:00Z`,
        classification: (['public', 'restricted', 'confidential', 'secret'] as const)[r % 4], sharing_scope: (['national', 'confederation', 'public'] as const)[r % 3],
        change_reason: 'révision du jeu d’essai', // lowering a classification needs a reason
      });
      if (edited.status === 'draft') await submitIncident(t.ctx, SYSTEM, inc.id);
      else if (edited.status === 'submitted') {
        if (r % 2) await validateIncident(t.ctx, SYSTEM, inc.id);
        else await rejectIncident(t.ctx, SYSTEM, inc.id, { reason: 'doublon non confirmé' });
      }
    }
    const validated = created.filter((i) => i.status === 'validated');
    if (validated.length >= 2) await mergeIncident(t.ctx, SYSTEM, validated[0]!.id, { into: validated[1]!.id });
    // Writes that bypass the incident service: an actor changes kind, areas are reassigned.
    await t.ctx.engine.writeTransaction(async (trx) => {
      await trx.updateTable('actors').set({ kind: 4 }).where('code', '=', 'GAN').execute();
      await trx.updateTable('incidents').set({ admin2_code: null }).where('admin2_code', '=', 'ML05-T2').execute();
    });

    const key = ['day', 'reporting_state', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'actor_kind', 'classification_level', 'sharing_scope', 'status'] as const;
    const snapshot = () => key.reduce((q, c) => q.orderBy(c), t.ctx.engine.db.selectFrom('incident_rollup').selectAll()).execute();
    const maintained = await snapshot();
    const monthKey = ['month', 'reporting_state', 'admin1_code', 'event_type', 'classification_level', 'sharing_scope', 'status'] as const;
    const monthSnapshot = () => monthKey.reduce((q, c) => q.orderBy(c), t.ctx.engine.db.selectFrom('incident_rollup_month').selectAll()).execute();
    const maintainedMonths = await monthSnapshot();
    await t.ctx.engine.writeTransaction(async (trx) => {
      await rebuildIncidentRollup(trx);
      await rebuildMonthRollup(trx);
    });
    expect(maintained.map((r) => ({ ...r }))).toEqual((await snapshot()).map((r) => ({ ...r })));
    expect(maintainedMonths.map((r) => ({ ...r }))).toEqual((await monthSnapshot()).map((r) => ({ ...r })));
    expect(maintained.every((r) => Number(r.incidents) > 0) && maintainedMonths.every((r) => Number(r.incidents) > 0)).toBe(true);

    await fc.assert(
      fc.asyncProperty(principalArb, queryArb, async (principal, q) => {
        const query = asQuery(q);
        const raw = await aggregateIncidents(t.ctx, principal, query, 'raw');
        const auto = await aggregateIncidents(t.ctx, principal, query, 'auto');
        expect(auto).toEqual(raw);
        const statuses = q.filter.status ?? ['validated'];
        if (rollupCanAnswer(principal, { ...q.filter, status: statuses } as never)) {
          expect(await aggregateIncidents(t.ctx, principal, query, 'rollup')).toEqual(raw);
          expect(await aggregateIncidents(t.ctx, principal, query, 'rollup_day')).toEqual(raw);
        }
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });

  it('refuses readers without aggregate.read and bad dimensions', async () => {
    await expect(aggregateIncidents(t.ctx, reader('CONF', 'admin', 3), {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(aggregateIncidents(t.ctx, SYSTEM, { group_by: 'admin1,admin1' })).rejects.toThrow();
    await expect(aggregateIncidents(t.ctx, SYSTEM, { group_by: 'person' })).rejects.toThrow();
  });

  describe('over HTTP with a real sign-in', () => {
    let app: FastifyInstance;
    const signIn = async (login: string, password: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
      expect(res.statusCode).toBe(200);
      const setCookie = res.headers['set-cookie'];
      const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
      return (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
    };
    beforeAll(async () => {
      app = await buildApp(t.ctx);
      await app.ready();
    });
    afterAll(async () => app.close());

    it('answers the contract for a BFA analyst, hiding what they may not see', async () => {
      const user = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
      const get = await signIn(user.login, user.password);
      const base = { hour: 8, actor1: 'JNIM' as const, admin2: 0, injured: 0, abducted: 0, coarse: false, status: 'validated', civilians: 1, type: SUB_TYPES[0]! } satisfies Partial<Generated>;
      await create({ ...base, state: 'MLI', day: 1000, fatalities: 7, classification: 'restricted', scope: 'national' });
      await create({ ...base, state: 'MLI', day: 1000, fatalities: 2, classification: 'restricted', scope: 'confederation' });
      await create({ ...base, state: 'BFA', day: 1000, fatalities: 9, classification: 'secret', scope: 'national' });
      await create({ ...base, state: 'BFA', day: 1000, fatalities: 3, classification: 'confidential', scope: 'national' });
      const day = dayOf(1000);
      const res = await get(`/api/v1/aggregates?group_by=state,month&from=${day}&to=${day}&order=-fatalities&limit=1`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        group_by: ['state', 'month'],
        items: [{ state: 'BFA', month: day.slice(0, 7), incidents: 1, fatalities: 4, civilian_fatalities: 1, injured: 0, abducted: 0 }],
        totals: { incidents: 2, fatalities: 7, civilian_fatalities: 2, injured: 0, abducted: 0 },
        // Which boundary sets the figures use: none registered in this world (no shipped boundaries loaded).
        boundary_frame: { sets: [] },
      });
      const grid = await get(`/api/v1/aggregates/grid?cell=0.5&from=${day}&to=${day}`);
      expect(grid.statusCode).toBe(200);
      expect((grid.json() as { cell: number; items: { incidents: number }[] }).items.reduce((a, c) => a + c.incidents, 0)).toBe(2);
      const h3 = await get(`/api/v1/aggregates/h3?res=4&from=${day}&to=${day}`);
      expect(h3.statusCode).toBe(200);
      expect((h3.json() as { res: number; items: { h3: string }[] }).items.every((i) => typeof i.h3 === 'string')).toBe(true);
      const bad = await get('/api/v1/aggregates?group_by=person');
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      const anonymous = await app.inject({ method: 'GET', url: '/api/v1/aggregates' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  it('rebuilds the rollup after a restore from the incidents', async () => {
    const before = await aggregateIncidents(t.ctx, SYSTEM, { group_by: 'admin2,event_type,year', status: 'validated,submitted,draft,rejected,merged' }, 'rollup');
    await sql`delete from incident_rollup`.execute(t.ctx.engine.db);
    await t.ctx.engine.writeTransaction((trx) => t.ctx.engine.afterRestore(trx));
    expect(await aggregateIncidents(t.ctx, SYSTEM, { group_by: 'admin2,event_type,year', status: 'validated,submitted,draft,rejected,merged' }, 'rollup')).toEqual(before);
  });
});
