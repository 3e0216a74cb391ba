import { sql, type Kysely } from 'kysely';

/** One rollup's trigger SQL on PostgreSQL: its contributions and how groups left at zero are removed. */
export interface StatementRollup {
  /** Names the function `<name>_apply()` and the triggers `<name>_insert|update|delete`. */
  name: string;
  /** The insert … on conflict that adds the given row sets' contributions to the rollup. */
  upsert(parts: string[]): string;
  /** One row set's contribution (`new_rows` or `old_rows`), added (`''`) or taken away (`'-'`). */
  keyed(source: string, sign: '' | '-'): string;
  /** Deletes the groups the old rows left at zero incidents. */
  dropEmpty: string;
}

/**
 * PostgreSQL: keeps a rollup from the incidents' transition tables with statement-level triggers — one upsert per
 * statement whatever its number of rows (the rollups of rollups.ts and rollups-place.ts all share this skeleton).
 */
export async function postgresStatementTriggers(db: Kysely<unknown>, r: StatementRollup): Promise<void> {
  await sql.raw(`create function ${r.name}_apply() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        ${r.upsert([r.keyed('new_rows', '')])}
      elsif TG_OP = 'DELETE' then
        ${r.upsert([r.keyed('old_rows', '-')])}
        ${r.dropEmpty}
      else
        ${r.upsert([r.keyed('old_rows', '-'), r.keyed('new_rows', '')])}
        ${r.dropEmpty}
      end if;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger ${r.name}_insert after insert on incidents referencing new table as new_rows for each statement execute function ${r.name}_apply()`).execute(db);
  await sql.raw(`create trigger ${r.name}_update after update on incidents referencing old table as old_rows new table as new_rows for each statement execute function ${r.name}_apply()`).execute(db);
  await sql.raw(`create trigger ${r.name}_delete after delete on incidents referencing old table as old_rows for each statement execute function ${r.name}_apply()`).execute(db);
}
