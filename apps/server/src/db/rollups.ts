import { sql, type Kysely } from 'kysely';
import type { EngineKind, Trx } from './engine.js';
import { postgresStatementTriggers } from './rollup-triggers.js';
import { addPlaceContributions, PLACE_ROLLUPS, rebuildPlaceRollups } from './rollups-place.js';

// The two incident rollups the aggregates read (daily and monthly): their keys, the triggers that keep them in step
// with \`incidents\`, and the functions that rebuild them (after a restore, or to repair). The migrations that created
// them call the installers below; the engines call rebuildRollups after a restore.

/**
 * Daily rollup of incidents for the aggregates, kept in step by database triggers.
 *
 * Why triggers rather than calls from the services: every path that writes `incidents` (create, patch, transitions,
 * imports, the gazetteer's reassignment, restore, and whatever capability is added next) updates the rollup in the
 * same transaction without having to remember to; a missed call would silently skew every dashboard. The rollup is
 * fully derivable, so it is not backed up: `rebuildIncidentRollup` refills it after a restore.
 *
 * Key: the columns the visibility rule reads (reporting_state, classification_level, sharing_scope, status) and the
 * aggregate dimensions (admin1, admin2, event type, sub-type, kind of actor 1, UTC day of occurred_start). Keys are
 * never NULL ('' and 0 stand for "none") so that upserts find their row on both engines.
 */

export const ROLLUP_TABLE = 'incident_rollup';

const KEY_COLUMNS = [
  'day', 'reporting_state', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'actor_kind',
  'classification_level', 'sharing_scope', 'status',
] as const;
const MEASURE_COLUMNS = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;

/** The rollup key of an incident row `r`, in KEY_COLUMNS order; `kind` is the expression of actor 1's kind. */
const keyOf = (r: string, kind: string) => [
  `substr(${r}.occurred_start, 1, 10)`, `${r}.reporting_state`, `coalesce(${r}.admin1_code, '')`, `coalesce(${r}.admin2_code, '')`,
  `${r}.event_type`, `${r}.sub_event_type`, `coalesce(${kind}, 0)`, `${r}.classification_level`, `${r}.sharing_scope`, `${r}.status`,
];
/** The contribution of an incident row `r` (sign +1 or -1), in MEASURE_COLUMNS order. */
const measuresOf = (r: string, sign: '' | '-') => [
  `${sign}1`, `${sign}${r}.fatalities_best`, `${sign}${r}.civilian_fatalities`, `${sign}${r}.injured`, `${sign}${r}.abducted`,
];
const kindLookup = (r: string) => `(select a.kind from actors a where a.code = ${r}.actor1)`;

const COLS = [...KEY_COLUMNS, ...MEASURE_COLUMNS].join(', ');
const ON_CONFLICT = `on conflict (${KEY_COLUMNS.join(', ')}) do update set ${MEASURE_COLUMNS.map((m) => `${m} = ${ROLLUP_TABLE}.${m} + excluded.${m}`).join(', ')}`;
const keyMatches = (key: string[]) => KEY_COLUMNS.map((c, i) => `${c} = ${key[i]}`).join(' and ');

/** Columns whose change moves an incident between rollup rows or changes its sums. */
const TRACKED = [
  'occurred_start', 'reporting_state', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'actor1',
  'classification_level', 'sharing_scope', 'status', 'fatalities_best', 'civilian_fatalities', 'injured', 'abducted',
];

/** Set-based contribution of the incidents of `source` (a table or transition table) that meet `where`, grouped by key. */
function groupedContribution(source: string, sign: '' | '-', where = 'true'): string {
  const key = keyOf('i', 'a.kind');
  const agg = [`${sign}count(*)`, ...['fatalities_best', 'civilian_fatalities', 'injured', 'abducted'].map((c) => `${sign}sum(i.${c})`)];
  return `select ${[...key, ...agg].join(', ')} from ${source} i left join actors a on a.code = i.actor1 where ${where} group by ${key.join(', ')}`;
}

/** Adds the contributions of the incidents that meet `where` (SQL over `incidents i`) to the daily rollup. */
async function addDailyContributions(db: Kysely<unknown> | Trx, where: string): Promise<void> {
  await sql.raw(`insert into ${ROLLUP_TABLE} (${COLS}) ${groupedContribution('incidents', '', where)} ${ON_CONFLICT}`).execute(db);
}

/** Empties and refills the rollup from the incidents (after a restore, or to repair). */
export async function rebuildIncidentRollup(db: Kysely<unknown> | Trx): Promise<void> {
  await sql`delete from ${sql.table(ROLLUP_TABLE)}`.execute(db);
  await addDailyContributions(db, 'true');
}

async function dailySqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const add = (r: string) => `insert into ${ROLLUP_TABLE} (${COLS}) values (${[...keyOf(r, kindLookup(r)), ...measuresOf(r, r === 'old' ? '-' : '')].join(', ')}) ${ON_CONFLICT};`;
  const dropEmpty = `delete from ${ROLLUP_TABLE} where ${keyMatches(keyOf('old', kindLookup('old')))} and incidents = 0;`;
  const changed = TRACKED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  await sql.raw(`create trigger incident_rollup_insert after insert on incidents begin ${add('new')} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_delete after delete on incidents begin ${add('old')} ${dropEmpty} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_update after update of ${TRACKED.join(', ')} on incidents when ${changed} begin ${add('old')} ${add('new')} ${dropEmpty} end`).execute(db);
  // An actor whose kind changes moves its incidents to another actor_kind row.
  const moveKind = (kind: string, sign: '' | '-') =>
    `insert into ${ROLLUP_TABLE} (${COLS}) select ${[...keyOf('i', kind), `${sign}count(*)`, ...['fatalities_best', 'civilian_fatalities', 'injured', 'abducted'].map((c) => `${sign}sum(i.${c})`)].join(', ')}
     from incidents i where i.actor1 = new.code group by ${keyOf('i', kind).join(', ')} ${ON_CONFLICT};`;
  await sql.raw(`create trigger incident_rollup_actor_kind after update of kind on actors when old.kind is not new.kind begin
    ${moveKind('old.kind', '-')} ${moveKind('new.kind', '')} delete from ${ROLLUP_TABLE} where actor_kind = old.kind and incidents = 0; end`).execute(db);
}

async function dailyPostgresTriggers(db: Kysely<unknown>): Promise<void> {
  // Statement-level triggers with transition tables: a bulk insert or update is folded into the rollup in one
  // grouped upsert, in key order so that concurrent writers lock rollup rows in the same order.
  const key = KEY_COLUMNS.map((_, i) => `k${i}`);
  const keyed = (source: string, sign: '' | '-') => {
    const k = keyOf('i', 'a.kind');
    const m = measuresOf('i', sign);
    return `select ${[...k.map((e, i) => `${e} as k${i}`), ...m.map((e, i) => `${e} as m${i}`)].join(', ')} from ${source} i left join actors a on a.code = i.actor1`;
  };
  const upsert = (parts: string[]) => `insert into ${ROLLUP_TABLE} (${COLS})
    select ${key.join(', ')}, ${MEASURE_COLUMNS.map((_, i) => `sum(m${i})`).join(', ')} from (${parts.join(' union all ')}) d
    group by ${key.join(', ')} having ${MEASURE_COLUMNS.map((_, i) => `sum(m${i}) <> 0`).join(' or ')}
    order by ${key.join(', ')} ${ON_CONFLICT};`;
  const dropEmpty = `delete from ${ROLLUP_TABLE} where incidents = 0 and (${KEY_COLUMNS.join(', ')}) in (select ${keyOf('i', 'a.kind').join(', ')} from old_rows i left join actors a on a.code = i.actor1);`;
  await postgresStatementTriggers(db, { name: 'incident_rollup', upsert, keyed, dropEmpty });

  const moveKind = (kind: string, sign: '' | '-') =>
    `insert into ${ROLLUP_TABLE} (${COLS}) select ${[...keyOf('i', kind), `${sign}count(*)`, ...['fatalities_best', 'civilian_fatalities', 'injured', 'abducted'].map((c) => `${sign}sum(i.${c})`)].join(', ')}
     from incidents i where i.actor1 = new.code group by ${keyOf('i', kind).join(', ')} order by ${keyOf('i', kind).join(', ')} ${ON_CONFLICT};`;
  await sql.raw(`create function incident_rollup_actor_kind() returns trigger language plpgsql as $$
    begin
      ${moveKind('old.kind', '-')}
      ${moveKind('new.kind', '')}
      delete from ${ROLLUP_TABLE} where actor_kind = old.kind and incidents = 0;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger incident_rollup_actor_kind after update of kind on actors for each row when (old.kind is distinct from new.kind) execute function incident_rollup_actor_kind()`).execute(db);
}

// ——— Monthly rollup ———

/**
 * A monthly rollup next to the daily one, for the queries that span months (area × month over a year): the daily
 * rollup is barely smaller than the incidents at a million records (about two incidents per admin-2 area and day),
 * so a year of it is hundreds of thousands of rows; by month, state, admin-1 area and event type it is a few thousand.
 * The aggregate repository reads whole months here and the partial months at the edges of a period from the daily
 * rollup. Kept by triggers like the daily one, for the same reason (every write path, same transaction).
 *
 * Also a covering index for the aggregates that must read the incidents (bounding box, actors, text): the period
 * range, the visibility columns, both points and the tolls, so that such a query reads one index and not the table.
 */

export const MONTH_ROLLUP_TABLE = 'incident_rollup_month';

const MONTH_KEY_COLUMNS = ['month', 'reporting_state', 'admin1_code', 'event_type', 'classification_level', 'sharing_scope', 'status'] as const;
const MONTH_MEASURE_COLUMNS = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;
const MONTH_TOLLS = ['fatalities_best', 'civilian_fatalities', 'injured', 'abducted'] as const;

const monthKeyOf = (r: string) => [
  `substr(${r}.occurred_start, 1, 7)`, `${r}.reporting_state`, `coalesce(${r}.admin1_code, '')`, `${r}.event_type`,
  `${r}.classification_level`, `${r}.sharing_scope`, `${r}.status`,
];
const monthMeasuresOf = (r: string, sign: '' | '-') => [`${sign}1`, ...MONTH_TOLLS.map((c) => `${sign}${r}.${c}`)];

const MONTH_COLS = [...MONTH_KEY_COLUMNS, ...MONTH_MEASURE_COLUMNS].join(', ');
const MONTH_ON_CONFLICT = `on conflict (${MONTH_KEY_COLUMNS.join(', ')}) do update set ${MONTH_MEASURE_COLUMNS.map((m) => `${m} = ${MONTH_ROLLUP_TABLE}.${m} + excluded.${m}`).join(', ')}`;
const MONTH_TRACKED = [
  'occurred_start', 'reporting_state', 'admin1_code', 'event_type', 'classification_level', 'sharing_scope', 'status',
  'fatalities_best', 'civilian_fatalities', 'injured', 'abducted',
];

/** Adds the contributions of the incidents that meet `where` (SQL over `incidents i`) to the monthly rollup. */
async function addMonthContributions(db: Kysely<unknown> | Trx, where: string): Promise<void> {
  const key = monthKeyOf('i');
  await sql.raw(`insert into ${MONTH_ROLLUP_TABLE} (${MONTH_COLS}) select ${[...key, 'count(*)', ...MONTH_TOLLS.map((c) => `sum(i.${c})`)].join(', ')}
    from incidents i where ${where} group by ${key.join(', ')} ${MONTH_ON_CONFLICT}`).execute(db);
}

/** Empties and refills the monthly rollup from the incidents. */
export async function rebuildMonthRollup(db: Kysely<unknown> | Trx): Promise<void> {
  await sql`delete from ${sql.table(MONTH_ROLLUP_TABLE)}`.execute(db);
  await addMonthContributions(db, 'true');
}

async function monthSqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const add = (r: 'old' | 'new') => `insert into ${MONTH_ROLLUP_TABLE} (${MONTH_COLS}) values (${[...monthKeyOf(r), ...monthMeasuresOf(r, r === 'old' ? '-' : '')].join(', ')}) ${MONTH_ON_CONFLICT};`;
  const dropEmpty = `delete from ${MONTH_ROLLUP_TABLE} where ${MONTH_KEY_COLUMNS.map((c, i) => `${c} = ${monthKeyOf('old')[i]}`).join(' and ')} and incidents = 0;`;
  const changed = MONTH_TRACKED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  await sql.raw(`create trigger incident_rollup_month_insert after insert on incidents begin ${add('new')} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_delete after delete on incidents begin ${add('old')} ${dropEmpty} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_update after update of ${MONTH_TRACKED.join(', ')} on incidents when ${changed} begin ${add('old')} ${add('new')} ${dropEmpty} end`).execute(db);
}

async function monthPostgresTriggers(db: Kysely<unknown>): Promise<void> {
  const k = MONTH_KEY_COLUMNS.map((_, i) => `k${i}`);
  const keyed = (source: string, sign: '' | '-') =>
    `select ${[...monthKeyOf('i').map((e, i) => `${e} as k${i}`), ...monthMeasuresOf('i', sign).map((e, i) => `${e} as m${i}`)].join(', ')} from ${source} i`;
  const upsert = (parts: string[]) => `insert into ${MONTH_ROLLUP_TABLE} (${MONTH_COLS})
    select ${k.join(', ')}, ${MONTH_MEASURE_COLUMNS.map((_, i) => `sum(m${i})`).join(', ')} from (${parts.join(' union all ')}) d
    group by ${k.join(', ')} having ${MONTH_MEASURE_COLUMNS.map((_, i) => `sum(m${i}) <> 0`).join(' or ')}
    order by ${k.join(', ')} ${MONTH_ON_CONFLICT};`;
  const dropEmpty = `delete from ${MONTH_ROLLUP_TABLE} where incidents = 0 and (${MONTH_KEY_COLUMNS.join(', ')}) in (select ${monthKeyOf('i').join(', ')} from old_rows i);`;
  await postgresStatementTriggers(db, { name: 'incident_rollup_month', upsert, keyed, dropEmpty });
}

/** The daily rollup's key and measure columns, for the migration that creates its table. */
export const DAILY_ROLLUP = { table: ROLLUP_TABLE, keys: KEY_COLUMNS, measures: MEASURE_COLUMNS } as const;
/** The monthly rollup's key and measure columns, for the migration that creates its table. */
export const MONTH_ROLLUP = { table: MONTH_ROLLUP_TABLE, keys: MONTH_KEY_COLUMNS, measures: MONTH_MEASURE_COLUMNS } as const;

/** Creates the triggers that keep the daily rollup in step with \`incidents\`. */
export const installDailyRollupTriggers = (db: Kysely<unknown>, kind: EngineKind) => (kind === 'postgres' ? dailyPostgresTriggers(db) : dailySqliteTriggers(db));
/** Creates the triggers that keep the monthly rollup in step with \`incidents\`. */
export const installMonthRollupTriggers = (db: Kysely<unknown>, kind: EngineKind) => (kind === 'postgres' ? monthPostgresTriggers(db) : monthSqliteTriggers(db));

/** Empties and refills both rollups from the incidents. */
export async function rebuildRollups(db: Kysely<unknown> | Trx): Promise<void> {
  await rebuildIncidentRollup(db);
  await rebuildMonthRollup(db);
  await rebuildPlaceRollups(db);
}

// ——— Rollups per batch (bulk imports) ———

/** SQLite: while this table holds its one row, the rollups' insert triggers skip (migration 20261206T1000-rollup-batches). */
export const ROLLUP_DEFERRAL_TABLE = 'rollup_deferral';

/**
 * SQLite: makes a rollup's insert trigger skip while the deferral row exists (migration 20261206T1000-rollup-batches),
 * its body kept as written; a rollup created after that migration goes through it too.
 */
export async function deferInsertTrigger(db: Kysely<unknown>, rollup: string): Promise<void> {
  const head = /after insert on incidents begin/i;
  const name = `${rollup}_insert`;
  const row = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = ${name}`.execute(db);
  const text = row.rows[0]?.sql;
  if (!text || !head.test(text)) throw new Error(`trigger ${name}: unexpected definition`);
  await sql.raw(`drop trigger ${name}`).execute(db);
  await sql.raw(text.replace(head, `after insert on incidents when not exists (select 1 from ${ROLLUP_DEFERRAL_TABLE}) begin`)).execute(db);
}

/** Every rollup's contributions of the incidents that meet `where` (SQL over `incidents i`), added to its rows. */
async function addContributions(db: Kysely<unknown> | Trx, where: string): Promise<void> {
  await addDailyContributions(db, where);
  await addMonthContributions(db, where);
  for (const s of PLACE_ROLLUPS) await addPlaceContributions(db, s, where);
}

/**
 * Runs `insert`, which only inserts new incidents (no update or delete of any), with the rollups brought up to date
 * once for all its rows, in the caller's transaction.
 *
 * SQLite: its triggers are per row — eight upserts for each record, half the time of an import's incidents insert.
 * While the deferral row exists they skip, and the batch's rows (those above the highest seq before it: SQLite's one
 * writer holds the transaction, so every row above it is one `insert` wrote) are added in one grouped upsert per rollup
 * and counting. The row is removed before that, whatever `insert` did, so that nothing later in the transaction (or after
 * it) escapes the triggers; a failed `insert` still leaves the rollups equal to the rows it did write.
 * PostgreSQL: its triggers are per statement already (one grouped upsert per rollup for a multi-row insert, taken in
 * key order under the writers' lock): `insert` runs as it is.
 */
export async function withRollupsPerBatch<T>(kind: EngineKind, trx: Trx, insert: () => Promise<T>): Promise<T> {
  if (kind === 'postgres') return insert();
  const top = await sql<{ seq: number | null }>`select max(seq) as seq from incidents`.execute(trx);
  const before = Number(top.rows[0]?.seq ?? 0);
  const resume = async () => {
    await sql`delete from ${sql.table(ROLLUP_DEFERRAL_TABLE)}`.execute(trx);
    await addContributions(trx, `i.seq > ${before}`);
  };
  await sql`insert into ${sql.table(ROLLUP_DEFERRAL_TABLE)} (deferred) values (1)`.execute(trx);
  let out: T;
  try {
    out = await insert();
  } catch (e) {
    // The transaction may be unusable (the caller then rolls it back, deferral row and all): the error is what matters.
    await resume().catch(() => undefined);
    throw e;
  }
  await resume();
  return out;
}
