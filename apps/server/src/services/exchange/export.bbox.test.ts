/**
 * A box (the map's view) exported, and counted for the list's total: the same records as the list gives with that box,
 * for every reader, at the point each sees — whichever way the box is read (bboxPlan: from the box's points when they
 * are few, the export in one window; in time order when they are many, the export in windows of the time index).
 */
import type { Incident, IncidentStatus } from '@vigie/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { boxPlanning, BOX_POINTS_MAX } from '../../repositories/incident.repository.js';
import { importIncidents } from '../incidents/incident.service.js';
import { listIncidents } from '../incidents/incident-reads.js';
import { SYSTEM, type Principal } from '../principal.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { exportIncidents } from './export.service.js';

const DAY = 86_400_000;
type Box = [number, number, number, number];
/** Around Mopti (nested, one on the coarse grid, a tiny one), an empty one, and everything. */
const BOXES: Box[] = [[-4.5, 14, -3.5, 15], [-5, 13.5, -3, 15.5], [-4.31, 14.19, -4.09, 14.41], [-4, 14, -3.5, 14.5], [10, 10, 11, 11], [-12, 9, 5, 24]];

interface Feature { id: string; geometry: { coordinates: [number, number] } | null; properties: { classification: string; status: string; reporting_state: string } }
const LEVELS = ['public', 'restricted', 'confidential', 'secret'];

describe.each(ENGINES)('exports and totals of a box (%s)', (kind) => {
  let t: TestVigie;
  const readers: Record<string, Principal> = {};
  let spread: { input: ReturnType<typeof newIncident> }[] = [];

  beforeAll(async () => {
    t = await testVigie(kind);
    readers.analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    readers.burkinabe = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    readers.confederation = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    readers.system = SYSTEM;
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    // A third with their exact place confidential (a reader cleared to restricted sees them at the cercle's centre),
    // classified up to confidential, some submitted (seen by Mali's analysts only), some kept national.
    spread = Array.from({ length: 90 }, (_, i) => ({
      input: newIncident({
        state: 'MLI', latitude: 13.6 + (i % 10) * 0.2, longitude: -4.9 + Math.floor(i / 10) * 0.2,
        occurred_start: new Date(Date.parse('2025-12-01T00:00:00Z') + i * 1.3 * DAY).toISOString(),
        ...(i % 3 === 0 ? { exact_location_classification: 'confidential' as const } : {}),
        classification: (['public', 'restricted', 'confidential'] as const)[i % 3 === 0 ? 1 : i % 3], sharing_scope: i % 4 === 0 ? 'national' : 'confederation',
      }),
      options: { reportingState: 'MLI', status: (i % 7 === 0 ? 'submitted' : 'validated') as IncidentStatus, reporterId: reporter.userId },
    }));
    expect(await importIncidents(t.ctx, SYSTEM, spread, { batchAudit: 'test' })).toMatchObject({ created: 90, rejected: [] });
  });
  afterEach(() => { boxPlanning.maxPoints = BOX_POINTS_MAX; });
  afterAll(async () => { await t?.drop(); });

  async function exported(reader: Principal, bbox: Box): Promise<{ features: Feature[]; expected: number; written: number }> {
    const out = await exportIncidents(t.ctx, reader, { format: 'geojson', bbox: bbox.join(',') });
    const chunks: Buffer[] = [];
    for await (const c of out.body) chunks.push(Buffer.from(c));
    const features = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { features: Feature[] }).features;
    return { features, expected: out.expected, written: out.written() };
  }
  const point = (i: Incident) => [i.longitude, i.latitude];

  for (const plan of ['points', 'time'] as const) {
    it(`exports and counts exactly the list's records of each box, at the point each reader sees (read ${plan === 'points' ? 'from the box\'s points' : 'in time order'})`, async () => {
      boxPlanning.maxPoints = plan === 'points' ? BOX_POINTS_MAX : 0;
      let compared = 0;
      for (const [who, reader] of Object.entries(readers)) {
        for (const bbox of BOXES) {
          const label = `${who} ${bbox.join(',')}`;
          const listed = await listIncidents(t.ctx, reader, { bbox: bbox.join(','), limit: 500, with_total: 'true' });
          expect(listed.total, label).toBe(listed.items.length);
          const file = await exported(reader, bbox);
          // The same records, newest first as the list, each at the point the list gives.
          expect(file.features.map((f) => f.id), label).toEqual(listed.items.map((i) => i.id));
          expect(file.features.map((f) => f.geometry?.coordinates), label).toEqual(listed.items.map(point));
          expect([file.expected, file.written], label).toEqual([listed.items.length, listed.items.length]);
          // Below the line: nothing above the reader's clearance, no other state's report still under review.
          if (reader.kind !== 'system') {
            expect(file.features.filter((f) => LEVELS.indexOf(f.properties.classification) > reader.clearance), label).toEqual([]);
            if (reader.organisation !== 'MLI') expect(file.features.filter((f) => f.properties.status === 'submitted'), label).toEqual([]);
          }
          if (listed.items.length) compared++;
        }
      }
      expect(compared).toBeGreaterThan(12);

      // A protected record: the restricted analyst's export of a box around its exact point does not hold it, and the
      // one of a box around her view of it (the coarse point) does, at that point.
      const protectedOne = spread[33]?.input as { id: string; latitude: number; longitude: number };
      const around = ([lon, lat]: number[]): Box => [(lon as number) - 0.001, (lat as number) - 0.001, (lon as number) + 0.001, (lat as number) + 0.001];
      const everything = await exported(readers.analyst as Principal, [-12, 9, 5, 24]);
      const coarse = everything.features.find((f) => f.id === protectedOne.id)?.geometry?.coordinates as [number, number];
      expect(coarse).not.toEqual([protectedOne.longitude, protectedOne.latitude]);
      expect((await exported(readers.analyst as Principal, around([protectedOne.longitude, protectedOne.latitude]))).features.map((f) => f.id)).not.toContain(protectedOne.id);
      expect((await exported(readers.analyst as Principal, around(coarse))).features.find((f) => f.id === protectedOne.id)?.geometry?.coordinates).toEqual(coarse);
      expect((await exported(SYSTEM, around([protectedOne.longitude, protectedOne.latitude]))).features.map((f) => f.id)).toContain(protectedOne.id);
    });
  }

  it('counts the box\'s points once for an export (its banner\'s count and its windows share the plan) and for a list page with its total', async () => {
    const counts = () => spy.mock.calls.filter(([q]) => /count\(\*\) from \(select 1 from/.test(q.compile().sql)).length;
    const spy = vi.spyOn(t.ctx.engine, 'selectArrays');
    try {
      for (const max of [BOX_POINTS_MAX, 0]) {
        boxPlanning.maxPoints = max;
        spy.mockClear();
        const file = await exported(readers.analyst as Principal, [-5, 13.5, -3, 15.5]);
        expect(file.written).toBeGreaterThan(0);
        expect(counts(), `points up to ${max}`).toBe(1);
      }
      // Another export, with the same box, counts again: the plan is that export's.
      spy.mockClear();
      await exported(readers.analyst as Principal, [-5, 13.5, -3, 15.5]);
      expect(counts()).toBe(1);
      // The list's page and its total, likewise.
      spy.mockClear();
      const listed = await listIncidents(t.ctx, readers.analyst as Principal, { bbox: '-5,13.5,-3,15.5', with_total: 'true' });
      expect(listed.total).toBeGreaterThan(0);
      expect(counts()).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('exports a box of several windows\' worth in time order, every record once', async () => {
    boxPlanning.maxPoints = 0;
    const listed = await listIncidents(t.ctx, SYSTEM, { bbox: '-12,9,5,24', limit: 500 });
    const out = await exportIncidents(t.ctx, SYSTEM, { format: 'geojson', bbox: '-12,9,5,24' }, { windowSize: 7 });
    const chunks: Buffer[] = [];
    for await (const c of out.body) chunks.push(Buffer.from(c));
    const ids = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { features: Feature[] }).features.map((f) => f.id);
    expect(ids).toEqual(listed.items.map((i) => i.id));
    expect(ids.length).toBe(90);
  });
});
