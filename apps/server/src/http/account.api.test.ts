import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, sealStoredTotpSecrets } from '../services/accounts/auth.service.js';
import { SYSTEM } from '../services/principal.js';
import { createUser } from '../services/accounts/user.service.js';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

/** Tokens, second factor, passwords: what a signed-in user and an administrator can and cannot do, over HTTP. */
describe.each(ENGINES)('accounts on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const tokenCount = async () => Number((await t.ctx.engine.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const login = (body: object, lang = 'fr') => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, headers: { 'accept-language': lang } });
  const totpOf = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  const nextCode = (secret: string, steps = 1) => totpOf(secret).generate({ timestamp: Date.now() + steps * 30_000 });

  async function enrolledAdmin(): Promise<{ client: Client; login: string; secret: string }> {
    const a = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
    const client = await signIn(app, a.login, a.password);
    const { secret } = (await client.post('/api/v1/auth/totp/setup')).json() as { secret: string };
    expect((await client.post('/api/v1/auth/totp/confirm', { code: totpOf(secret).generate() })).statusCode).toBe(200);
    return { client, login: a.login, secret };
  }

  describe('API tokens', () => {
    it('never lets an administrator create a token for someone else', async () => {
      const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
      const { client: admin } = await enrolledAdmin();
      const before = await tokenCount();
      const res = await admin.post('/api/v1/tokens', { login: analyst.login });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'login' })]);
      expect(await tokenCount()).toBe(before);
    });

    it('lets any signed-in user create, list and revoke their own tokens; an admin lists and revokes anyone’s', async () => {
      const reporter = await newUser(t.ctx, { org: 'BFA', role: 'reporter' });
      const other = await newUser(t.ctx, { org: 'BFA', role: 'reporter' });
      const c = await signIn(app, reporter.login, reporter.password);
      const o = await signIn(app, other.login, other.password);
      const created = await c.post('/api/v1/tokens', { name: 'poste-djibo' });
      expect(created.statusCode).toBe(201);
      const { id, token } = created.json() as { id: string; token: string };
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401); // tokens have no session
      expect((await app.inject({ url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      // A token does not mint more tokens.
      expect((await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'fils' }, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
      const mine = (await c.get('/api/v1/tokens')).json().items as { id: string; login: string }[];
      expect(mine.map((x) => x.login)).toEqual([reporter.login]);
      const otherToken = (await o.post('/api/v1/tokens', { name: 'autre' })).json() as { id: string };
      expect((await c.get('/api/v1/tokens')).json().items.map((x: { id: string }) => x.id)).not.toContain(otherToken.id);
      expect((await c.delete(`/api/v1/tokens/${otherToken.id}`)).statusCode).toBe(404);
      expect((await c.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);

      const { client: admin } = await enrolledAdmin();
      expect((await admin.get('/api/v1/tokens')).json().items.map((x: { id: string }) => x.id)).toContain(otherToken.id);
      expect((await admin.delete(`/api/v1/tokens/${otherToken.id}`)).statusCode).toBe(204);
    });

    it('keeps emergency access on the server: a token made by the CLI is audited as the CLI', async () => {
      const analyst = await newUser(t.ctx, { org: 'NER', role: 'analyst' });
      const { id } = await createApiToken(t.ctx, SYSTEM, analyst.login, 'urgence');
      const entry = await t.ctx.engine.db.selectFrom('audit_events').selectAll().where('action', '=', 'token.create').where('object_id', '=', id).executeTakeFirstOrThrow();
      expect(entry.login).toBe('system');
      expect(JSON.parse(entry.details)).toMatchObject({ via: 'cli', login: analyst.login });
    });
  });

  describe('second factor', () => {
    it('stores the TOTP secret encrypted, and encrypts one left in clear by an older version', async () => {
      const { login: adminLogin, secret } = await enrolledAdmin();
      const row = await t.ctx.engine.db.selectFrom('users').select(['id', 'totp_secret']).where('login', '=', adminLogin).executeTakeFirstOrThrow();
      expect(row.totp_secret).toMatch(/^enc1:/);
      expect(row.totp_secret).not.toContain(secret);
      // An older database kept it in clear: start-up encrypts it, and the authenticator keeps working.
      await t.ctx.engine.db.updateTable('users').set({ totp_secret: secret }).where('id', '=', row.id).execute();
      expect(await sealStoredTotpSecrets(t.ctx)).toBe(1);
      const sealed = await t.ctx.engine.db.selectFrom('users').select('totp_secret').where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(sealed.totp_secret).toMatch(/^enc1:/);
    });

    it('accepts a code once: the same code, or an earlier one, is refused with a clear problem', async () => {
      const a = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
      const c = await signIn(app, a.login, a.password);
      const { secret } = (await c.post('/api/v1/auth/totp/setup')).json() as { secret: string };
      expect((await c.post('/api/v1/auth/totp/confirm', { code: totpOf(secret).generate() })).statusCode).toBe(200);
      // The confirming code is used up too.
      const replayConfirm = await login({ login: a.login, password: a.password, totp: totpOf(secret).generate() }, 'en');
      expect(replayConfirm.statusCode).toBe(401);
      expect(replayConfirm.json()).toMatchObject({ code: 'totp_replayed', title: 'This second-factor code was already used: wait for the next one' });
      const code = nextCode(secret);
      expect((await login({ login: a.login, password: a.password, totp: code })).statusCode).toBe(200);
      const replay = await login({ login: a.login, password: a.password, totp: code });
      expect(replay.statusCode).toBe(401);
      expect(replay.headers['content-type']).toContain('application/problem+json');
      expect(replay.json()).toMatchObject({ code: 'totp_replayed', title: 'Ce code de second facteur a déjà servi : attendez le suivant' });
    });
  });

  describe('passwords', () => {
    it('refuses guessable passwords wherever they are set, with our own message naming the field, in the reader’s language', async () => {
      const fp = await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 2 });
      const c = await signIn(app, fp.login, fp.password);
      for (const weak of ['aaaaaaaaaaaa', 'azertyuiop123', 'motdepasse2026', `${'analyste.faible'}2026`]) {
        const res = await c.post('/api/v1/users', { login: 'analyste.faible', organisation: 'NER', role: 'analyst', clearance: 1, password: weak });
        expect(res.statusCode, weak).toBe(400);
        expect(res.json().errors).toEqual([{ field: 'password', message: expect.stringMatching(/^Mot de passe trop/) }]);
      }
      const en = await c.request({ method: 'POST', url: '/api/v1/users', payload: { login: 'analyste.faible', organisation: 'NER', role: 'analyst', clearance: 1, password: 'aaaaaaaaaaaa' }, headers: { 'accept-language': 'en' } });
      expect(en.json().errors).toEqual([{ field: 'password', message: 'Password too easy to guess: avoid repeated characters or words' }]);
      expect((await t.ctx.engine.db.selectFrom('users').select('id').where('login', '=', 'analyste.faible').execute())).toHaveLength(0);
      const reset = await c.post(`/api/v1/users/${fp.userId}/reset-password`, { password: 'aaaaaaaaaaaa' });
      expect(reset.statusCode).toBe(400);
      expect(reset.json().errors[0].field).toBe('password');
      await expect(createUser(t.ctx, SYSTEM, { login: 'cli.faible', organisation: 'MLI', role: 'reporter', clearance: 1, password: 'aaaaaaaaaaaa' })).rejects.toThrow();
      expect((await c.post('/api/v1/users', { login: 'analyste.solide', organisation: 'NER', role: 'analyst', clearance: 1, password: 'Baobab-sous-la-pluie-de-Zinder' })).statusCode).toBe(201);
    });

    it('lets a user change their own password, which ends their other sessions but keeps this one and their tokens', async () => {
      const u = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
      const here = await signIn(app, u.login, u.password);
      const elsewhere = await signIn(app, u.login, u.password);
      const { token } = (await here.post('/api/v1/tokens', { name: 'script' })).json() as { token: string };
      const wrong = await here.post('/api/v1/me/password', { current_password: 'pas-le-bon-mot', new_password: 'Caravane-du-sel-vers-Taoudeni' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors).toEqual([{ field: 'current_password', message: 'Mot de passe actuel incorrect' }]);
      const weak = await here.post('/api/v1/me/password', { current_password: u.password, new_password: 'aaaaaaaaaaaa' });
      expect(weak.json().errors[0].field).toBe('new_password');
      expect((await here.post('/api/v1/me/password', { current_password: u.password, new_password: 'Caravane-du-sel-vers-Taoudeni' })).statusCode).toBe(204);
      expect((await here.get('/api/v1/auth/me')).statusCode).toBe(200);
      expect((await elsewhere.get('/api/v1/auth/me')).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      expect((await login({ login: u.login, password: u.password })).statusCode).toBe(401);
      expect((await login({ login: u.login, password: 'Caravane-du-sel-vers-Taoudeni' })).statusCode).toBe(200);
      const audit = await t.ctx.engine.db.selectFrom('audit_events').select('action').where('object_id', '=', u.userId).where('action', '=', 'user.password_changed').execute();
      expect(audit).toHaveLength(1);
    });

    it('makes a generated password one-time: until it is changed, every other call answers 403 password_change_required', async () => {
      const { user, password } = await createUser(t.ctx, SYSTEM, { login: `admin.premier.${kind}`, organisation: 'CONF', role: 'admin', clearance: 0 });
      const c = await signIn(app, user.login, password!);
      expect((await c.get('/api/v1/auth/me')).json().password_change_required).toBe(true);
      for (const res of [await c.get('/api/v1/users'), await c.post('/api/v1/auth/totp/setup'), await c.post('/api/v1/tokens', { name: 'x' })]) {
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ code: 'password_change_required', title: 'Choisissez un nouveau mot de passe pour continuer' });
      }
      expect((await c.post('/api/v1/me/password', { current_password: password, new_password: 'Pirogue-au-fil-du-Niger-42' })).statusCode).toBe(204);
      const me = (await c.get('/api/v1/auth/me')).json();
      expect(me.password_change_required).toBe(false);
      expect(me.totp_enrollment_required).toBe(true); // then the administrator enrols the second factor
      expect((await c.post('/api/v1/auth/totp/setup')).statusCode).toBe(200);
      expect((await login({ login: user.login, password: password! })).statusCode).toBe(401);
    });
  });
});
