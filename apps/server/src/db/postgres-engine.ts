import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, sql, type DatabaseIntrospector, type PostgresPool, type PostgresPoolClient, type SqlBool } from 'kysely';
import pg from 'pg';
import { textLiteral, type Db, type Engine, type Trx } from './engine.js';
import { csvCopyPage, textCopyPage } from './line-layout.js';
import { copyOut } from './postgres-copy.js';
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

/** Set while background work asks for a request connection (engine.background().ahead). */
const backgroundTurn = new AsyncLocalStorage<true>();

/**
 * The request pool as Kysely sees it: at most `max` connections handed out, the waiting background work (the live
 * alerts' delivery: the reader's session check, the audit of a classified message) served before the waiting requests,
 * as SQLite's driver does. Fifty writers queueing for ten connections would otherwise hold each live alert back by a
 * round of their requests. Requests are served first come, first served.
 */
function prioritisedPool(pool: pg.Pool, max: number): PostgresPool {
  const requests: (() => void)[] = [];
  const background: (() => void)[] = [];
  let out = 0;
  const free = () => {
    const next = background.shift() ?? requests.shift();
    if (next) next();
    else out--;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      if (out < max) out++;
      else await new Promise<void>((resolve) => (backgroundTurn.getStore() ? background : requests).push(resolve));
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        free();
        throw e;
      }
      let w = wrapped.get(client);
      if (!w) {
        const c = client;
        w = { query: c.query.bind(c) as PostgresPoolClient['query'], release: (destroy?: boolean) => { c.release(destroy); free(); } };
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

/**
 * JSON.stringify writes a lone surrogate (half of a UTF-16 pair, which no UTF-8 text can hold) as an escape that
 * PostgreSQL's json refuses, failing the whole statement; the driver sends one in a bound value as U+FFFD, as UTF-8
 * encoders do. The same here: each such escape becomes `\ufffd` (an escaped backslash before `ud…` is skipped).
 */
function wellFormedJson(json: string): string {
  if (!json.includes('\\ud')) return json;
  return json.replace(/\\(ud[89a-f][0-9a-f]{2}|.)/g, (escape, u: string) => (u.length === 5 ? '\\ufffd' : escape));
}

/** Opens a PostgreSQL database by URL. Same migrations and repositories as SQLite. */
export function openPostgresEngine(url: string, options: { max?: number; schema?: string } = {}): Engine & { pool: pg.Pool } {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new VigiePostgresDialect({ pool: prioritisedPool(pool, max) }) });
  const ownPool = (max: number): Db => new Kysely<Database>({
    dialect: new VigiePostgresDialect({ pool: new pg.Pool({ connectionString: url, max, ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}) }) }),
  });
  // The background pool: two connections of its own, so that the work after commit does not queue behind the requests.
  let background: Db | null = null;
  const backgroundDb = (): Db => (background ??= ownPool(2));
  // The audit's group commit: one connection of its own (it runs one transaction at a time), never behind the requests.
  let audit: Db | null = null;
  const auditDb = (): Db => (audit ??= ownPool(1));
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
  const selectArrays: Engine['selectArrays'] = async (query) => {
    const { sql: text, parameters } = query.compile();
    return (await pool.query({ text, values: parameters as unknown[], rowMode: 'array' })).rows as unknown[][];
  };
  return {
    kind: 'postgres',
    db,
    pool,
    describe: url.replace(/:[^:@/]*@/, ':***@'),
    text: {
      // to_json escapes as JSON.stringify does (\" \\ \b \f \n \r \t, other controls as \u00xx).
      json: (v) => sql<string>`coalesce(to_json(${v}::text)::text, 'null')`,
      // In a regular expression's brackets a backslash escapes: written twice.
      holdsAnyOf: (v, chars) => sql<SqlBool>`(${v} ~ ${textLiteral(`[${chars.replaceAll('\\', '\\\\')}]`)})`,
      holdsAnyAfter: (v, mark, chars) => sql<SqlBool>`(${v} ~ ${textLiteral(`${mark}[${chars.replaceAll('\\', '\\\\')}]`)})`,
      // ARE: `$` is the end of the text only (not before a final line break), as in JavaScript without the m flag.
      isUnsignedDecimal: (v) => sql<SqlBool>`(${v} ~ '^[0-9]+([.][0-9]+)?$')`,
      joinJsonArray: (a, sep) => {
        const each = sql<string>`coalesce((select string_agg(coalesce(j.v, ''), ${textLiteral(sep)} order by j.n) from json_array_elements_text(${a}::json) with ordinality as j(v, n)), '')`;
        // As on SQLite: an array of strings as JSON.stringify writes it, none holding a quote or a backslash (nearly
        // every array), is the text between `["` and `"]`, separated by `","`, read without parsing the JSON.
        const items = sql<string>`substr(${a}, 3, length(${a}) - 4)`;
        return sql<string>`(case when ${a} = '[]' then '' when ${a} like '["%"]' and strpos(${a}, ${textLiteral('\\')}) = 0 and strpos(replace(${items}, '","', ''), '"') = 0 then replace(${items}, '","', ${textLiteral(sep)}) else ${each} end)`;
      },
    },
    textMatch(terms) {
      const query = terms.map((t) => `${t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').join(' & ')}:*`).join(' & ');
      return sql<boolean>`incidents.search_vector @@ to_tsquery('simple', ${query})`;
    },
    async indexSearchText() {
      // search_vector is a generated column derived from search_text.
    },
    async insertMany(trx, table, rows) {
      const columns = Object.keys(rows[0] ?? {});
      if (!columns.length) return;
      // The rows as one JSON parameter, read by the table's own row type: JSON.stringify is native, where arrays per
      // column were text literals escaped value by value in JavaScript (a batch's history snapshots: 3.4 → 0.9 s for
      // 20,000 records) and parsed again by the server.
      const list = sql.join(columns.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${wellFormedJson(JSON.stringify(rows))}::json)`.execute(trx);
    },
    selectArrays,
    // The pool's connections: reads ahead run on connections of their own, beside the one being written out.
    readArrays: (query) => selectArrays(query),
    // The window's rows are sorted once they hold their text: memory enough for a window of long narratives, so that
    // the sort never spills to disk (SET LOCAL, for this read only).
    copyCsv: async (query, sep) => csvCopyPage(await copyOut(pool, query, `format csv, delimiter ${pg.escapeLiteral(sep)}`, { work_mem: '32MB' }), sep),
    copyLines: async (query, layout) => textCopyPage(await copyOut(pool, query, 'format text', { work_mem: '32MB' }), layout),
    isoWeek: (day) => sql<string>`to_char(cast(${day} as date), 'IYYY-"W"IW')`,
    lockAuditChain: (trx) => chainLock(trx),
    // The audit chain's lock: audited writes already take it, and one lock for both logs cannot deadlock.
    lockChangeLog: (trx) => chainLock(trx),
    writeTransaction: (fn) => db.transaction().execute(fn),
    auditTransaction: (fn) => auditDb().transaction().execute(fn),
    async appendAuditAfter(after, links) {
      // One statement on its own (migration 20261205T1000-audit-append-after): lock, check of the last link, insert, commit.
      const r = await sql<{ ok: boolean }>`select audit_append_after(${after.seq}, ${after.hash}, ${JSON.stringify(links)}::jsonb) as ok`.execute(auditDb());
      return r.rows[0]?.ok === true;
    },
    background: () => {
      const own = backgroundDb();
      return { db: own, writeTransaction: (fn) => own.transaction().execute(fn), ahead: (fn) => backgroundTurn.run(true, fn) };
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
      await audit?.destroy();
      await db.destroy();
    },
  };
}
