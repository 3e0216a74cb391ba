import { sql, type Compilable, type Expression, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { AuditEventsTable, Database } from './schema.js';

export type EngineKind = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
/** A database failure, as `Engine.failureKind` classifies it. */
export type DatabaseFailure = 'constraint_violation' | 'schema_mismatch' | 'database_unavailable';
export type Trx = Transaction<Database> | Kysely<Database>;

/**
 * What differs between the embedded SQLite engine and PostgreSQL, in one place.
 * Repositories call these capabilities and never test which engine they run on.
 */
export interface Engine {
  readonly kind: EngineKind;
  readonly db: Db;
  /** A condition on `incidents.id` true when the folded search text matches every term (prefix match). */
  textMatch(terms: string[]): Expression<SqlBool>;
  /** What exports need to write their text in SQL (repositories/incident-export.repository.ts), in the engine's terms. */
  readonly text: ExportTextSql;
  /** Brings the full-text index of these incidents in step with their `search_text` (a no-op where the engine derives it). */
  indexSearchText(trx: Trx, ids: readonly string[]): Promise<void>;
  /**
   * Inserts many rows of one shape (the first row's columns) into `table` inside the caller's transaction, for bulk
   * imports. PostgreSQL sends one `insert … select from json_populate_recordset(…)` with the rows as one JSON value:
   * one statement whatever the number of rows, so its statement-level triggers (the rollups) fire once, with no
   * thousands of bound values to parse and plan. SQLite runs multi-row INSERTs of a few hundred rows on its one
   * connection, straight through its driver.
   */
  insertMany(trx: Trx, table: string, rows: readonly object[]): Promise<void>;
  /** Serialises appends to the audit chain inside the current transaction. */
  lockAuditChain(trx: Trx): Promise<void>;
  /**
   * Serialises appends to the change log until the transaction ends, so that seqs become visible in order: a follower
   * that read up to seq N never meets a lower seq committing later.
   */
  lockChangeLog(trx: Trx): Promise<void>;
  /** Runs a write transaction with the engine's strongest safe isolation for it. */
  writeTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Connections of its own for work that runs beside the requests after they commit (the alert rules' evaluation), so
   * that it never waits behind fifty writers for a request connection: `db` reads (and, where the engine allows a
   * second writer, writes) outside the requests' connections; `writeTransaction` is where that work writes. SQLite: a
   * read-only connection to the same file (each statement reads the last committed state) and the one writer;
   * PostgreSQL: a small pool of its own for both. Opened on first use, closed with the engine.
   */
  background(): {
    db: Db;
    writeTransaction: Engine['writeTransaction'];
    /** Runs `fn` with the background's turn wherever it uses the request connection (SQLite: before the waiting requests). */
    ahead<T>(fn: () => Promise<T>): Promise<T>;
  };
  /**
   * Runs a transaction of the audit's group commit (entries that go with no change: reads of classified records) where
   * it never waits behind the requests queued for a connection, since each of its commits releases a whole batch of
   * answers held for it. SQLite: the one writer, handed to it before the waiting requests; PostgreSQL: a connection of
   * its own (opened on first use, closed with the engine).
   */
  auditTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * The audit's group commit without a general transaction around it: appends `links` to the chain, on the audit's
   * lane, under the chain's lock, committed (and so durable) when it returns — only if the chain's last link is still
   * `after`. False, with nothing written, when it is not (another writer appended since). PostgreSQL: one statement (one
   * round trip instead of five). SQLite: one immediate transaction of prepared statements on the connection's turn,
   * with no query builder or promise between them.
   */
  appendAuditAfter?(after: { seq: number; hash: string }, links: readonly Selectable<AuditEventsTable>[]): Promise<boolean>;
  /** A read-only snapshot transaction (consistent backups, exports). */
  snapshot<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** The ISO 8601 week ('YYYY-Www') of a UTC day given as 'YYYY-MM-DD' text. */
  isoWeek(day: Expression<string>): RawBuilder<string>;
  /** The schema that holds Vigie's tables where the engine has schemas (PostgreSQL's current schema). */
  currentSchema(): Promise<string | undefined>;
  /** Rebuilds what a bulk restore bypassed (search index, sequences). */
  afterRestore(trx: Trx): Promise<void>;
  /** Whether an error is the engine's unique-constraint violation (two writers raced to insert the same key). */
  isUniqueViolation(e: unknown): boolean;
  /**
   * What kind of database failure an error is, in the engine's own terms (its error codes): a constraint the data
   * breaks, a statement the schema cannot take (a value of the wrong type, an unknown column), or the database not
   * answering; null for an error that is not the database's.
   */
  failureKind(e: unknown): DatabaseFailure | null;
  /**
   * Runs a SELECT outside any transaction and returns its rows as arrays of values in the select list's order, values
   * typed as the driver gives them (bulk reads: exports and the change feed build their own records, without an
   * object per row from the driver first). It sees committed rows only: on SQLite it waits for the one connection as
   * Kysely's queries do (so it must not be called from inside a transaction, which holds that connection).
   */
  selectArrays(query: Compilable<unknown>): Promise<unknown[][]>;
  /**
   * selectArrays for a bulk read that may run beside the event loop, several at once (an export reads its next pages
   * while it writes one): SQLite runs it on a reader thread with a read-only connection of its own (the main
   * connection for an in-memory database), PostgreSQL on a connection of the pool. Each read sees the last commit.
   */
  readArrays(query: Compilable<unknown>): Promise<unknown[][]>;
  /**
   * readArrays for a page of export lines (rows of level, audited id, head, latitude, longitude, tail), laid out as
   * UTF-8 bytes where the rows are read: SQLite's reader threads write the page there, and hand its bytes over (no copy
   * of every line's text to the event loop, which only passes the bytes on). Absent (PostgreSQL, an in-memory
   * database): the caller lays the rows out itself (layLines).
   */
  readLines?(query: Compilable<unknown>, layout: LineLayout): Promise<LinePage>;
  /**
   * A page of CSV export lines written by the database itself (PostgreSQL: COPY … TO STDOUT in CSV, quoted by its own
   * code), the select's first two columns the row's level and audited id, the others the line's fields; laid out as
   * the export's CSV with `sep` between the fields (csvCopyPage). Absent: the caller writes the lines (readLines).
   */
  copyCsv?(query: Compilable<unknown>, sep: string): Promise<LinePage>;
  /**
   * A page of export lines whose text the database writes whole (the select's columns: level, audited id, line), sent
   * as COPY's text and laid out with `layout`'s separators (textCopyPage). Absent: readLines.
   */
  copyLines?(query: Compilable<unknown>, layout: LineLayout): Promise<LinePage>;
  /** Human-readable location of the data, for messages. */
  readonly describe: string;
  close(): Promise<void>;
}

/** How a page of export lines is laid out: each row's head, point and tail; the rows separated by `between`, `after` after the last. */
export interface LineLayout {
  between: string;
  after: string;
  /** The point: which coordinate comes first, the text between the two, and the text of a missing one. */
  point: { first: 'latitude' | 'longitude'; sep: string; missing: string };
}

/** A page of export lines as UTF-8 bytes, with what the export's audit needs of its rows. */
export interface LinePage {
  /** How many rows (lines) the page holds. */
  count: number;
  /** The highest classification level among them (-1 when none). */
  top: number;
  /** The ids the rows gave as audited (classified), in order. */
  audited: string[];
  chunk: Buffer;
}

/** SQL expressions over text values, for files written by the database (the export's lines). */
export interface ExportTextSql {
  /** The value as a JSON value: a string written as JSON.stringify writes it (same escapes), `null` when it is null. */
  json(value: Expression<string | null>): RawBuilder<string>;
  /** True when the text holds one of the characters of `chars`, a bracket expression's inside (`a-z` a range; no `]` or `^`). */
  holdsAnyOf(value: Expression<string>, chars: string): RawBuilder<SqlBool>;
  /** True when the text holds `mark` followed by one of the characters of `chars` (as holdsAnyOf). */
  holdsAnyAfter(value: Expression<string>, mark: string, chars: string): RawBuilder<SqlBool>;
  /** True when the text is digits, or digits, a point and digits (ASCII digits: JavaScript's `\\d`). */
  isUnsignedDecimal(value: Expression<string>): RawBuilder<SqlBool>;
  /** The items of a JSON array of texts held as text joined by `sep`, missing items as ''; '' for []. */
  joinJsonArray(array: Expression<string>, sep: string): RawBuilder<string>;
}

/** A text literal for SQL text (both engines: standard quoting, every other character as it is). */
export const textLiteral = (s: string): RawBuilder<string> => sql.raw(`'${s.replaceAll("'", "''")}'`);

/** Engine-neutral row count helper: PostgreSQL returns bigint counts as strings. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  return 0;
}
