import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';
import { deferInsertTrigger } from '../rollups.js';
import { createPlaceRollup, TYPE_ROLLUP } from '../rollups-place.js';

/**
 * The rollup by event type and reporting state (db/rollups-place.ts TYPE_ROLLUP), per month and dekad: the OGC items
 * page's numberMatched for a type, a state and a period of whole days reads a few dozen of its rows and the days at the
 * period's edges, where it read every index entry of the period (about 9,000 at 1,000,000 incidents, ~4.6 ms on
 * PostgreSQL). Kept by triggers like the other rollups; on SQLite its insert trigger skips during a bulk import's batch,
 * which adds itself in one grouped upsert (db/rollups.ts).
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await createPlaceRollup(db, kind, TYPE_ROLLUP);
  if (kind === 'sqlite') await deferInsertTrigger(db, TYPE_ROLLUP.table);
}
