import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { ApiTokensTable, SessionsTable, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;

export const findUserByLogin = (trx: Trx, login: string) =>
  trx.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();

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
    .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.second_factor', 'sessions.id_hash'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();

export async function deleteSession(trx: Trx, idHash: string): Promise<void> {
  await trx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

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
    .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'users.login'])
    .orderBy('api_tokens.created_at');
  if (userId) q = q.where('api_tokens.user_id', '=', userId);
  return q.execute();
};

export const findToken = (trx: Trx, id: string) => trx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();

export async function revokeToken(trx: Trx, id: string, at: string): Promise<void> {
  await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}
