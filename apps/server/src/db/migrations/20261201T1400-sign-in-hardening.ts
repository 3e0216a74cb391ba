import type { Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/**
 * Sign-in hardening: a per-account count of failed sign-ins and a lock kept in the database (so it survives restarts
 * and holds whatever address the attempts come from), the last accepted TOTP time-step (a code is accepted once),
 * the one-time password flag, and on each session the failed attempts its owner is told about.
 *
 * TOTP secrets already stored in clear are encrypted at start-up by `sealStoredTotpSecrets` (bootstrap, right after the
 * migrations), which has the server key that a migration does not; a clear secret is still read meanwhile.
 */
export async function up(db: Kysely<unknown>, _kind: EngineKind): Promise<void> {
  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('lock_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('users').addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sessions').addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
