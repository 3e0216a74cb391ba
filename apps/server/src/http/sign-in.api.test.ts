import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../services/context.js';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';
import { buildApp } from './app.js';

/** Sign-in throttling through the real HTTP stack: forwarded addresses, login spelling, spraying, account lock. */
describe.each(ENGINES)('sign-in limits on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  /** The same server behind a reverse proxy at 127.0.0.1 (VIGIE_TRUSTED_PROXIES=127.0.0.1). */
  let proxied: FastifyInstance;

  beforeAll(async () => {
    t = await testVigie(kind);
  });
  // Each test gets its own server process, as it were: the per-address counts (in memory) start empty, the
  // database (and so the per-account counts) is shared.
  beforeEach(async () => {
    const ctx = createContext(t.ctx.engine, t.ctx.reference, t.ctx.keys);
    app = await testApp(ctx);
    proxied = await buildApp(ctx, { trustedProxies: ['127.0.0.1'] });
    await proxied.ready();
  });
  afterEach(async () => {
    await app.close();
    await proxied.close();
  });
  afterAll(async () => t.drop());

  const login = (server: FastifyInstance, body: object, headers: Record<string, string> = {}) =>
    server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, headers });
  const audits = (action: string, objectId?: string) => {
    let q = t.ctx.engine.db.selectFrom('audit_events').selectAll().where('action', '=', action);
    if (objectId) q = q.where('object_id', '=', objectId);
    return q.orderBy('seq').execute();
  };

  it('ignores X-Forwarded-For from a client that is not a configured proxy: 13 "addresses" do not reset the limit', async () => {
    const u = await newUser(t.ctx, { org: 'MLI', role: 'reporter' });
    const codes: number[] = [];
    let last;
    for (let i = 1; i <= 13; i++) {
      last = await login(app, { login: u.login, password: 'devinette-fausse' }, { 'x-forwarded-for': `198.51.100.${i}` });
      codes.push(last.statusCode);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes.slice(10)).toEqual([429, 429, 429]);
    expect(last!.headers['content-type']).toContain('application/problem+json');
    expect(last!.json().title).toMatch(/^Trop de/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const right = await login(app, { login: u.login, password: u.password }, { 'x-forwarded-for': '198.51.100.99' });
    expect(right.statusCode).toBe(429);
    // The audit records the address the connection came from, not the one the client claimed.
    const failed = await audits('auth.login_failed', u.userId ?? undefined);
    expect(failed.map((a) => JSON.parse(a.details).ip)).not.toContain('198.51.100.1');
    expect(JSON.parse(failed[0]!.details).ip).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For from a proxy named in VIGIE_TRUSTED_PROXIES', async () => {
    const u = await newUser(t.ctx, { org: 'MLI', role: 'reporter' });
    expect((await login(proxied, { login: u.login, password: 'devinette-fausse' }, { 'x-forwarded-for': '203.0.113.7' })).statusCode).toBe(401);
    const [failed] = await audits('auth.login_failed', u.userId ?? undefined);
    expect(JSON.parse(failed!.details).ip).toBe('203.0.113.7');
  });

  it('counts " rep0", "rep0 ", "rep0\\t" and "REP0" as the limited account rep0', async () => {
    const u = await newUser(t.ctx, { org: 'BFA', role: 'reporter', login: `rep0.${kind}` });
    for (let i = 0; i < 10; i++) expect((await login(app, { login: u.login, password: 'devinette-fausse' })).statusCode).toBe(401);
    for (const spelled of [` ${u.login}`, `${u.login} `, `${u.login}\t`, u.login.toUpperCase()]) {
      const res = await login(app, { login: spelled, password: u.password });
      expect(res.statusCode, JSON.stringify(spelled)).toBe(429);
    }
  });

  it('limits one address trying one password on many accounts, with a French 429 problem and Retry-After', async () => {
    const accounts = [];
    for (let i = 0; i < 15; i++) accounts.push(await newUser(t.ctx, { org: 'NER', role: 'reporter' }));
    const codes: number[] = [];
    let last;
    for (const a of accounts) {
      last = await login(proxied, { login: a.login, password: 'Printemps2026!' }, { 'x-forwarded-for': '192.0.2.10' });
      codes.push(last.statusCode);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes.slice(10)).toEqual(Array(5).fill(429));
    expect(last!.headers['content-type']).toContain('application/problem+json');
    expect(last!.json()).toMatchObject({ status: 429, code: 'rate_limited', title: 'Trop de requêtes' });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password is refused from that address for now; another address is not affected.
    expect((await login(proxied, { login: accounts[14]!.login, password: accounts[14]!.password }, { 'x-forwarded-for': '192.0.2.10' })).statusCode).toBe(429);
    expect((await login(proxied, { login: accounts[14]!.login, password: accounts[14]!.password }, { 'x-forwarded-for': '192.0.2.11' })).statusCode).toBe(200);
  });

  it('locks an account after 10 failures from any addresses, in the database, tells admins and the owner, and an admin unlocks it', async () => {
    const owner = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    for (let i = 1; i <= 10; i++) {
      expect((await login(proxied, { login: owner.login, password: `essai-${i}-faux` }, { 'x-forwarded-for': `203.0.113.${100 + i}` })).statusCode).toBe(401);
    }
    const locked = await login(proxied, { login: owner.login, password: owner.password }, { 'x-forwarded-for': '203.0.113.200', 'accept-language': 'fr' });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(locked.json()).toMatchObject({ code: 'account_locked', title: 'Trop de tentatives de connexion : compte verrouillé temporairement' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    const [lockEntry] = await audits('auth.account_locked', owner.userId ?? undefined);
    expect(JSON.parse(lockEntry!.details)).toMatchObject({ login: owner.login, failures: 10 });

    // A restart (new context and server on the same database) keeps the lock.
    const restarted = await buildApp(createContext(t.ctx.engine, t.ctx.reference, t.ctx.keys), { trustedProxies: ['127.0.0.1'] });
    expect((await login(restarted, { login: owner.login, password: owner.password }, { 'x-forwarded-for': '203.0.113.201' })).json().code).toBe('account_locked');
    await restarted.close();

    // The administrators see the locked account and unlock it; the unlock is audited.
    const admin = await enrolledAdmin(app, t);
    const listed = (await admin.get('/api/v1/users')).json().items.find((x: { login: string }) => x.login === owner.login);
    expect(listed.locked_until).toEqual(expect.any(String));
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter' });
    const asReporter = await signIn(app, reporter.login, reporter.password);
    expect((await asReporter.post(`/api/v1/users/${owner.userId}/unlock`)).statusCode).toBe(403);
    const unlocked = await admin.post(`/api/v1/users/${owner.userId}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().locked_until).toBeNull();
    expect(await audits('user.unlock', owner.userId ?? undefined)).toHaveLength(1);

    // The owner is told, at the next successful sign-in, how many attempts failed since the last one; then no more.
    const first = await login(proxied, { login: owner.login, password: owner.password }, { 'x-forwarded-for': '203.0.113.202' });
    expect(first.statusCode).toBe(200);
    expect(first.json().failed_attempts_since_last_login).toBe(10);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json().failed_attempts_since_last_login).toBe(10);
    const second = await login(proxied, { login: owner.login, password: owner.password }, { 'x-forwarded-for': '203.0.113.202' });
    expect(second.json().failed_attempts_since_last_login).toBe(0);
  });
});

/** An administrator who has enrolled the second factor, signed in with a fresh code. */
async function enrolledAdmin(app: FastifyInstance, t: TestVigie): Promise<Client> {
  const a = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
  const c = await signIn(app, a.login, a.password);
  const { secret } = (await c.post('/api/v1/auth/totp/setup')).json() as { secret: string };
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  expect((await c.post('/api/v1/auth/totp/confirm', { code: totp.generate() })).statusCode).toBe(200);
  return c;
}
