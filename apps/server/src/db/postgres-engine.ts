import { Kysely, PostgresDialect, sql, type DatabaseIntrospector } from 'kysely';
import pg from 'pg';
import type { Engine } from './engine.js';
import { CurrentSchemaIntrospector } from './postgres-introspector.js';
import { rebuildRollups } from './rollups.js';
import type { Database } from './schema.js';

// Counts and sums come back as numbers, not strings: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** PostgreSQL as Kysely speaks it, with an introspector that looks at Vigie's own schema only. */
class VigiePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

/** Opens a PostgreSQL database by URL. Same migrations and repositories as SQLite. */
export function openPostgresEngine(url: string, options: { max?: number; schema?: string } = {}): Engine & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new VigiePostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    pool,
    describe: url.replace(/:[^:@/]*@/, ':***@'),
    textMatch(terms) {
      const query = terms.map((t) => `${t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').join(' & ')}:*`).join(' & ');
      return sql<boolean>`incidents.search_vector @@ to_tsquery('simple', ${query})`;
    },
    async indexSearchText() {
      // search_vector is a generated column derived from search_text.
    },
    async selectArrays(query) {
      const { sql: text, parameters } = query.compile();
      return (await pool.query({ text, values: parameters as unknown[], rowMode: 'array' })).rows as unknown[][];
    },
    isoWeek: (day) => sql<string>`to_char(cast(${day} as date), 'IYYY-"W"IW')`,
    async lockAuditChain(trx) {
      await sql`select pg_advisory_xact_lock(7346101)`.execute(trx);
    },
    async lockChangeLog(trx) {
      // The audit chain's lock: audited writes already take it, and one lock for both logs cannot deadlock.
      await sql`select pg_advisory_xact_lock(7346101)`.execute(trx);
    },
    writeTransaction: (fn) => db.transaction().execute(fn),
    isUniqueViolation: (e) => (e as { code?: unknown })?.code === '23505',
    async currentSchema() {
      const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
      return r.rows[0]?.s;
    },
    async afterRestore(trx) {
      // Explicit keys were restored: move each serial sequence past them.
      await sql`select setval(pg_get_serial_sequence('incidents', 'seq'), coalesce((select max(seq) from incidents), 0) + 1, false)`.execute(trx);
      await sql`select setval(pg_get_serial_sequence('change_log', 'seq'), coalesce((select max(seq) from change_log), 0) + 1, false)`.execute(trx);
      await rebuildRollups(trx);
    },
    snapshot: (fn) => db.transaction().setIsolationLevel('repeatable read').execute(fn),
    async close() {
      await db.destroy();
    },
  };
}
