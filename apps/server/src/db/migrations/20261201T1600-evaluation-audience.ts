import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Official figures (docs/strategy.md, "Official figures"): an evaluation is computed for a stated audience (the
 * confederation or one member state) and classification ceiling, and frozen when finalised: `frozen` holds the figures
 * (JSON: progress, trends, civilian harm) and `as_of` the moment they were computed. Existing evaluations get the
 * confederation at "restricted" (level 1); a final one without figures is frozen again when next finalised.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await sql`alter table evaluations add column audience text not null default 'CONF'`.execute(db);
  await sql`alter table evaluations add column ceiling integer not null default 1`.execute(db);
  await sql`alter table evaluations add column as_of text`.execute(db);
  await sql`alter table evaluations add column frozen text`.execute(db);
}
