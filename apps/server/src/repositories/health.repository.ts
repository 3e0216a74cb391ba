import { sql } from 'kysely';
import type { Db } from '../db/engine.js';

/** Resolves when the database answers a trivial query (the health check's reachability probe). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
