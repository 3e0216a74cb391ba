import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { canonicalLogin } from '@vigie/domain';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Ctx } from '../services/context.js';
import { ANONYMOUS } from '../services/principal.js';
import { authenticate, registerAuthDecorators } from './auth.plugin.js';
import { registerCompression } from './compress.js';
import { buildOpenApi } from './openapi.js';
import { negotiateLang, sendProblem } from './problem-handler.js';
import type { RouteDef, RouteRequest } from './route.js';
import { aggregateRoutes } from './routes/aggregate.routes.js';
import { alertRoutes } from './routes/alert.routes.js';
import { forecastRoutes } from './routes/forecast.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { duplicateRoutes } from './routes/duplicate.routes.js';
import { incidentRoutes } from './routes/incident.routes.js';
import { systemRoutes } from './routes/system.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { userRoutes } from './routes/user.routes.js';
import { strategyRoutes } from './routes/strategy.routes.js';
import { coordinationRoutes } from './routes/coordination.routes.js';
import { geographyRoutes } from './routes/geography.routes.js';

/** Every route of the API; capabilities add their list here. */
export const ROUTES: RouteDef[] = [
  ...systemRoutes, ...authRoutes, ...incidentRoutes, ...duplicateRoutes, ...userRoutes, ...aggregateRoutes, ...strategyRoutes,
  ...coordinationRoutes, ...alertRoutes, ...forecastRoutes, ...auditRoutes, ...geographyRoutes,
];

export interface AppOptions {
  /** Folder of the built web app to serve at /, when present. */
  webRoot?: string;
  logger?: boolean;
  extraRoutes?: RouteDef[];
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, VIGIE_TRUSTED_PROXIES). None by default:
   * otherwise any client picks the address that sign-in limits and the audit see.
   */
  trustedProxies?: string[];
}

/** Builds the Fastify application: security headers, auth, the API routes, the OpenAPI document and the web app. */
export async function buildApp(ctx: Ctx, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false } },
  });
  registerAuthDecorators(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], workerSrc: ["'self'", 'blob:'], connectSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  app.setErrorHandler((err, req, reply) => sendProblem(err, req, reply));
  registerCompression(app);

  const routes = [...ROUTES, ...(options.extraRoutes ?? [])];
  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      config: def.rateLimit
        ? {
            rateLimit: {
              max: def.rateLimit.max,
              timeWindow: def.rateLimit.timeWindow,
              // Counted per address and login, after the body is parsed: guessing one account's password is slowed
              // without locking out a whole post that shares one address.
              hook: 'preHandler',
              // The login in its canonical form, the one the lookup uses: " rep0" and "REP0" count as rep0.
              keyGenerator: (req: FastifyRequest) => `${req.ip}|${canonicalLogin(String((req.body as { login?: unknown } | undefined)?.login ?? ''))}`,
            },
          }
        : {},
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const req = request as RouteRequest;
        req.ctx = ctx;
        req.lang = negotiateLang(req.headers['accept-language']);
        req.principal = def.auth === 'public' ? ANONYMOUS : await authenticate(ctx, req);
        if (def.params) def.params.parse(req.params);
        return def.handler(req, reply);
      },
    });
  }

  const openapi = buildOpenApi(routes, { title: 'Vigie API', version: '1.0.0' });
  app.get('/api/v1/openapi.json', async () => openapi);

  const webRoot = options.webRoot;
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, maxAge: '1y', immutable: true, index: false, preCompressed: true });
    // The single-page app answers every non-API GET; the shell itself is never cached so updates arrive.
    const shell = (_req: FastifyRequest, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot, { maxAge: 0, immutable: false });
    app.get('/', shell);
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/ogc/')) return shell(req, reply);
      return sendProblem(Object.assign(new Error(`no route ${req.method} ${req.url}`), { statusCode: 404 }), req, reply);
    });
  } else {
    app.setNotFoundHandler((req, reply) => sendProblem(Object.assign(new Error(`no route ${req.method} ${req.url}`), { statusCode: 404 }), req, reply));
  }
  return app;
}
