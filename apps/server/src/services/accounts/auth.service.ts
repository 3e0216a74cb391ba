import { verify } from '@node-rs/argon2';
import { canonicalLogin, parseInput, passwordChangeSchema, ROLE_PERMISSIONS, roleCan, type Role, type User } from '@vigie/domain';
import * as OTPAuth from 'otpauth';
import { ZodError, type z } from 'zod';
import { open as openSecret, seal } from '../../lib/secret-box.js';
import { newId, nowIso, randomToken, sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  claimTotpStep, countFailedLogin, deleteOtherSessions, deleteSession, findSession, findToken, findTokenUser, findUserById, findUserByLogin, insertSession,
  insertToken, listClearTotpSecrets, listTokens, revokeToken as revokeTokenRow, touchToken, updateSession, updateUser, type UserRow,
} from '../../repositories/user.repository.js';
import { assertStrongPassword } from './password-policy.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import type { Principal } from '../principal.js';
import { hashPassword, passwordInputs, toUser } from './user.service.js';

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
  password_change_required: boolean;
  failed_attempts_since_last_login: number;
}

const needsEnrollment = (u: UserRow) => u.role === 'admin' && u.totp_enabled !== 1;

const totpContext = (userId: string) => `totp:${userId}`;

function totpFor(login: string, secret: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label: login, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The time-step a code belongs to (±1 step of clock drift), or null when the code is wrong. */
function totpStep(ctx: Ctx, u: UserRow, code: string): number | null {
  if (!u.totp_secret) return null;
  let secret: string;
  try {
    secret = openSecret(ctx.keys.secrets, u.totp_secret, totpContext(u.id));
  } catch {
    // Not the user's fault: the database (a restored backup?) was sealed with another server key.
    throw new Problem('internal', 'the stored TOTP secret does not open with this server key (VIGIE_SECRET_KEY or the key file of the server that wrote it is needed)');
  }
  const totp = totpFor(u.login, secret, ctx.reference.alliance.code);
  const delta = totp.validate({ token: code, window: 1 });
  return delta === null ? null : totp.counter() + delta;
}

/** Encrypts the TOTP secrets still stored in clear (databases from before encryption at rest); run at start-up. */
export async function sealStoredTotpSecrets(ctx: Ctx): Promise<number> {
  return ctx.engine.writeTransaction(async (trx) => {
    const rows = await listClearTotpSecrets(trx);
    for (const r of rows) await updateUser(trx, r.id, { totp_secret: seal(ctx.keys.secrets, r.totp_secret ?? '', totpContext(r.id)) });
    return rows.length;
  });
}

// A fixed hash to verify against when the login is unknown, so timing does not reveal which logins exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$uTJ52GmiVD7j96sk+aRPJg$utlFFjGnWaYT7xA7DCOjXtIvlgd4cbAjya4XiaeujE8';

/** Consecutive failed sign-ins on one account (from any address) after which it is locked. */
export const LOCK_AFTER = 10;
const LOCK_BASE_MS = 15 * 60_000;
const LOCK_MAX_MS = 24 * 3600_000;
/** 15 minutes at the 10th failure, doubling with each failure after a lock ends, at most a day. */
const lockDuration = (failures: number) => Math.min(LOCK_BASE_MS * 2 ** Math.max(0, failures - LOCK_AFTER), LOCK_MAX_MS);

/**
 * Distinct logins that may fail from one address within the window before that address is refused: password spraying
 * (one password on many accounts) shows as many logins; one account's repeated failures are the per-account lock's.
 */
export const ADDRESS_MAX_LOGINS = 10;
const ADDRESS_WINDOW_MS = 15 * 60_000;

/**
 * Failed sign-ins per address, in memory (like the per-request limiter: an address is not an account, and a restart
 * forgetting it is acceptable; the per-account lock, which is, lives in the database).
 */
class AddressFailures {
  private readonly byAddress = new Map<string, { at: number; login: string }[]>();
  private recent(ip: string, now: number) {
    const kept = (this.byAddress.get(ip) ?? []).filter((f) => now - f.at < ADDRESS_WINDOW_MS);
    if (kept.length) this.byAddress.set(ip, kept);
    else this.byAddress.delete(ip);
    return kept;
  }
  /** Seconds until this address may try again, or 0. */
  retryAfter(ip: string, now = Date.now()): number {
    const kept = this.recent(ip, now);
    const lastSeen = new Map<string, number>();
    for (const f of kept) lastSeen.set(f.login, f.at);
    if (lastSeen.size < ADDRESS_MAX_LOGINS) return 0;
    // Free again when enough logins have aged out of the window to fall below the limit.
    const times = [...lastSeen.values()].sort((a, b) => a - b);
    return Math.max(1, Math.ceil((times[times.length - ADDRESS_MAX_LOGINS]! + ADDRESS_WINDOW_MS - now) / 1000));
  }
  add(ip: string, login: string, now = Date.now()): void {
    this.byAddress.set(ip, [...this.recent(ip, now), { at: now, login }].slice(-1000));
  }
}
const addressFailures = new WeakMap<Ctx, AddressFailures>();
const failuresOf = (ctx: Ctx) => {
  let f = addressFailures.get(ctx);
  if (!f) addressFailures.set(ctx, (f = new AddressFailures()));
  return f;
};

const secondsUntil = (iso: string) => Math.max(1, Math.ceil((Date.parse(iso) - Date.now()) / 1000));

/**
 * Checks a login, password and (where enabled) TOTP code, and opens a session. Failures are audited and counted per
 * account (in the database: the account locks after LOCK_AFTER of them, whatever the address) and per address
 * (across accounts). A throttled attempt is refused with 429 and `retry_after` seconds.
 */
export async function signIn(
  ctx: Ctx,
  input: { login: string; password: string; totp?: string },
  meta: { ip?: string } = {},
): Promise<{ token: string; view: SessionView }> {
  const login = canonicalLogin(input.login);
  const ip = meta.ip ?? 'unknown';
  const throttled = failuresOf(ctx).retryAfter(ip);
  if (throttled) throw new Problem('rate_limited', `too many failed sign-ins from this address; retry in ${throttled} s`, undefined, { retry_after: throttled });
  const user = await findUserByLogin(ctx.engine.db, login);
  if (user?.locked_until && user.locked_until > nowIso()) {
    const retry = secondsUntil(user.locked_until);
    throw new Problem('account_locked', `retry in ${retry} s or ask an administrator to unlock the account`, undefined, { retry_after: retry });
  }
  const ok = await verify(user?.password_hash ?? DUMMY_HASH, input.password).catch(() => false);
  const fail = async (code: 'invalid_credentials' | 'totp_invalid', reason: string) => {
    failuresOf(ctx).add(ip, login);
    // Not through mutate(): a refused sign-in has no acting principal (the entry names the account tried, or nobody
    // for an unknown login, and the lock is the system's), no permission to check, and it must commit although the
    // request fails — the failure counter and the lock are the point of the write.
    await ctx.engine.writeTransaction(async (trx) => {
      const principal = user ? principalOf(user) : null;
      await recordAudit(ctx.engine, trx, principal, { action: 'auth.login_failed', objectType: 'user', objectId: user?.id, details: { login, reason, ip: meta.ip } });
      if (!user) return;
      const failures = await countFailedLogin(trx, user.id);
      if (failures >= LOCK_AFTER) {
        const until = new Date(Date.now() + lockDuration(failures)).toISOString();
        await updateUser(trx, user.id, { locked_until: until });
        await recordAudit(ctx.engine, trx, null, { action: 'auth.account_locked', objectType: 'user', objectId: user.id, details: { login, failures, until, ip: meta.ip } });
      }
    });
    return new Problem(code);
  };
  if (!user || !ok || user.disabled === 1) throw await fail('invalid_credentials', !user ? 'unknown_login' : user.disabled ? 'disabled' : 'password');
  let step: number | null = null;
  if (user.totp_enabled === 1) {
    if (!input.totp) throw new Problem('totp_required');
    step = totpStep(ctx, user, input.totp);
    if (step === null) throw await fail('totp_invalid', 'totp');
  }
  const token = randomToken(32);
  const csrf = randomToken(24);
  const expires = new Date(Date.now() + ctx.settings.sessionHours * 3600_000).toISOString();
  const failedBefore = user.failed_logins;
  await mutate(ctx, principalOf(user), { permission: 'self', async run(trx) {
    if (step !== null && !(await claimTotpStep(trx, user.id, step))) throw new Problem('totp_replayed');
    await insertSession(trx, { id_hash: sha256(token), user_id: user.id, csrf_token: csrf, created_at: nowIso(), expires_at: expires, second_factor: user.totp_enabled, failed_attempts: failedBefore });
    await updateUser(trx, user.id, { last_login_at: nowIso(), failed_logins: 0, lock_failures: 0, locked_until: null });
    return { result: undefined, audit: {
      action: 'auth.login', objectType: 'user', objectId: user.id,
      details: { ip: meta.ip, second_factor: user.totp_enabled === 1, failed_attempts_since_last_login: failedBefore },
    } };
  } });
  return { token, view: sessionView({ ...user, failed_logins: 0, locked_until: null }, csrf, expires, failedBefore) };
}

function sessionView(user: UserRow, csrf: string, expires: string, failedAttempts: number): SessionView {
  return {
    user: toUser(user),
    csrf_token: csrf,
    permissions: [...ROLE_PERMISSIONS[user.role as Role]],
    expires_at: expires,
    totp_enrollment_required: needsEnrollment(user),
    password_change_required: user.password_change_required === 1,
    failed_attempts_since_last_login: failedAttempts,
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
  return { principal: principalOf(row), view: sessionView(row, row.csrf_token, row.expires_at, row.failed_attempts), idHash };
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

/**
 * HTTP Basic for GIS clients (/ogc): any user name, the API token as password. Counted with the failed sign-ins of the
 * address (a wrong token is a failed sign-in: audited, and the address is throttled as for passwords).
 */
export async function resolveBasicToken(ctx: Ctx, user: string, token: string, meta: { ip?: string } = {}): Promise<Principal> {
  const ip = meta.ip ?? 'unknown';
  const throttled = failuresOf(ctx).retryAfter(ip);
  if (throttled) throw new Problem('rate_limited', `too many failed sign-ins from this address; retry in ${throttled} s`, undefined, { retry_after: throttled });
  const principal = await resolveApiToken(ctx, token);
  if (principal) return principal;
  failuresOf(ctx).add(ip, `basic:${sha256(token).slice(0, 16)}`);
  // Not through mutate(), as for a refused sign-in: no acting principal, no permission, written although the request fails.
  await ctx.engine.writeTransaction((trx) =>
    recordAudit(ctx.engine, trx, null, { action: 'auth.login_failed', objectType: 'user', details: { login: user.slice(0, 100), reason: 'api_token_basic', ip: meta.ip } }));
  throw new Problem('unauthenticated', 'HTTP Basic on /ogc takes an API token as password');
}

export async function signOut(ctx: Ctx, session: ResolvedSession): Promise<void> {
  await mutate(ctx, session.principal, { permission: 'self', async run(trx) {
    await deleteSession(trx, session.idHash);
    return { result: undefined, audit: { action: 'auth.logout', objectType: 'user', objectId: session.principal.userId ?? undefined } };
  } });
}

/** Starts TOTP enrolment: stores a new secret (not yet active, encrypted) and returns it with its otpauth:// URI for an authenticator app. */
export async function beginTotpEnrollment(ctx: Ctx, principal: Principal): Promise<{ secret: string; uri: string }> {
  // No permission verb: a signed-in user sets up their own second factor, and nobody else's.
  if (principal.kind !== 'user' || !principal.userId) throw new Problem('unauthenticated');
  return mutate(ctx, principal, { permission: 'self', async run(trx) {
    const user = await findUserByLogin(trx, principal.login);
    if (!user || user.id !== principal.userId) throw new Problem('not_found');
    if (user.totp_enabled === 1) throw new Problem('conflict', 'the second factor is already enabled');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await updateUser(trx, user.id, { totp_secret: seal(ctx.keys.secrets, secret, totpContext(user.id)), totp_last_step: null });
    // The secret itself never reaches the audit trail.
    return { result: { secret, uri: totpFor(user.login, secret, ctx.reference.alliance.code).toString() }, audit: { action: 'auth.totp_setup', objectType: 'user', objectId: user.id } };
  } });
}

/** Activates TOTP after the user proves the authenticator works; that code is then used up. */
export async function confirmTotpEnrollment(ctx: Ctx, session: ResolvedSession, code: string): Promise<SessionView> {
  const user = await findUserByLogin(ctx.engine.db, session.principal.login);
  if (!user?.totp_secret) throw new Problem('conflict', 'start the enrolment first');
  const step = totpStep(ctx, user, code);
  if (step === null) throw new Problem('totp_invalid');
  await mutate(ctx, session.principal, { permission: 'self', async run(trx) {
    if (!(await claimTotpStep(trx, user.id, step))) throw new Problem('totp_replayed');
    await updateUser(trx, user.id, { totp_enabled: 1 });
    await updateSession(trx, session.idHash, { second_factor: 1 });
    return { result: undefined, audit: { action: 'auth.totp_enabled', objectType: 'user', objectId: user.id } };
  } });
  return { ...session.view, user: { ...session.view.user, totp_enabled: true }, totp_enrollment_required: false };
}

/**
 * Changes the caller's own password: the current one must be right and the new one pass the password rule. Ends the
 * caller's other sessions (not this one, and no API token), and lifts the one-time password flag.
 */
export async function changeOwnPassword(
  ctx: Ctx, principal: Principal, session: ResolvedSession | undefined, input: z.input<typeof passwordChangeSchema>,
): Promise<void> {
  const data = parseInput(passwordChangeSchema, input);
  if (principal.kind !== 'user' || !principal.userId) throw new Problem('forbidden', 'only a user has a password');
  const user = await findUserById(ctx.engine.db, principal.userId);
  if (!user) throw new Problem('not_found');
  if (!(await verify(user.password_hash, data.current_password).catch(() => false))) {
    throw new ZodError([{ code: 'custom', path: ['current_password'], message: 'validation.password_current', input: '' }]);
  }
  if (data.new_password === data.current_password) throw new ZodError([{ code: 'custom', path: ['new_password'], message: 'validation.password_reused', input: '' }]);
  await assertStrongPassword(data.new_password, passwordInputs(user), 'new_password');
  const passwordHash = await hashPassword(data.new_password);
  await mutate(ctx, principal, { permission: 'self', async run(trx) {
    await updateUser(trx, user.id, { password_hash: passwordHash, password_change_required: 0 });
    await deleteOtherSessions(trx, user.id, session?.idHash);
    return { result: undefined, audit: { action: 'user.password_changed', objectType: 'user', objectId: user.id, details: { by: 'self' } } };
  } });
}

/**
 * Issues an API token; the plain token is returned once and only its hash is kept. A user issues tokens for
 * themselves only, an administrator included; issuing one for someone else is the operator's emergency access, on the
 * server's CLI only (the SYSTEM principal), and audited as such.
 */
export async function createApiToken(ctx: Ctx, principal: Principal, login: string, name = 'api'): Promise<{ id: string; token: string }> {
  const viaCli = principal.kind === 'system';
  if (!viaCli && (!principal.userId || canonicalLogin(login) !== principal.login)) {
    throw new Problem('forbidden', 'a token is created by its owner only (emergency access: vigie token create on the server)');
  }
  const user = await findUserByLogin(ctx.engine.db, login);
  if (!user) throw new Problem('not_found', `no user ${login}`);
  const token = TOKEN_PREFIX + randomToken(32);
  const id = newId();
  // Access was decided above (own tokens only; another user's on the CLI only).
  await mutate(ctx, principal, { permission: 'self', async run(trx) {
    await insertToken(trx, { id, user_id: user.id, name, token_hash: sha256(token), created_at: nowIso(), last_used_at: null, revoked_at: null });
    return { result: undefined, audit: { action: 'token.create', objectType: 'api_token', objectId: id, details: { login: user.login, name, via: viaCli ? 'cli' : 'api' } } };
  } });
  return { id, token };
}

/** Revokes a token: its owner, or an administrator (token.manage) for anyone's. */
export async function revokeApiToken(ctx: Ctx, principal: Principal, id: string): Promise<void> {
  const row = await findToken(ctx.engine.db, id);
  if (!row || (row.user_id !== principal.userId && principal.kind !== 'system' && !roleCan(principal.role, 'token.manage'))) {
    // Someone else's token is "not found" to a user who may not manage tokens: ids of others' tokens are not confirmed.
    throw new Problem('not_found', `no token ${id}`);
  }
  // Access was decided above: the owner, or token.manage.
  await mutate(ctx, principal, { permission: 'self', async run(trx) {
    await revokeTokenRow(trx, id, nowIso());
    return { result: undefined, audit: { action: 'token.revoke', objectType: 'api_token', objectId: id, details: { via: principal.kind === 'system' ? 'cli' : 'api' } } };
  } });
}

/** The caller's own tokens; every token for an administrator (token.manage) and the CLI. Never their values. */
export async function listApiTokens(ctx: Ctx, principal: Principal) {
  const all = principal.kind === 'system' || roleCan(principal.role, 'token.manage');
  if (!all && !principal.userId) throw new Problem('forbidden');
  return listTokens(ctx.engine.db, all ? undefined : principal.userId ?? undefined);
}
