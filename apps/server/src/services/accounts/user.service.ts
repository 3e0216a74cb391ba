import { hash } from '@node-rs/argon2';
import { CONFEDERATION_ORG, parseInput, userCreateSchema, userUpdateSchema, type Role, type User } from '@vigie/domain';
import type { z } from 'zod';
import { newId, nowIso, randomToken } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { deleteUserSessions, findUserById, findUserByLogin, insertUser, listUsers as listUserRows, updateUser as updateUserRow, type UserRow } from '../../repositories/user.repository.js';
import { findOrganisation } from '../../repositories/reference.repository.js';
import { mutate } from '../mutation.js';
import { assertStrongPassword } from './password-policy.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';

export const toUser = (r: UserRow): User => ({
  id: r.id,
  login: r.login,
  display_name: r.display_name,
  organisation: r.organisation,
  role: r.role as Role,
  clearance: r.clearance,
  totp_enabled: r.totp_enabled === 1,
  disabled: r.disabled === 1,
  locale: r.locale === 'en' ? 'en' : 'fr',
  created_at: r.created_at,
  last_login_at: r.last_login_at,
  locked_until: r.locked_until && r.locked_until > nowIso() ? r.locked_until : null,
});

/** What an attacker would try first in a user's password: their login (and its parts), organisation and name. */
export const passwordInputs = (u: { login: string; organisation: string; display_name?: string | null }): string[] =>
  [u.login, u.organisation, ...(u.display_name ? [u.display_name] : [])];

/** argon2id with the library's defaults (m=19 MiB, t=2), as OWASP recommends. */
export const hashPassword = (password: string): Promise<string> => hash(password);

/** A random password that is easy to type: 20 URL-safe characters. */
export const generatePassword = (): string => randomToken(15);

const STATE_ROLES: readonly Role[] = ['reporter', 'analyst', 'focal_point'];

/** Who may manage whom: admins anyone; focal points the reporters, analysts and focal points of their own state, up to their own clearance. */
function assertCanManage(principal: Principal, target: { organisation: string; role: Role; clearance: number }): void {
  requirePermission(principal, 'user.manage');
  if (principal.kind === 'system' || principal.role === 'admin') return;
  if (target.organisation !== principal.organisation) throw new Problem('forbidden', 'a focal point manages the users of its own state only');
  if (!STATE_ROLES.includes(target.role)) throw new Problem('forbidden', `a focal point cannot grant the role ${target.role}`);
  if (target.clearance > principal.clearance) throw new Problem('forbidden', 'a clearance above your own cannot be granted');
}

async function assertOrganisation(ctx: Ctx, organisation: string, role: Role): Promise<void> {
  const org = await findOrganisation(ctx.engine.db, organisation);
  if (!org) throw new Problem('validation_failed', undefined, [{ field: 'organisation', message: `organisation inconnue : ${organisation}` }]);
  if (STATE_ROLES.includes(role) && org.kind !== 'state') {
    throw new Problem('validation_failed', undefined, [{ field: 'role', message: `le rôle ${role} appartient à un État membre, pas à ${CONFEDERATION_ORG}` }]);
  }
  if (role === 'confederation_analyst' && org.kind !== 'confederation') {
    throw new Problem('validation_failed', undefined, [{ field: 'organisation', message: `confederation_analyst appartient à ${CONFEDERATION_ORG}` }]);
  }
}

/**
 * Creates a user; returns the generated password once when none was given. A generated password is one-time: the
 * user must choose their own at first sign-in. A given password must pass the password rule.
 */
export async function createUser(ctx: Ctx, principal: Principal, input: z.input<typeof userCreateSchema>): Promise<{ user: User; password?: string }> {
  const data = parseInput(userCreateSchema, input);
  assertCanManage(principal, data);
  await assertOrganisation(ctx, data.organisation, data.role);
  if (data.password) await assertStrongPassword(data.password, passwordInputs(data));
  const password = data.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return mutate(ctx, principal, { permission: 'user.manage', run: async (trx) => {
    if (await findUserByLogin(trx, data.login)) throw new Problem('conflict', `login ${data.login} is taken`, [{ field: 'login', message: 'identifiant déjà utilisé' }]);
    const row: UserRow = {
      id: newId(), login: data.login, display_name: data.display_name ?? null, organisation: data.organisation, role: data.role,
      clearance: data.clearance, password_hash: passwordHash, totp_secret: null, totp_enabled: 0, disabled: 0, locale: data.locale,
      created_at: nowIso(), last_login_at: null, failed_logins: 0, lock_failures: 0, locked_until: null, totp_last_step: null,
      password_change_required: data.password ? 0 : 1,
    };
    await insertUser(trx, row);
    const user = toUser(row);
    return { result: { user, ...(data.password ? {} : { password }) }, audit: { action: 'user.create', objectType: 'user', objectId: row.id, after: user } };
  } });
}

export async function listUsers(ctx: Ctx, principal: Principal): Promise<User[]> {
  requirePermission(principal, 'user.read');
  const scoped = principal.kind === 'system' || principal.role === 'admin' ? undefined : principal.organisation;
  return (await listUserRows(ctx.engine.db, scoped)).map(toUser);
}

async function loadManaged(ctx: Ctx, principal: Principal, idOrLogin: string): Promise<UserRow> {
  const row = (await findUserById(ctx.engine.db, idOrLogin)) ?? (await findUserByLogin(ctx.engine.db, idOrLogin));
  if (!row) throw new Problem('not_found', `no user ${idOrLogin}`);
  assertCanManage(principal, { organisation: row.organisation, role: row.role as Role, clearance: row.clearance });
  return row;
}

/** Changes a user's role, clearance, name, locale or disabled flag; disabling ends their sessions. */
export async function updateUser(ctx: Ctx, principal: Principal, idOrLogin: string, input: z.input<typeof userUpdateSchema>): Promise<User> {
  const patch = parseInput(userUpdateSchema, input);
  const row = await loadManaged(ctx, principal, idOrLogin);
  const next = { organisation: row.organisation, role: (patch.role ?? row.role) as Role, clearance: patch.clearance ?? row.clearance };
  assertCanManage(principal, next);
  if (patch.role) await assertOrganisation(ctx, row.organisation, patch.role);
  if (principal.userId === row.id && (patch.disabled || patch.role)) throw new Problem('forbidden', 'you cannot disable yourself or change your own role');
  return mutate(ctx, principal, { permission: 'user.manage', run: async (trx) => {
    const set = {
      ...(patch.display_name !== undefined ? { display_name: patch.display_name } : {}),
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.clearance !== undefined ? { clearance: patch.clearance } : {}),
      ...(patch.locale ? { locale: patch.locale } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
    };
    await updateUserRow(trx, row.id, set);
    if (patch.disabled || patch.role || patch.clearance !== undefined) await deleteUserSessions(trx, row.id);
    const after = toUser({ ...row, ...set });
    return { result: after, audit: { action: patch.disabled ? 'user.disable' : 'user.update', objectType: 'user', objectId: row.id, before: toUser(row), after } };
  } });
}

/**
 * Sets a new password (generated when none is given, and then one-time: to be changed at the next sign-in), ends the
 * user's sessions, and returns it once. A given password must pass the password rule.
 */
export async function resetPassword(ctx: Ctx, principal: Principal, idOrLogin: string, password?: string): Promise<{ user: User; password: string }> {
  const row = await loadManaged(ctx, principal, idOrLogin);
  if (password) await assertStrongPassword(password, passwordInputs(row));
  const next = password ?? generatePassword();
  const passwordHash = await hashPassword(next);
  await mutate(ctx, principal, { permission: 'user.manage', run: async (trx) => {
    await updateUserRow(trx, row.id, { password_hash: passwordHash, password_change_required: password ? 0 : 1 });
    await deleteUserSessions(trx, row.id);
    return { result: undefined, audit: { action: 'user.reset_password', objectType: 'user', objectId: row.id } };
  } });
  return { user: toUser(row), password: next };
}

/** Lifts the lock that repeated failed sign-ins put on an account (whoever may manage the account); audited. */
export async function unlockUser(ctx: Ctx, principal: Principal, idOrLogin: string): Promise<User> {
  const row = await loadManaged(ctx, principal, idOrLogin);
  return mutate(ctx, principal, { permission: 'user.manage', run: async (trx) => {
    // The failures stay counted for the owner, who is told of them at their next sign-in; only the lock is lifted.
    await updateUserRow(trx, row.id, { locked_until: null, lock_failures: 0 });
    return {
      result: toUser({ ...row, locked_until: null, lock_failures: 0 }),
      audit: { action: 'user.unlock', objectType: 'user', objectId: row.id, details: { locked_until: row.locked_until, failures: row.lock_failures } },
    };
  } });
}
