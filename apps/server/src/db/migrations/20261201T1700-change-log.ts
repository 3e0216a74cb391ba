import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * The change log (docs/changes.md): one row per committed change to a record, appended in the change's own
 * transaction by the one mutation path (services/mutation.ts). No payload: a follower is answered with the record as
 * it sees it now. `seq` only grows; appends are serialised (Engine.lockChangeLog) so that seqs commit in order.
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  await db.schema
    .createTable('change_log')
    .addColumn('seq', kind === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_log_entity').on('change_log').columns(['entity_type', 'entity_id']).execute();
  // Records created before the log existed are entered once, so that following from 0 also brings them.
  const now = new Date().toISOString();
  const seed = async (type: string, table: string) =>
    sql`insert into change_log (entity_type, entity_id, op, changed_at) select ${type}, id, 'create', ${now} from ${sql.table(table)} order by id`.execute(db);
  await seed('incident', 'incidents');
  await seed('alert', 'alerts');
  await seed('indicator_value', 'indicator_values');
  await seed('meeting', 'meetings');
  await seed('decision', 'meeting_decisions');
  await seed('action', 'coordination_actions');
}
