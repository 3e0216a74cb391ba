import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { AREA_ROLLUP, CELL_ROLLUP, createPlaceRollup } from '../rollups-place.js';

/**
 * Rollups by admin-2 area and by 0.5° cell, per month and per dekad, for "top areas over a period" and "types in a
 * bounding box" (their definition, triggers and rebuild: db/rollups-place.ts).
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await createPlaceRollup(db, kind, AREA_ROLLUP);
  await createPlaceRollup(db, kind, CELL_ROLLUP);
}
