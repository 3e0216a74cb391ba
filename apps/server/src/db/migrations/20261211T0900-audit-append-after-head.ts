import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * PostgreSQL: `audit_append_after` reads the chain's last link by its key, once, instead of testing `exists (… where
 * seq > after_seq)`. A PL/pgSQL statement is planned once per connection and may then run on a generic plan; the
 * generic plan of `seq > $1` expects a third of the table to match, and where the table's statistics do not say
 * otherwise (a trail not analyzed since it grew) it reads the heap in order — every row, since none matches — while
 * holding the chain's lock that every writer waits for. Measured (scratch harness, one append of a 30-id read at a
 * time): on a trail of a few thousand links 0.69 → 0.33 ms (a bare one-row insert and commit: 0.25 ms); on a trail of
 * 300,000 links not analyzed since, 169 ms → 1.0 ms.
 * `order by seq desc limit 1` reads the primary key's last entry whatever the plan. Same contract: lock, check that
 * the last link is still (after_seq, after_hash), insert, true; false with nothing written otherwise.
 * SQLite: nothing (its `appendAuditAfter` already reads the last link by its key).
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql.raw(`create or replace function audit_append_after(after_seq bigint, after_hash text, links jsonb) returns boolean
    language plpgsql volatile as $$
    declare
      last_seq bigint;
      last_hash text;
    begin
      perform pg_advisory_xact_lock(7346101, hashtext(current_schema()));
      select seq, hash into last_seq, last_hash from audit_events order by seq desc limit 1;
      if last_seq is distinct from after_seq or last_hash is distinct from after_hash then
        return false;
      end if;
      insert into audit_events (seq, at, user_id, login, organisation, action, object_type, object_id, classification_level,
          sharing_scope, owner_state, before_digest, after_digest, details, prev_hash, hash)
        select seq, at, user_id, login, organisation, action, object_type, object_id, classification_level,
          sharing_scope, owner_state, before_digest, after_digest, details, prev_hash, hash
        from jsonb_populate_recordset(null::audit_events, links);
      return true;
    end $$`).execute(db);
}
