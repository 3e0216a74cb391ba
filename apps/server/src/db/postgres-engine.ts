import { Kysely, PostgresDialect, sql, type DatabaseIntrospector } from 'kysely';
import pg from 'pg';
import type { Db, Engine, Trx } from './engine.js';
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
  // The background pool: two connections of its own, so that the work after commit does not queue behind the requests.
  let background: Db | null = null;
  const backgroundDb = (): Db => {
    if (!background) {
      const own = new pg.Pool({ connectionString: url, max: 2, ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}) });
      background = new Kysely<Database>({ dialect: new VigiePostgresDialect({ pool: own }) });
    }
    return background;
  };
  // Transactions that hold the chain's lock (held until they end): an audited change that also appends to the change
  // log takes it once, not twice (one round trip less while every other writer waits for it). The lock is the
  // schema's own (advisory locks are database-wide): Vigie databases kept side by side in schemas of one PostgreSQL
  // database — deployments, tests, benchmarks — never wait for each other's audit chain.
  const locked = new WeakSet<object>();
  const chainLock = async (trx: Trx) => {
    if (locked.has(trx)) return;
    await sql`select pg_advisory_xact_lock(7346101, hashtext(current_schema()))`.execute(trx);
    if (trx.isTransaction) locked.add(trx);
  };
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
    lockAuditChain: (trx) => chainLock(trx),
    // The audit chain's lock: audited writes already take it, and one lock for both logs cannot deadlock.
    lockChangeLog: (trx) => chainLock(trx),
    writeTransaction: (fn) => db.transaction().execute(fn),
    background: () => {
      const own = backgroundDb();
      return { db: own, writeTransaction: (fn) => own.transaction().execute(fn), ahead: (fn) => fn() };
    },
    isUniqueViolation: (e) => (e as { code?: unknown })?.code === '23505',
    failureKind(e) {
      // SQLSTATE classes: 23 integrity constraint, 22 data exception, 42 syntax or undefined object, 08 connection,
      // 53 insufficient resources, 57 operator intervention (shutdown); node errors when the server does not answer.
      const code = String((e as { code?: unknown })?.code ?? '');
      if (code.startsWith('23')) return 'constraint_violation';
      if (code.startsWith('22') || code.startsWith('42')) return 'schema_mismatch';
      if (/^(08|53|57)/.test(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code)) return 'database_unavailable';
      if (e instanceof Error && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)) return 'database_unavailable';
      return null;
    },
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
      await background?.destroy();
      await db.destroy();
    },
  };
}
