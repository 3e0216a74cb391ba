import { sql, type Kysely } from 'kysely';
import type { EngineKind, Trx } from '../engine.js';

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

const KEY_COLUMNS = ['month', 'reporting_state', 'admin1_code', 'event_type', 'classification_level', 'sharing_scope', 'status'] as const;
const MEASURE_COLUMNS = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;
const TOLLS = ['fatalities_best', 'civilian_fatalities', 'injured', 'abducted'] as const;

const keyOf = (r: string) => [
  `substr(${r}.occurred_start, 1, 7)`, `${r}.reporting_state`, `coalesce(${r}.admin1_code, '')`, `${r}.event_type`,
  `${r}.classification_level`, `${r}.sharing_scope`, `${r}.status`,
];
const measuresOf = (r: string, sign: '' | '-') => [`${sign}1`, ...TOLLS.map((c) => `${sign}${r}.${c}`)];

const COLS = [...KEY_COLUMNS, ...MEASURE_COLUMNS].join(', ');
const ON_CONFLICT = `on conflict (${KEY_COLUMNS.join(', ')}) do update set ${MEASURE_COLUMNS.map((m) => `${m} = ${MONTH_ROLLUP_TABLE}.${m} + excluded.${m}`).join(', ')}`;
const TRACKED = [
  'occurred_start', 'reporting_state', 'admin1_code', 'event_type', 'classification_level', 'sharing_scope', 'status',
  'fatalities_best', 'civilian_fatalities', 'injured', 'abducted',
];

/** Empties and refills the monthly rollup from the incidents. */
export async function rebuildMonthRollup(db: Kysely<unknown> | Trx): Promise<void> {
  const key = keyOf('i');
  await sql`delete from ${sql.table(MONTH_ROLLUP_TABLE)}`.execute(db);
  await sql.raw(`insert into ${MONTH_ROLLUP_TABLE} (${COLS}) select ${[...key, 'count(*)', ...TOLLS.map((c) => `sum(i.${c})`)].join(', ')}
    from incidents i group by ${key.join(', ')}`).execute(db);
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const add = (r: 'old' | 'new') => `insert into ${MONTH_ROLLUP_TABLE} (${COLS}) values (${[...keyOf(r), ...measuresOf(r, r === 'old' ? '-' : '')].join(', ')}) ${ON_CONFLICT};`;
  const dropEmpty = `delete from ${MONTH_ROLLUP_TABLE} where ${KEY_COLUMNS.map((c, i) => `${c} = ${keyOf('old')[i]}`).join(' and ')} and incidents = 0;`;
  const changed = TRACKED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  await sql.raw(`create trigger incident_rollup_month_insert after insert on incidents begin ${add('new')} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_delete after delete on incidents begin ${add('old')} ${dropEmpty} end`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_update after update of ${TRACKED.join(', ')} on incidents when ${changed} begin ${add('old')} ${add('new')} ${dropEmpty} end`).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const k = KEY_COLUMNS.map((_, i) => `k${i}`);
  const keyed = (source: string, sign: '' | '-') =>
    `select ${[...keyOf('i').map((e, i) => `${e} as k${i}`), ...measuresOf('i', sign).map((e, i) => `${e} as m${i}`)].join(', ')} from ${source} i`;
  const upsert = (parts: string[]) => `insert into ${MONTH_ROLLUP_TABLE} (${COLS})
    select ${k.join(', ')}, ${MEASURE_COLUMNS.map((_, i) => `sum(m${i})`).join(', ')} from (${parts.join(' union all ')}) d
    group by ${k.join(', ')} having ${MEASURE_COLUMNS.map((_, i) => `sum(m${i}) <> 0`).join(' or ')}
    order by ${k.join(', ')} ${ON_CONFLICT};`;
  const dropEmpty = `delete from ${MONTH_ROLLUP_TABLE} where incidents = 0 and (${KEY_COLUMNS.join(', ')}) in (select ${keyOf('i').join(', ')} from old_rows i);`;
  await sql.raw(`create function incident_rollup_month_apply() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        ${upsert([keyed('new_rows', '')])}
      elsif TG_OP = 'DELETE' then
        ${upsert([keyed('old_rows', '-')])}
        ${dropEmpty}
      else
        ${upsert([keyed('old_rows', '-'), keyed('new_rows', '')])}
        ${dropEmpty}
      end if;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_insert after insert on incidents referencing new table as new_rows for each statement execute function incident_rollup_month_apply()`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_update after update on incidents referencing old table as old_rows new table as new_rows for each statement execute function incident_rollup_month_apply()`).execute(db);
  await sql.raw(`create trigger incident_rollup_month_delete after delete on incidents referencing old table as old_rows for each statement execute function incident_rollup_month_apply()`).execute(db);
}

export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const big = kind === 'postgres' ? 'bigint' : 'integer';
  let table = db.schema
    .createTable(MONTH_ROLLUP_TABLE)
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('reporting_state', 'text', (c) => c.notNull())
    .addColumn('admin1_code', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('classification_level', 'integer', (c) => c.notNull())
    .addColumn('sharing_scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull());
  for (const m of MEASURE_COLUMNS) table = table.addColumn(m, big, (c) => c.notNull());
  table = table.addPrimaryKeyConstraint('incident_rollup_month_pk', [...KEY_COLUMNS]);
  await (kind === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
  if (kind === 'postgres') await postgresTriggers(db);
  else await sqliteTriggers(db);
  await rebuildMonthRollup(db);

  await db.schema
    .createIndex('incidents_aggregate_scan')
    .on('incidents')
    .columns([
      'status', 'occurred_start', 'classification_level', 'sharing_scope', 'reporting_state', 'reporter_id', 'exact_location_level', 'latitude', 'longitude',
      'coarse_latitude', 'coarse_longitude', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'actor1',
      'fatalities_best', 'civilian_fatalities', 'injured', 'abducted',
    ])
    .execute();
}
