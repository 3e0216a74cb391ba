import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * PostgreSQL: `audit_append_after(after_seq, after_hash, links)` appends links to the audit chain in one statement —
 * under the chain's lock (the one Engine.lockAuditChain takes), and only if the chain's last link is still
 * (after_seq, after_hash); false, with nothing written, when another writer appended since. Called on its own
 * (autocommit), it writes a group commit of audited reads in one round trip, committed (and so durable) when it
 * returns, instead of five (begin, lock, last link, insert, commit). Each statement of the function reads after the
 * lock is held (read committed takes a snapshot per statement), and `seq` is the key: a link can never be written twice
 * or after a gap. The columns are named: a column added later takes its default, as it does through insertAudit.
 * SQLite: nothing (its statements cost no round trip).
 */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql.raw(`create or replace function audit_append_after(after_seq bigint, after_hash text, links jsonb) returns boolean
    language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(7346101, hashtext(current_schema()));
      if not exists (select 1 from audit_events where seq = after_seq and hash = after_hash)
        or exists (select 1 from audit_events where seq > after_seq) then
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
