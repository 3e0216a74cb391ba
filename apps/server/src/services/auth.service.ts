import { verify } from '@node-rs/argon2';
import { ROLE_PERMISSIONS, type Role, type User } from '@vigie/domain';
import * as OTPAuth from 'otpauth';
import { newId, nowIso, randomToken, sha256 } from '../lib/ids.js';
import { Problem } from '../lib/problem.js';
import {
  deleteSession, findSession, findToken, findTokenUser, findUserByLogin, insertSession, insertToken, listTokens, revokeToken as revokeTokenRow,
  touchToken, updateSession, updateUser, type UserRow,
} from '../repositories/user.repository.js';
import { recordAudit } from './audit.service.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';
import { toUser } from './user.service.js';

/** Prefix that makes Vigie tokens recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'vigie_';

export const principalOf = (u: UserRow): Principal => ({
  kind: 'user', userId: u.id, login: u.login, organisation: u.organisation, role: u.role as Role, clearance: u.clearance,
});

export interface SessionView {
  user: User;
  csrf_token: string;
  permissions: string[];
  expires_at: string;
  totp_enrollment_required: boolean;
}

const needsEnrollment = (u: UserRow) => u.role === 'admin' && u.totp_enabled !== 1;

function totpFor(u: Pick<UserRow, 'login' | 'totp_secret'>, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label: u.login, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(u.totp_secret ?? '') });
}

const checkTotp = (u: UserRow, code: string, issuer: string) => totpFor(u, issuer).validate({ token: code, window: 1 }) !== null;

// A fixed hash to verify against when the login is unknown, so timing does not reveal which logins exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$uTJ52GmiVD7j96sk+aRPJg$utlFFjGnWaYT7xA7DCOjXtIvlgd4cbAjya4XiaeujE8';

/** Checks a login, password and (where enabled) TOTP code, and opens a session. Failures are audited. */
export async function signIn(
  ctx: Ctx,
  input: { login: string; password: string; totp?: string },
  meta: { ip?: string } = {},
): Promise<{ token: string; view: SessionView }> {
  const user = await findUserByLogin(ctx.engine.db, input.login);
  const ok = await verify(user?.password_hash ?? DUMMY_HASH, input.password).catch(() => false);
  const fail = async (code: 'invalid_credentials' | 'totp_required' | 'totp_invalid', reason: string) => {
    await ctx.engine.writeTransaction((trx) =>
      recordAudit(ctx.engine, trx, user ? principalOf(user) : null, { action: 'auth.login_failed', objectType: 'user', objectId: user?.id, details: { login: input.login, reason, ip: meta.ip } }),
    );
    return new Problem(code);
  };
  if (!user || !ok || user.disabled === 1) throw await fail('invalid_credentials', !user ? 'unknown_login' : user.disabled ? 'disabled' : 'password');
  if (user.totp_enabled === 1) {
    if (!input.totp) throw new Problem('totp_required');
    if (!checkTotp(user, input.totp, ctx.reference.alliance.code)) throw await fail('totp_invalid', 'totp');
  }
  const token = randomToken(32);
  const csrf = randomToken(24);
  const expires = new Date(Date.now() + ctx.settings.sessionHours * 3600_000).toISOString();
  await ctx.engine.writeTransaction(async (trx) => {
    await insertSession(trx, { id_hash: sha256(token), user_id: user.id, csrf_token: csrf, created_at: nowIso(), expires_at: expires, second_factor: user.totp_enabled });
    await updateUser(trx, user.id, { last_login_at: nowIso() });
    await recordAudit(ctx.engine, trx, principalOf(user), { action: 'auth.login', objectType: 'user', objectId: user.id, details: { ip: meta.ip, second_factor: user.totp_enabled === 1 } });
  });
  return { token, view: sessionView(user, csrf, expires) };
}

function sessionView(user: UserRow, csrf: string, expires: string): SessionView {
  return {
    user: toUser(user),
    csrf_token: csrf,
    permissions: [...ROLE_PERMISSIONS[user.role as Role]],
    expires_at: expires,
    totp_enrollment_required: needsEnrollment(user),
  };
}

export interface ResolvedSession {
  principal: Principal;
  view: SessionView;
  idHash: string;
}

/** The session behind a cookie value, or undefined when unknown, expired or the user is disabled. */
export async function resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | undefined> {
  const idHash = sha256(token);
  const row = await findSession(ctx.engine.db, idHash, nowIso());
  if (!row || row.disabled === 1) return undefined;
  return { principal: principalOf(row), view: sessionView(row, row.csrf_token, row.expires_at), idHash };
}

const TOKEN_TOUCH_MS = 60_000;

/** The user behind an API token (`Authorization: Bearer vigie_…`), or undefined. */
export async function resolveApiToken(ctx: Ctx, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await findTokenUser(ctx.engine.db, sha256(token));
  if (!row || row.disabled === 1) return undefined;
  if (needsEnrollment(row)) return undefined;
  // "Last used" to the minute: writing it on every request made each API read a durable write (an fsync on SQLite).
  const now = nowIso();
  if (!row.token_last_used_at || Date.parse(now) - Date.parse(row.token_last_used_at) >= TOKEN_TOUCH_MS) await touchToken(ctx.engine.db, row.token_id, now);
  return principalOf(row);
}

export async function signOut(ctx: Ctx, session: ResolvedSession): Promise<void> {
  await ctx.engine.writeTransaction(async (trx) => {
    await deleteSession(trx, session.idHash);
    await recordAudit(ctx.engine, trx, session.principal, { action: 'auth.logout', objectType: 'user', objectId: session.principal.userId ?? undefined });
  });
}

/** Starts TOTP enrolment: stores a new secret (not yet active) and returns it with its otpauth:// URI for an authenticator app. */
export async function beginTotpEnrollment(ctx: Ctx, principal: Principal): Promise<{ secret: string; uri: string }> {
  const user = await findUserByLogin(ctx.engine.db, principal.login);
  if (!user) throw new Problem('not_found');
  if (user.totp_enabled === 1) throw new Problem('conflict', 'the second factor is already enabled');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await updateUser(ctx.engine.db, user.id, { totp_secret: secret });
  return { secret, uri: totpFor({ login: user.login, totp_secret: secret }, ctx.reference.alliance.code).toString() };
}

/** Activates TOTP after the user proves the authenticator works. */
export async function confirmTotpEnrollment(ctx: Ctx, session: ResolvedSession, code: string): Promise<SessionView> {
  const user = await findUserByLogin(ctx.engine.db, session.principal.login);
  if (!user?.totp_secret) throw new Problem('conflict', 'start the enrolment first');
  if (!checkTotp(user, code, ctx.reference.alliance.code)) throw new Problem('totp_invalid');
  await ctx.engine.writeTransaction(async (trx) => {
    await updateUser(trx, user.id, { totp_enabled: 1 });
    await updateSession(trx, session.idHash, { second_factor: 1 });
    await recordAudit(ctx.engine, trx, session.principal, { action: 'auth.totp_enabled', objectType: 'user', objectId: user.id });
  });
  return { ...session.view, user: { ...session.view.user, totp_enabled: true }, totp_enrollment_required: false };
}

/** Issues an API token for a user; the plain token is returned once and only its hash is kept. */
export async function createApiToken(ctx: Ctx, principal: Principal, login: string, name = 'api'): Promise<{ id: string; token: string }> {
  requirePermission(principal, 'token.manage');
  const user = await findUserByLogin(ctx.engine.db, login);
  if (!user) throw new Problem('not_found', `no user ${login}`);
  const token = TOKEN_PREFIX + randomToken(32);
  const id = newId();
  await ctx.engine.writeTransaction(async (trx) => {
    await insertToken(trx, { id, user_id: user.id, name, token_hash: sha256(token), created_at: nowIso(), last_used_at: null, revoked_at: null });
    await recordAudit(ctx.engine, trx, principal, { action: 'token.create', objectType: 'api_token', objectId: id, details: { login, name } });
  });
  return { id, token };
}

export async function revokeApiToken(ctx: Ctx, principal: Principal, id: string): Promise<void> {
  requirePermission(principal, 'token.manage');
  const row = await findToken(ctx.engine.db, id);
  if (!row) throw new Problem('not_found', `no token ${id}`);
  await ctx.engine.writeTransaction(async (trx) => {
    await revokeTokenRow(trx, id, nowIso());
    await recordAudit(ctx.engine, trx, principal, { action: 'token.revoke', objectType: 'api_token', objectId: id });
  });
}

export async function listApiTokens(ctx: Ctx, principal: Principal) {
  requirePermission(principal, 'token.manage');
  return listTokens(ctx.engine.db);
}
