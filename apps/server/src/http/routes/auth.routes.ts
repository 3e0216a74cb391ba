import { loginSchema, passwordChangeSchema, sessionInfoSchema } from '@vigie/domain';
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import { beginTotpEnrollment, changeOwnPassword, confirmTotpEnrollment, signIn, signOut } from '../../services/accounts/auth.service.js';
import { runningFederation } from '../../services/federation/federation-link.js';
import { SESSION_COOKIE } from '../auth.plugin.js';
import { route, type RouteDef, type RouteRequest } from '../route.js';

const tags = ['auth'];

/** This server's part in a running federation, if any (the web app shows a national node's « Confédération » page). */
const federationRole = (req: RouteRequest) => runningFederation(req.ctx)?.fed.role ?? null;

export const authRoutes: RouteDef[] = [
  route({
    method: 'POST', url: '/api/v1/auth/login', tags, auth: 'public', body: loginSchema,
    summary: 'Sign in with login, password and (where enabled) a TOTP code; sets an HttpOnly session cookie',
    responses: { 200: sessionInfoSchema, 429: { description: 'Too many failed sign-ins (account locked, or this address); see Retry-After' } },
    rateLimit: { max: 10, timeWindow: '1 minute' },
    async handler(req, reply) {
      const input = req.input.body;
      const { token, view } = await signIn(req.ctx, input, { ip: req.ip }).catch((e: unknown) => {
        // A throttled sign-in says when to come back, as a 429 should (RFC 9110 Retry-After).
        const retry = e instanceof Problem ? e.extra.retry_after : undefined;
        if (typeof retry === 'number') reply.header('retry-after', String(retry));
        throw e;
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true, sameSite: 'strict', path: '/', secure: req.ctx.settings.secureCookies, expires: new Date(view.expires_at),
      });
      return { ...view, federation_role: federationRole(req) };
    },
  }),
  route({
    method: 'POST', url: '/api/v1/auth/logout', tags, auth: 'user', summary: 'Sign out (ends the session)',
    responses: { 204: { description: 'Signed out' } },
    async handler(req, reply) {
      if (req.session) await signOut(req.ctx, req.session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  }),
  route({
    method: 'GET', url: '/api/v1/auth/me', tags, auth: 'user', summary: 'Who is signed in, with the CSRF token and permissions',
    responses: { 200: sessionInfoSchema },
    async handler(req) {
      if (!req.session) throw new Problem('unauthenticated', 'API tokens have no session');
      return { ...req.session.view, federation_role: federationRole(req) };
    },
  }),
  route({
    method: 'POST', url: '/api/v1/me/password', tags, auth: 'user', body: passwordChangeSchema,
    summary: 'Change your own password (current + new); ends your other sessions, keeps this one and your API tokens',
    responses: { 204: { description: 'Changed' } },
    rateLimit: { max: 10, timeWindow: '1 minute' },
    async handler(req, reply) {
      await changeOwnPassword(req.ctx, req.principal, req.session, req.input.body as z.input<typeof passwordChangeSchema>);
      return reply.status(204).send();
    },
  }),
  route({
    method: 'POST', url: '/api/v1/auth/totp/setup', tags, auth: 'user', summary: 'Start enrolling a TOTP authenticator',
    responses: { 200: z.object({ secret: z.string(), uri: z.string() }) },
    handler: (req) => beginTotpEnrollment(req.ctx, req.principal),
  }),
  route({
    method: 'POST', url: '/api/v1/auth/totp/confirm', tags, auth: 'user', body: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'validation.totp_format') }),
    summary: 'Confirm the authenticator with a first code; the second factor is then required at every sign-in',
    responses: { 200: sessionInfoSchema },
    async handler(req) {
      if (!req.session) throw new Problem('unauthenticated');
      const { code } = req.input.body;
      return confirmTotpEnrollment(req.ctx, req.session, code);
    },
  }),
];
