import { canonicalLogin } from '@vigie/domain';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { ApiTokensTable, SessionsTable, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;

/** The account behind a login as typed: looked up by its canonical form (the same one the sign-in limits count by). */
export const findUserByLogin = (trx: Trx, login: string) =>
  trx.selectFrom('users').selectAll().where('login', '=', canonicalLogin(login)).executeTakeFirst();

export const findUserById = (trx: Trx, id: string) =>
  trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(trx: Trx, row: Insertable<UsersTable>): Promise<void> {
  await trx.insertInto('users').values(row).execute();
}

export async function updateUser(trx: Trx, id: string, patch: Updateable<UsersTable>): Promise<void> {
  await trx.updateTable('users').set(patch).where('id', '=', id).execute();
}

export function listUsers(trx: Trx, organisation?: string) {
  let q = trx.selectFrom('users').selectAll().orderBy('organisation').orderBy('login');
  if (organisation) q = q.where('organisation', '=', organisation);
  return q.execute();
}

export const countUsers = async (trx: Trx) =>
  Number((await trx.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

export async function insertSession(trx: Trx, row: Insertable<SessionsTable>): Promise<void> {
  await trx.insertInto('sessions').values(row).execute();
}

/** A live session with its user, or undefined when unknown or expired. */
export const findSession = (trx: Trx, idHash: string, now: string) =>
  trx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.second_factor', 'sessions.id_hash', 'sessions.failed_attempts'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();

export async function deleteSession(trx: Trx, idHash: string): Promise<void> {
  await trx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Ends every session of a user but one (after they change their own password). */
export async function deleteOtherSessions(trx: Trx, userId: string, keepIdHash: string | undefined): Promise<void> {
  let q = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash) q = q.where('id_hash', '!=', keepIdHash);
  await q.execute();
}

/** Counts one failed sign-in on an account; returns the new consecutive count towards the lock. */
export async function countFailedLogin(trx: Trx, id: string): Promise<number> {
  const row = await trx
    .updateTable('users')
    .set({ failed_logins: sql`failed_logins + 1`, lock_failures: sql`lock_failures + 1` })
    .where('id', '=', id)
    .returning('lock_failures')
    .executeTakeFirst();
  return Number(row?.lock_failures ?? 0);
}

/**
 * Records a TOTP time-step as used, only if it is later than the last one accepted for this user: false when the
 * code (or an earlier one) was already accepted. One conditional update, so two sign-ins racing with one code cannot both win.
 */
export async function claimTotpStep(trx: Trx, id: string, step: number): Promise<boolean> {
  const res = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Users whose TOTP secret is still stored in clear (before encryption at rest). */
export const listClearTotpSecrets = (trx: Trx) =>
  trx.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).where('totp_secret', 'not like', 'enc1:%').execute();

export async function updateSession(trx: Trx, idHash: string, patch: Updateable<SessionsTable>): Promise<void> {
  await trx.updateTable('sessions').set(patch).where('id_hash', '=', idHash).execute();
}

export async function insertToken(trx: Trx, row: Insertable<ApiTokensTable>): Promise<void> {
  await trx.insertInto('api_tokens').values(row).execute();
}

export const findTokenUser = (trx: Trx, tokenHash: string) =>
  trx
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at as token_last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();

export async function touchToken(trx: Trx, tokenId: string, at: string): Promise<void> {
  await trx.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

export const listTokens = (trx: Trx, userId?: string) => {
  let q = trx
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.name', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'users.login'])
    .orderBy('api_tokens.created_at');
  if (userId) q = q.where('api_tokens.user_id', '=', userId);
  return q.execute();
};

export const findToken = (trx: Trx, id: string) => trx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();

export async function revokeToken(trx: Trx, id: string, at: string): Promise<void> {
  await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}
