import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem } from '../lib/problem.js';
import { resolveApiToken, resolveBasicToken, resolveSession, type ResolvedSession } from '../services/accounts/auth.service.js';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';

export const SESSION_COOKIE = 'vigie_session';

declare module 'fastify' {
  interface FastifyRequest {
    session?: ResolvedSession;
    principalOrNull?: Principal;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes an admin may reach before enrolling the second factor. */
const ENROLLMENT_PATHS = ['/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/auth/totp/setup', '/api/v1/auth/totp/confirm', '/api/v1/me/password'];
/** Routes a user signed in with a one-time password may reach before choosing their own. */
const PASSWORD_CHANGE_PATHS = ['/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/me/password'];

/**
 * Resolves who is calling: a Bearer API token (or, on /ogc, HTTP Basic with the token as password) or the session cookie. Cookie-authenticated writes must carry
 * the session's CSRF token in X-CSRF-Token (on top of SameSite=Strict). A session opened with a one-time password may
 * only change it; admins without TOTP may only enrol.
 */
export async function authenticate(ctx: Ctx, req: FastifyRequest): Promise<Principal> {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const principal = await resolveApiToken(ctx, header.slice('Bearer '.length).trim());
    if (!principal) throw new Problem('unauthenticated', 'unknown or revoked API token');
    return principal;
  }
  // GIS clients (QGIS, ArcGIS, GDAL) that only do HTTP Basic, on /ogc only: any user name, the API token as password.
  // A password is never accepted here, so the account lock and the second factor cannot be bypassed; a wrong token is
  // audited and counted with the address's failed sign-ins.
  if (header && /^basic /i.test(header) && /^\/ogc([/?]|$)/.test(req.url)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return resolveBasicToken(ctx, decoded.slice(0, Math.max(colon, 0)), colon < 0 ? '' : decoded.slice(colon + 1), { ip: req.ip });
  }
  const cookie = req.cookies[SESSION_COOKIE];
  const session = cookie ? await resolveSession(ctx, cookie) : undefined;
  if (!session) throw new Problem('unauthenticated');
  if (!SAFE.has(req.method) && req.headers['x-csrf-token'] !== session.view.csrf_token) throw new Problem('csrf_failed');
  if (session.view.password_change_required && !PASSWORD_CHANGE_PATHS.includes(req.routeOptions.url ?? '')) {
    throw new Problem('password_change_required');
  }
  if (session.view.totp_enrollment_required && !ENROLLMENT_PATHS.includes(req.routeOptions.url ?? '')) {
    throw new Problem('totp_enrollment_required');
  }
  req.session = session;
  return session.principal;
}

export function registerAuthDecorators(app: FastifyInstance): void {
  app.decorateRequest('session', undefined);
  app.decorateRequest('principalOrNull', undefined);
}
