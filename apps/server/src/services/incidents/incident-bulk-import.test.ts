import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../db/rollups.js';
import { sha256 } from '../../lib/ids.js';
import { listAudit } from '../../repositories/audit.repository.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, testVigie, type TestVigie } from '../../test-support/factories.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { createIncident, importIncidents, patchIncident } from './incident.service.js';
import { incidentHistory, listIncidents } from './incident-reads.js';
import { SYSTEM } from '../principal.js';

const STATES = ['MLI', 'BFA', 'NER'];

/** The importers' bulk path: when the import ends, search, rollups, history and the audit trail all agree with the rows. */
describe.each(ENGINES)('bulk import consistency on %s', (kind) => {
  let t: TestVigie;
  const batches = [0, 1, 2].map((b) => Array.from({ length: 150 }, (_, i) => {
    const state = STATES[(b + i) % 3] as string;
    return {
      input: newIncident({
        state, narrative: `Importation massive lot${b} ligne${i} embuscade`, fatalities_best: i % 7, civilian_fatalities: Math.min(i % 3, i % 7),
        occurred_start: `2026-0${1 + (i % 6)}-1${i % 10}T08:00:00Z`, classification: (['public', 'restricted', 'confidential'] as const)[i % 3],
        // Some protected locations: they count twice in the cell rollup (exact and coarse point).
        exact_location_classification: i % 5 === 0 ? 'secret' : null,
      }),
      options: { reportingState: state, status: 'validated' as const, reporterId: null },
    };
  }));
  const ids = batches.flat().map((x) => x.input.id);

  beforeAll(async () => {
    t = await testVigie(kind);
    for (const batch of batches) expect(await importIncidents(t.ctx, SYSTEM, batch, { batchAudit: 'ucdp' })).toEqual({ created: 150, unchanged: 0, rejected: [] });
  });
  afterAll(async () => t.drop());

  it('finds every imported record by its words', async () => {
    const found = await listIncidents(t.ctx, SYSTEM, { q: 'importation lot1', limit: 200 });
    expect(found.items.map((i) => i.id).sort()).toEqual(batches[1]?.map((x) => x.input.id).sort());
    const one = await listIncidents(t.ctx, SYSTEM, { q: 'ligne42 lot2' });
    expect(one.items.map((i) => i.id)).toEqual([batches[2]?.[42]?.input.id]);
  });

  const ROLLUPS = ['incident_rollup', 'incident_rollup_month', 'incident_rollup_area', 'incident_rollup_cell', 'incident_rollup_type'] as const;
  /** Each rollup as kept, then as recounted from the incidents (rows in a stable order). */
  const keptAndRecounted = async () => {
    const order = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, String(v)]))).sort();
    const read = async () => Promise.all(ROLLUPS.map(async (tb) => order((await sql<Record<string, unknown>>`select * from ${sql.table(tb)}`.execute(t.ctx.engine.db)).rows)));
    const kept = await read();
    await t.ctx.engine.writeTransaction(async (trx) => rebuildRollups(trx));
    return { kept, recounted: await read() };
  };

  it('leaves every rollup (daily, monthly, by area, by cell) equal to a recount of the incidents', async () => {
    const { kept, recounted } = await keptAndRecounted();
    ROLLUPS.forEach((_, i) => {
      expect(kept[i]?.length).toBeGreaterThan(0);
      expect(kept[i]).toEqual(recounted[i]);
    });
    const total = await t.ctx.engine.db.selectFrom('incident_rollup').select((eb) => [eb.fn.sum<number>('incidents').as('n'), eb.fn.sum<number>('fatalities').as('f')]).executeTakeFirstOrThrow();
    expect([Number(total.n), Number(total.f)]).toEqual([450, batches.flat().reduce((s, x) => s + (x.input.fatalities_best ?? 0), 0)]);
  });

  it('counts a protected location at both its points in the cell rollup', async () => {
    const protectedIds = batches.flat().filter((x) => x.input.exact_location_classification).map((x) => x.input.id);
    const cells = await sql<{ point: string; n: number }>`select point, sum(incidents) as n from incident_rollup_cell where grain = 'm' group by point order by point`.execute(t.ctx.engine.db);
    expect(cells.rows.map((r) => [r.point, Number(r.n)])).toEqual([['c', protectedIds.length], ['e', 450]]);
  });

  it('gives every record its first version, readable in its history', async () => {
    const versions = await t.ctx.engine.db.selectFrom('incident_versions').select('incident_id').where('version', '=', 1).where('incident_id', 'in', ids).execute();
    expect(versions).toHaveLength(450);
    const history = await incidentHistory(t.ctx, SYSTEM, ids[7] as string);
    expect(history).toMatchObject([{ version: 1, accessible: true, action: 'create', snapshot: { id: ids[7], narrative: batches[0]?.[7]?.input.narrative, status: 'validated' } }]);
  });

  it('writes one audit entry per batch carrying a hash of its rows, the chain intact, and a change-log entry per record', async () => {
    const entries = (await listAudit(t.ctx.engine.db, { clearance: 3, organisation: null, action: 'incident.import', limit: 10 })).reverse();
    expect(entries).toHaveLength(3);
    const stored = new Map((await t.ctx.engine.db.selectFrom('incidents').select(['id', 'create_hash']).execute()).map((r) => [r.id, r.create_hash]));
    entries.forEach((e, b) => {
      const batch = batches[b]?.map((x) => x.input.id) ?? [];
      expect(e.classification_level).toBe(2);
      expect(JSON.parse(e.details)).toEqual({
        source: 'ucdp', count: 150, first_id: batch[0], last_id: batch.at(-1),
        rows_sha256: sha256(batch.map((id) => `${id}:${stored.get(id)}\n`).join('')),
      });
    });
    expect(await listAudit(t.ctx.engine.db, { clearance: 3, organisation: null, action: 'incident.create', limit: 10 })).toEqual([]);
    expect((await verifyAuditChain(t.ctx.engine)).ok).toBe(true);
    const changes = await t.ctx.engine.db.selectFrom('change_log').select('entity_id').where('entity_type', '=', 'incident').where('op', '=', 'create').execute();
    expect(changes.map((c) => c.entity_id).sort()).toEqual([...ids].sort());
  });

  it('stays idempotent: the same batches again change nothing and write no audit entry', async () => {
    const before = Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    for (const batch of batches) expect(await importIncidents(t.ctx, SYSTEM, batch, { batchAudit: 'ucdp' })).toEqual({ created: 0, unchanged: 150, rejected: [] });
    expect(Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  it('reports the rows it refuses, with their reason, and writes the others of their batch consistently', async () => {
    const good = newIncident({ state: 'MLI', narrative: 'Importation massive lot4 acceptée', fatalities_best: 3 });
    const unknownActor = newIncident({ state: 'MLI', actor1: 'ZZZ-INCONNU' });
    const taken = { ...newIncident({ state: 'MLI', narrative: 'autre contenu' }), id: ids[0] as string };
    const out = await importIncidents(t.ctx, SYSTEM, [
      { input: { id: 'pas-un-uuid' }, options: { reportingState: 'MLI' } },
      { input: good, options: { reportingState: 'MLI', status: 'validated' } },
      { input: unknownActor, options: { reportingState: 'MLI' } },
      { input: taken, options: { reportingState: 'MLI' } },
    ], { batchAudit: 'ucdp' });
    expect(out.created).toBe(1);
    expect(out.rejected.map((r) => [r.index, r.code ?? 'validation_failed'])).toEqual([[0, 'validation_failed'], [2, 'validation_failed'], [3, 'id_conflict']]);
    expect(out.rejected[1]?.errors).toEqual([expect.objectContaining({ field: 'actor1' })]);
    expect((await listIncidents(t.ctx, SYSTEM, { q: 'lot4' })).items.map((i) => i.id)).toEqual([good.id]);
    expect(await t.ctx.engine.db.selectFrom('incidents').select('id').where('id', '=', unknownActor.id).execute()).toEqual([]);
    const area = await sql<{ n: number }>`select sum(incidents) as n from incident_rollup_area where grain = 'm'`.execute(t.ctx.engine.db);
    expect(Number(area.rows[0]?.n)).toBe(451);
    expect((await verifyAuditChain(t.ctx.engine)).ok).toBe(true);
  });

  it('leaves the rollups in step with the writes that follow an import (a single create, an edit) — the triggers are back on', async () => {
    const state = 'NER';
    const one = newIncident({ state, narrative: 'Après importation', fatalities_best: 4, occurred_start: '2026-02-11T08:00:00Z' });
    await createIncident(t.ctx, SYSTEM, one, { reportingState: state, status: 'validated' });
    await patchIncident(t.ctx, SYSTEM, ids[3] as string, { version: 1, fatalities_best: 40, event_type: 'battles', sub_event_type: 'armed_clash', change_reason: 'bilan revu' });
    const { kept, recounted } = await keptAndRecounted();
    expect(kept).toEqual(recounted);
    const total = await sql<{ n: number }>`select sum(incidents) as n from incident_rollup_month`.execute(t.ctx.engine.db);
    expect(Number(total.rows[0]?.n)).toBe(452);
  });

  it('stores a narrative holding a lone surrogate (no UTF-8 can hold it) as U+FFFD, the same in the record, its history and a single create', async () => {
    const odd = newIncident({ state: 'MLI', narrative: 'Importation \ud800 isolée' });
    expect(await importIncidents(t.ctx, SYSTEM, [{ input: odd, options: { reportingState: 'MLI', status: 'validated' } }], { batchAudit: 'ucdp' }))
      .toEqual({ created: 1, unchanged: 0, rejected: [] });
    const one = newIncident({ state: 'MLI', narrative: 'Création \udfff isolée' });
    await createIncident(t.ctx, SYSTEM, one, { reportingState: 'MLI', status: 'validated' });
    const found = (await listIncidents(t.ctx, SYSTEM, { q: 'isolée' })).items;
    expect(found.map((i) => i.narrative).sort()).toEqual(['Création \ufffd isolée', 'Importation \ufffd isolée']);
    for (const i of found) {
      const [first] = await incidentHistory(t.ctx, SYSTEM, i.id);
      expect(first?.accessible && first.snapshot.narrative).toBe(i.narrative);
    }
    // The same report sent again (a retry) is recognised as the one stored, not a conflict.
    expect(await importIncidents(t.ctx, SYSTEM, [{ input: odd, options: { reportingState: 'MLI', status: 'validated' } }], { batchAudit: 'ucdp' }))
      .toEqual({ created: 0, unchanged: 1, rejected: [] });
  });
});
