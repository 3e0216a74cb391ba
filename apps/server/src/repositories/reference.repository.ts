import type { Insertable, Selectable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { ActorsTable, AdminAreasTable, MemberStatesTable, OrganisationsTable } from '../db/schema.js';

export type AdminAreaRow = Selectable<AdminAreasTable>;

export async function upsertOrganisation(trx: Trx, row: Insertable<OrganisationsTable>): Promise<void> {
  await trx
    .insertInto('organisations')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ kind: row.kind, name_fr: row.name_fr, name_en: row.name_en }))
    .execute();
}

/** An organisation's code and kind (state, confederation…), or undefined. */
export const findOrganisation = (trx: Trx, code: string) =>
  trx.selectFrom('organisations').select(['code', 'kind']).where('code', '=', code).executeTakeFirst();

export async function upsertMemberState(trx: Trx, row: Insertable<MemberStatesTable>): Promise<void> {
  await trx
    .insertInto('member_states')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ iso2: row.iso2, iso_numeric: row.iso_numeric, name_fr: row.name_fr, name_en: row.name_en, time_zone: row.time_zone, position: row.position }),
    )
    .execute();
}

/** Inserts or updates an area's names and centroid; an imported polygon is replaced only when a new one is given. */
export async function upsertAdminArea(trx: Trx, row: Insertable<AdminAreasTable>): Promise<void> {
  const names = {
    name_fr: row.name_fr, name_en: row.name_en, name_folded: row.name_folded, parent_code: row.parent_code, centroid_lat: row.centroid_lat, centroid_lon: row.centroid_lon,
    ...(row.boundary_set ? { boundary_set: row.boundary_set } : {}),
  };
  const geometry = row.geometry
    ? { geometry: row.geometry, min_lon: row.min_lon, min_lat: row.min_lat, max_lon: row.max_lon, max_lat: row.max_lat, source: row.source }
    : {};
  await trx
    .insertInto('admin_areas')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ ...names, ...geometry }))
    .execute();
}

export async function upsertActor(trx: Trx, row: Insertable<ActorsTable>): Promise<void> {
  await trx
    .insertInto('actors')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, kind: row.kind, state: row.state }))
    .execute();
}

export const listMemberStates = (trx: Trx) => trx.selectFrom('member_states').selectAll().orderBy('position').execute();
export const listActors = (trx: Trx) => trx.selectFrom('actors').selectAll().orderBy('code').execute();

/** The current areas (those of no current set are left out unless `includeRetired`). */
export function listAdminAreas(trx: Trx, filter: { state?: string; level?: number; withGeometry?: boolean; includeRetired?: boolean } = {}) {
  let q = trx
    .selectFrom('admin_areas')
    .select(['code', 'state', 'level', 'parent_code', 'name_fr', 'name_en', 'name_folded', 'centroid_lat', 'centroid_lon', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'source', 'boundary_set'])
    .$if(filter.withGeometry === true, (qb) => qb.select('geometry'))
    .select((eb) => eb.case().when('geometry', 'is not', null).then(1).else(0).end().as('has_polygon'))
    .orderBy('state')
    .orderBy('level')
    .orderBy('code');
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.level) q = q.where('level', '=', filter.level);
  if (!filter.includeRetired) q = q.where('retired_on', 'is', null);
  return q.execute();
}

/** Areas that have an imported boundary, with their geometry text. */
export const listAreaPolygons = (trx: Trx) =>
  trx
    .selectFrom('admin_areas')
    .select(['code', 'state', 'level', 'parent_code', 'centroid_lat', 'centroid_lon', 'geometry', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('geometry', 'is not', null)
    .execute();
