import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Boundary versions (docs/geography.md, "Boundary versions"):
 * - `boundary_sets`: a state's boundary set and its validity (`valid_from`/`valid_to`, calendar dates, inclusive;
 *   null = open). The current set of a state is the one whose `valid_to` is null.
 * - `boundary_set_areas`: the areas of closed sets, kept when a newer set replaces them (the current set's areas
 *   are `admin_areas`).
 * - `boundary_crosswalk`: how much of each area of a closed set lies in each area of the current set (area overlap).
 * - `replacement_jobs`: the background re-placement of incidents after an import, with its progress and cursor
 *   (resumable after a crash).
 * - `admin_areas.boundary_set`, `admin_areas.retired_on`: the set a current area belongs to; the date from which an
 *   area of an older set no longer exists (kept for the codes old versions refer to, without a polygon).
 * - `incidents.placed_*`: where the incident was placed in the set valid at its date; `admin1_code`/`admin2_code`
 *   are its areas in the current set (equal when the set valid at its date is the current one).
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('boundary_sets')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().references('member_states.code'))
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('boundary_sets_validity', sql`valid_to is null or valid_from is null or valid_to >= valid_from`)
    .execute();
  await db.schema.createIndex('boundary_sets_state').on('boundary_sets').columns(['state', 'valid_from']).execute();
  await db.schema
    .createTable('boundary_set_areas')
    .addColumn('set_code', 'text', (c) => c.notNull().references('boundary_sets.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('centroid_lat', 'double precision', (c) => c.notNull())
    .addColumn('centroid_lon', 'double precision', (c) => c.notNull())
    .addColumn('geometry', 'text')
    .addPrimaryKeyConstraint('boundary_set_areas_pk', ['set_code', 'code'])
    .execute();
  await db.schema
    .createTable('boundary_crosswalk')
    .addColumn('from_set', 'text', (c) => c.notNull().references('boundary_sets.code'))
    .addColumn('from_code', 'text', (c) => c.notNull())
    .addColumn('from_level', 'integer', (c) => c.notNull())
    .addColumn('to_set', 'text', (c) => c.notNull().references('boundary_sets.code'))
    .addColumn('to_code', 'text', (c) => c.notNull())
    .addColumn('to_level', 'integer', (c) => c.notNull())
    .addColumn('overlap_km2', 'double precision', (c) => c.notNull())
    .addColumn('share_of_from', 'double precision', (c) => c.notNull().check(sql`share_of_from >= 0 and share_of_from <= 1.0001`))
    .addColumn('share_of_to', 'double precision', (c) => c.notNull().check(sql`share_of_to >= 0 and share_of_to <= 1.0001`))
    .addPrimaryKeyConstraint('boundary_crosswalk_pk', ['from_set', 'from_code', 'to_set', 'to_code'])
    .execute();
  await db.schema
    .createTable('replacement_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','done','failed')`))
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('moved', 'integer', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .execute();
  await sql`alter table admin_areas add column boundary_set text`.execute(db);
  await sql`alter table admin_areas add column retired_on text`.execute(db);
  await sql`alter table incidents add column placed_boundary_set text`.execute(db);
  await sql`alter table incidents add column placed_admin1_code text`.execute(db);
  await sql`alter table incidents add column placed_admin2_code text`.execute(db);
}
