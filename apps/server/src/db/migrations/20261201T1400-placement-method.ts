import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * How an incident's admin areas were found (docs/geography.md): `polygon` (the point lies inside a boundary),
 * `nearest_polygon` (just outside every boundary, within the 5 km tolerance), `centroid_precision` (recorded at
 * admin-2 precision: the admin-2 area's centroid is kept), `nearest_centroid` (a state without imported boundaries).
 * Null for records placed before the column existed.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await sql`alter table incidents add column placement_method text`.execute(db);
}
