import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Selectable, type SqlBool, type SqliteDatabase } from 'kysely';
import { textLiteral, type Db, type Engine } from './engine.js';
import { rebuildRollups } from './rollups.js';
import { BACKSTOP_PAGES, sqliteCheckpointer } from './sqlite-checkpointer.js';
import { sqliteReaders } from './sqlite-readers.js';
import type { AuditEventsTable, Database } from './schema.js';

/** Longest run of writers handed the connection one after the other without letting the event loop turn (ms). */
const TURN_MS = 20;

/**
 * Set while work that goes before the requests asks for the connection: background work (engine.background()
 * .writeTransaction and ahead) and the audit's group commit (engine.auditTransaction).
 */
const backgroundTurn = new AsyncLocalStorage<true>();

/**
 * Writers take the write lock up front (BEGIN IMMEDIATE) so a read-then-write never fails with SQLITE_BUSY. The one
 * connection goes to the background work's write transaction before the requests waiting for it: the alerts that
 * fifty writers' validations raise would otherwise wait for a whole round of them (seconds) after each run's reads.
 * Requests are served first come, first served, the event loop turning at least every TURN_MS.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  private readonly requests: (() => void)[] = [];
  private readonly background: (() => void)[] = [];
  private held = false;
  /** When the connection was last handed over on a new turn of the event loop. */
  private lastTurn = performance.now();

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Handed over by the release (still held), or taken at once when free.
    if (this.held) await new Promise<void>((resolve) => (backgroundTurn.getStore() ? this.background : this.requests).push(resolve));
    this.held = true;
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.background.shift() ?? this.requests.shift();
    if (!next) {
      this.held = false;
      return;
    }
    // SQLite answers synchronously: a queue of waiting writers handed the connection from one promise callback to the
    // next runs back to back without the event loop ever polling sockets or firing timers — answers, live alerts and new
    // requests held for seconds under fifty writers. Handed over at once while the queue has run for less than
    // TURN_MS since the loop last turned, else on the next turn.
    if (performance.now() - this.lastTurn < TURN_MS) next();
    else {
      setImmediate(() => {
        this.lastTurn = performance.now();
        next();
      });
    }
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/**
 * The connection as Kysely sees it, with prepared statements kept by SQL text (least recently used out): Kysely
 * prepares every query it runs, and preparing a wide SELECT is a large share of a short query's time (the list page, the
 * import's 10,000-parameter inserts). Safe to share: Kysely
 * runs one query at a time on SQLite's single connection.
 */
function reusingStatements(raw: BetterSqlite3.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) cache.delete(text);
      else {
        stmt = raw.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/**
 * The database holds password hashes and classified records: its folder is created 0700 and the file 0600 before
 * SQLite opens it (SQLite gives the -wal and -shm files the database file's mode). Files left wider by an older
 * version are narrowed.
 */
function privateFiles(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f) && fs.statSync(f).mode & 0o077) fs.chmodSync(f, 0o600);
  }
}

/** Opens (creating if needed) the embedded SQLite database: WAL, synchronous=FULL, foreign keys on, owner-only files. */
export function openSqliteEngine(file: string): Engine & { raw: BetterSqlite3.Database } {
  if (file !== ':memory:') privateFiles(file);
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  raw.pragma('cache_size = -65536');
  // Checkpoints on a thread of their own (db/sqlite-checkpointer.ts); the writer's own only as a backstop.
  const checkpointer = file === ':memory:' ? null : sqliteCheckpointer(file);
  if (checkpointer) raw.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const statements = reusingStatements(raw);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: statements }) });
  const writeTransaction: Engine['writeTransaction'] = async (fn) => {
    try {
      return await db.transaction().execute(fn);
    } finally {
      checkpointer?.nudge();
    }
  };
  // The background reader: its own connection (and so its own queue), read-only; an in-memory database has no second one.
  let background: Db | null = null;
  const backgroundDb = (): Db => {
    if (file === ':memory:') return db;
    if (!background) {
      const reader = new BetterSqlite3(file, { readonly: true });
      reader.pragma('busy_timeout = 10000');
      reader.pragma('cache_size = -65536');
      background = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(reader) }) });
    }
    return background;
  };
  // Statements in array mode, apart from Kysely's (raw mode is a statement's setting).
  const arrays = reusingStatements(raw, 50);
  // Bulk reads beside the event loop (exports): threads of their own, started on first use.
  const readers = file === ':memory:' ? null : sqliteReaders(file);
  // Through the connection's queue, as Kysely's own queries: a write transaction under way on the one connection
  // (awaiting between two statements) is waited for, never read into (its rows before it commits, or that it rolls back).
  const selectArrays: Engine['selectArrays'] = (query) => {
    const { sql: text, parameters } = query.compile();
    return db.connection().execute(async () => (arrays.prepare(text) as BetterSqlite3.Statement).raw(true).all(parameters as unknown[]) as unknown[][]);
  };

  // The audit's group commit on the connection's turn, without a query builder or a promise between its statements:
  // one immediate transaction of prepared statements (the check of the last link, the inserts), committed when it returns.
  const AUDIT_COLUMNS = ['seq', 'at', 'user_id', 'login', 'organisation', 'action', 'object_type', 'object_id', 'classification_level',
    'sharing_scope', 'owner_state', 'before_digest', 'after_digest', 'details', 'prev_hash', 'hash'] as const satisfies readonly (keyof AuditEventsTable)[];
  const appendAfter = raw.transaction((after: { seq: number; hash: string }, links: readonly Selectable<AuditEventsTable>[]): boolean => {
    const head = statements.prepare('select seq, hash from audit_events order by seq desc limit 1') as BetterSqlite3.Statement;
    const last = head.get() as { seq: number; hash: string } | undefined;
    if (!last || Number(last.seq) !== after.seq || last.hash !== after.hash) return false;
    const insert = statements.prepare(`insert into audit_events (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`);
    for (const link of links) insert.run(AUDIT_COLUMNS.map((c) => link[c]));
    return true;
  }).immediate;

  return {
    kind: 'sqlite',
    db,
    raw,
    describe: file,
    text: {
      // json_quote escapes as JSON.stringify does (\" \\ \b \f \n \r \t, other controls as \u00xx) and gives null for NULL.
      json: (v) => sql<string>`json_quote(${v})`,
      // GLOB has no escape character: a backslash in the class is itself.
      holdsAnyOf: (v, chars) => sql<SqlBool>`(${v} glob ${textLiteral(`*[${chars}]*`)})`,
      holdsAnyAfter: (v, mark, chars) => sql<SqlBool>`(${v} glob ${textLiteral(`*${mark}[${chars}]*`)})`,
      isUnsignedDecimal: (v) => sql<SqlBool>`(${v} <> '' and ${v} not glob '*[^0-9.]*' and ${v} not glob '.*' and ${v} not glob '*.' and ${v} not glob '*.*.*')`,
      joinJsonArray: (a, sep) => {
        const each = sql<string>`coalesce((select group_concat(coalesce(j.value, ''), ${textLiteral(sep)} order by j.key) from json_each(${a}) j), '')`;
        // An array of strings as JSON.stringify writes it, none holding a quote or a backslash (nearly every array):
        // its items are the text between `["` and `"]`, separated by `","`, read without parsing the JSON.
        const items = sql<string>`substr(${a}, 3, length(${a}) - 4)`;
        return sql<string>`(case when ${a} = '[]' then '' when ${a} glob '["*"]' and ${a} not glob '*\\*' and replace(${items}, '","', '') not glob '*"*' then replace(${items}, '","', ${textLiteral(sep)}) else ${each} end)`;
      },
    },
    textMatch(terms) {
      const query = terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
      return sql<boolean>`incidents.seq in (select rowid from incident_search where incident_search match ${query})`;
    },
    async indexSearchText(trx, ids) {
      // The FTS row shares the incident's seq (its stable rowid), so it is found without a join. A whole batch
      // takes two statements (imports index a thousand records at once).
      for (let i = 0; i < ids.length; i += 10_000) {
        const chunk = ids.slice(i, i + 10_000);
        await sql`delete from incident_search where rowid in (select seq from incidents where id in (${sql.join(chunk)}))`.execute(trx);
        await sql`insert into incident_search(rowid, body) select seq, search_text from incidents where id in (${sql.join(chunk)})`.execute(trx);
      }
    },
    async insertMany(trx, table, rows) {
      // better-sqlite3 straight: SQLite answers synchronously and the caller's transaction holds its one connection, so
      // the rows go into that transaction without a query builder turning each chunk's thousands of values into nodes
      // and back. Multi-row INSERTs of 250 rows, whose text (and so prepared statement) repeats from chunk to chunk:
      // measured faster than a single-row statement per row (each statement sets up the rollups' triggers again).
      // Outside a transaction the connection may be another's, in the middle of its own: refused.
      if (!trx.isTransaction) throw new Error('insertMany runs inside a transaction');
      const columns = Object.keys(rows[0] ?? {});
      if (!columns.length) return;
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
      for (let i = 0; i < rows.length; i += 250) {
        const chunk = rows.slice(i, i + 250) as Record<string, unknown>[];
        const values: unknown[] = [];
        for (const r of chunk) for (const c of columns) values.push(r[c] ?? null);
        statements.prepare(head + Array(chunk.length).fill(tuple).join(', ')).run(values);
      }
    },
    selectArrays,
    async readArrays(query) {
      if (!readers) return selectArrays(query);
      const { sql: text, parameters } = query.compile();
      return readers.selectArrays(text, parameters);
    },
    ...(readers ? {
      readLines(query, layout) {
        const { sql: text, parameters } = query.compile();
        return readers.selectLines(text, parameters, layout);
      },
    } : {}),
    isoWeek: (day) => sql<string>`strftime('%G-W%V', ${day})`,
    async lockAuditChain() {
      // BEGIN IMMEDIATE already holds SQLite's single write lock.
    },
    async lockChangeLog() {
      // BEGIN IMMEDIATE already holds SQLite's single write lock.
    },
    writeTransaction,
    auditTransaction: (fn) => backgroundTurn.run(true, () => writeTransaction(fn)),
    appendAuditAfter: (after, links) => backgroundTurn.run(true, async () => {
      try {
        return await db.connection().execute(async () => appendAfter(after, links));
      } finally {
        checkpointer?.nudge();
      }
    }),
    background: () => ({
      db: backgroundDb(),
      writeTransaction: (fn) => backgroundTurn.run(true, () => writeTransaction(fn)),
      ahead: (fn) => backgroundTurn.run(true, fn),
    }),
    async snapshot(fn) {
      if (file === ':memory:') return db.transaction().execute(fn);
      // A second, read-only connection: its transaction sees one WAL snapshot while writers carry on.
      const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file, { readonly: true }) }) });
      try {
        return await reader.transaction().execute(fn);
      } finally {
        await reader.destroy();
      }
    },
    currentSchema: async () => undefined,
    isUniqueViolation: (e) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(String((e as { code?: unknown })?.code)),
    failureKind(e) {
      const code = String((e as { code?: unknown })?.code ?? '');
      if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint_violation';
      if (/^SQLITE_(MISMATCH|RANGE|TOOBIG)/.test(code)) return 'schema_mismatch';
      if (code === 'SQLITE_ERROR' && /no such (column|table)|has no column/.test(String((e as Error).message))) return 'schema_mismatch';
      if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/.test(code)) return 'database_unavailable';
      if (e instanceof TypeError && /database connection is not open/.test(e.message)) return 'database_unavailable';
      // better-sqlite3 refuses a value it cannot bind (an object, an array) with a TypeError.
      if (e instanceof TypeError && /can only bind|SQLite3 can only/i.test(e.message)) return 'schema_mismatch';
      return null;
    },
    async afterRestore(trx) {
      await sql`delete from incident_search`.execute(trx);
      await sql`insert into incident_search(rowid, body) select seq, search_text from incidents`.execute(trx);
      await rebuildRollups(trx);
    },
    async close() {
      await checkpointer?.close();
      await readers?.close();
      await background?.destroy();
      await db.destroy();
    },
  };
}
