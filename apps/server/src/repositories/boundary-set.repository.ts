import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { BoundaryCrosswalkTable, BoundarySetAreasTable, BoundarySetsTable, IncidentsTable, ReplacementJobsTable } from '../db/schema.js';

export type BoundarySetRow = Selectable<BoundarySetsTable>;
export type CrosswalkRow = Selectable<BoundaryCrosswalkTable>;
export type ReplacementJobRow = Selectable<ReplacementJobsTable>;

export const listBoundarySets = (trx: Trx, state?: string) =>
  trx.selectFrom('boundary_sets').selectAll().$if(!!state, (q) => q.where('state', '=', state!)).orderBy('state').orderBy('valid_from').orderBy('created_at').execute();

export const findBoundarySet = (trx: Trx, code: string) => trx.selectFrom('boundary_sets').selectAll().where('code', '=', code).executeTakeFirst();

/** The state's current set: the one still open. */
export const currentBoundarySet = (trx: Trx, state: string) =>
  trx.selectFrom('boundary_sets').selectAll().where('state', '=', state).where('valid_to', 'is', null).executeTakeFirst();

export async function insertBoundarySet(trx: Trx, row: Insertable<BoundarySetsTable>): Promise<void> {
  await trx.insertInto('boundary_sets').values(row).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export async function closeBoundarySet(trx: Trx, code: string, validTo: string): Promise<void> {
  await trx.updateTable('boundary_sets').set({ valid_to: validTo }).where('code', '=', code).execute();
}

/** Copies a state's current areas (those of `set`) into the archive of that set, before a newer set replaces them. */
export async function archiveCurrentAreas(trx: Trx, state: string, set: string): Promise<number> {
  const areas = await trx
    .selectFrom('admin_areas')
    .select(['code', 'state', 'level', 'parent_code', 'name_fr', 'name_en', 'centroid_lat', 'centroid_lon', 'geometry'])
    .where('state', '=', state)
    .where('retired_on', 'is', null)
    .execute();
  for (const a of areas) {
    await trx.insertInto('boundary_set_areas').values({ ...a, set_code: set }).onConflict((oc) => oc.columns(['set_code', 'code']).doNothing()).execute();
  }
  return areas.length;
}

export const listSetAreas = (trx: Trx, set: string) =>
  trx.selectFrom('boundary_set_areas').selectAll().where('set_code', '=', set).orderBy('level').orderBy('code').execute();

/** Marks the current areas of the new set, and retires the state's areas that are not in it (no polygon any more). */
export async function retireAreasOutside(trx: Trx, state: string, set: string, keep: string[], on: string): Promise<number> {
  if (keep.length) await trx.updateTable('admin_areas').set({ boundary_set: set, retired_on: null }).where('code', 'in', keep).execute();
  const r = await trx
    .updateTable('admin_areas')
    .set({ retired_on: on, geometry: null, min_lon: null, min_lat: null, max_lon: null, max_lat: null })
    .where('state', '=', state)
    .where('retired_on', 'is', null)
    .$if(keep.length > 0, (q) => q.where('code', 'not in', keep))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function tagAreasWithSet(trx: Trx, codes: string[], set: string): Promise<void> {
  if (codes.length) await trx.updateTable('admin_areas').set({ boundary_set: set }).where('code', 'in', codes).execute();
}

export async function replaceCrosswalk(trx: Trx, fromSet: string, toSet: string, rows: Insertable<BoundaryCrosswalkTable>[]): Promise<void> {
  await trx.deleteFrom('boundary_crosswalk').where('from_set', '=', fromSet).where('to_set', '=', toSet).execute();
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('boundary_crosswalk').values(rows.slice(i, i + 200)).execute();
}

export const listCrosswalk = (trx: Trx, filter: { fromSet?: string; toSet?: string } = {}) =>
  trx
    .selectFrom('boundary_crosswalk')
    .selectAll()
    .$if(!!filter.fromSet, (q) => q.where('from_set', '=', filter.fromSet!))
    .$if(!!filter.toSet, (q) => q.where('to_set', '=', filter.toSet!))
    .orderBy('from_set')
    .orderBy('from_code')
    .orderBy('share_of_from', 'desc')
    .execute();

export async function insertJob(trx: Trx, row: Insertable<ReplacementJobsTable>): Promise<void> {
  await trx.insertInto('replacement_jobs').values(row).execute();
}

export async function updateJob(trx: Trx, id: string, patch: Partial<Omit<ReplacementJobRow, 'id'>>): Promise<void> {
  await trx.updateTable('replacement_jobs').set(patch).where('id', '=', id).execute();
}

export const findJob = (trx: Trx, id: string) => trx.selectFrom('replacement_jobs').selectAll().where('id', '=', id).executeTakeFirst();
export const listJobs = (trx: Trx, status?: ReplacementJobRow['status']) =>
  trx.selectFrom('replacement_jobs').selectAll().$if(!!status, (q) => q.where('status', '=', status!)).orderBy('started_at', 'desc').limit(50).execute();

/** The next incidents after `cursor` in id order, with what re-placement reads. */
export const incidentsAfter = (trx: Trx, cursor: string | null, limit: number) =>
  trx
    .selectFrom('incidents')
    .select(['id', 'latitude', 'longitude', 'geo_precision', 'occurred_start', 'admin1_code', 'admin2_code', 'placement_method', 'placed_boundary_set', 'placed_admin1_code', 'placed_admin2_code'])
    .$if(cursor !== null, (q) => q.where('id', '>', cursor!))
    .orderBy('id')
    .limit(limit)
    .execute();

export async function countIncidents(trx: Trx): Promise<number> {
  const r = await trx.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Where an incident was placed: in the set valid at its date, and in the current set, with the method. */
export const incidentPlacementRow = (trx: Trx, id: string) =>
  trx.selectFrom('incidents')
    .select(['placement_method', 'placed_boundary_set', 'placed_admin1_code', 'placed_admin2_code', 'admin1_code', 'admin2_code'])
    .where('id', '=', id)
    .executeTakeFirst();

/** Names of areas by code: a closed set's archived areas, or the current areas (set null). */
export const areaNames = (trx: Trx, codes: readonly string[], set: string | null) =>
  codes.length === 0
    ? Promise.resolve([] as { code: string; state: string; name_fr: string; name_en: string }[])
    : set
      ? trx.selectFrom('boundary_set_areas').select(['code', 'state', 'name_fr', 'name_en']).where('set_code', '=', set).where('code', 'in', [...codes]).execute()
      : trx.selectFrom('admin_areas').select(['code', 'state', 'name_fr', 'name_en']).where('code', 'in', [...codes]).execute();

/** Writes an incident's placement (its areas, method and the boundary set it was placed in) without touching its version. */
export async function setIncidentPlacement(trx: Trx, id: string, placement: Pick<Updateable<IncidentsTable>, 'placement_method' | 'placed_boundary_set' | 'placed_admin1_code' | 'placed_admin2_code' | 'admin1_code' | 'admin2_code' | 'coarse_latitude' | 'coarse_longitude'>): Promise<void> {
  await trx.updateTable('incidents').set(placement).where('id', '=', id).execute();
}

/** Counts a change of an incident made outside its edit path: one more version, updated now. */
export async function bumpIncidentVersion(trx: Trx, id: string, at: string): Promise<void> {
  await trx.updateTable('incidents').set((eb) => ({ version: eb('version', '+', 1), updated_at: at })).where('id', '=', id).execute();
}
