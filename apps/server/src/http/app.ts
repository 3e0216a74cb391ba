import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { canonicalLogin, parseInput } from '@vigie/domain';
import helmetMiddleware from 'helmet';
import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Ctx } from '../services/context.js';
import { ANONYMOUS, requirePermission, type Principal } from '../services/principal.js';
import { ROUTE_POLICY, type Policy } from './route-policy.js';
import { authenticate, registerAuthDecorators } from './auth.plugin.js';
import { registerCompression } from './compress.js';
import { buildOpenApi } from './openapi.js';
import { checkResponseContracts } from './response-contract.js';
import { negotiateLang, sendProblem } from './problem-handler.js';
import type { RouteDef, RouteInput, RouteRequest } from './route.js';
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
import { boundarySetRoutes } from './routes/boundary-sets.routes.js';
import { ogcRoutes } from './routes/ogc.routes.js';
import { exportRoutes } from './routes/export.routes.js';
import { changesRoutes } from './routes/changes.routes.js';
import { inboxRoutes } from './routes/inbox.routes.js';
import { placeNameRoutes } from './routes/place-names.routes.js';
import { openRosaError, openRosaRoutes } from './routes/openrosa.routes.js';
import { attachmentRoutes } from './routes/attachment.routes.js';
import { incidentBatchRoutes } from './routes/incident-batch.routes.js';
import multipart from '@fastify/multipart';
import { federationRoutes } from './routes/federation.routes.js';
import { guardForeignWrite } from '../services/federation/federation.service.js';
import { runningFederation } from '../services/federation/federation-link.js';
import { sitrepRoutes } from './routes/sitrep.routes.js';

/** Security headers on every answer (@fastify/helmet, and plain helmet for the answers Fastify gives before any hook). */
const HELMET_OPTIONS = {
  // HSTS and upgrade-insecure-requests are added per request, only over HTTPS (see applySecurityHeaders): sent over plain
  // HTTP on a LAN address they make the browser rewrite the scripts to https, and the web app stays a blank page.
  strictTransportSecurity: false,
  contentSecurityPolicy: {
    directives: {
      upgradeInsecureRequests: null,
      defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], workerSrc: ["'self'", 'blob:'], connectSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"],
    },
  },
};
const helmetHeaders = helmetMiddleware(HELMET_OPTIONS);

/** Every route of the API; capabilities add their list here. */
export const ROUTES: RouteDef[] = [
  ...systemRoutes, ...authRoutes, ...incidentRoutes, ...duplicateRoutes, ...userRoutes, ...aggregateRoutes, ...strategyRoutes,
  ...coordinationRoutes, ...alertRoutes, ...forecastRoutes, ...auditRoutes, ...geographyRoutes, ...boundarySetRoutes, ...ogcRoutes,
  ...exportRoutes, ...changesRoutes, ...inboxRoutes, ...placeNameRoutes,
  ...openRosaRoutes, ...attachmentRoutes, ...incidentBatchRoutes,
  ...federationRoutes,
  ...sitrepRoutes,
];

export interface AppOptions {
  /** Folder of the built web app to serve at /, when present. */
  webRoot?: string;
  /** true: log every request (info). Without it the log is on at `logLevel` (warn by default), so every 5xx is recorded. */
  logger?: boolean;
  /** pino level: 'warn' by default; 'silent' turns the log off. */
  logLevel?: string;
  /** Where log lines go (stdout by default); tests read them here. */
  logStream?: { write(line: string): void };
  extraRoutes?: RouteDef[];
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, VIGIE_TRUSTED_PROXIES). None by default:
   * otherwise any client picks the address that sign-in limits and the audit see.
   */
  trustedProxies?: string[];
  /** Check every JSON answer against its route's declared schema (default: VIGIE_CHECK_RESPONSES=1, set for the tests). */
  checkResponses?: boolean;
}

/** Builds the Fastify application: security headers, auth, the API routes, the OpenAPI document and the web app. */
export async function buildApp(ctx: Ctx, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logger ? 'info' : (options.logLevel ?? 'warn'), ...(options.logStream ? { stream: options.logStream } : {}) },
    // A random id per request, in every log line and every problem body, so a user can quote it and an admin find it.
    genReqId: () => randomUUID(),
    // Fastify's own early errors (an undecodable URL) leave through the same problem+json path as every other error.
    // No hook has run for these, so helmet's headers are set here from the same options.
    frameworkErrors: (err, req, reply) => {
      helmetHeaders(req.raw, reply.raw, () => undefined);
      applySecurityHeaders(req, reply);
      return sendProblem(err, req, reply);
    },
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false } },
  });
  registerAuthDecorators(app);
  await app.register(helmet, HELMET_OPTIONS);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  // OpenRosa submissions (routes/openrosa.routes.ts read the parts themselves, with their own limits).
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 50, fields: 20 } });
  app.setErrorHandler((err, req, reply) => openRosaError(err, req, reply) ?? sendProblem(err, req, reply));
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    applySecurityHeaders(req, reply);
    return payload;
  });
  await registerCompression(app);

  const routes = [...ROUTES, ...(options.extraRoutes ?? [])];
  if (options.checkResponses ?? process.env.VIGIE_CHECK_RESPONSES === '1') checkResponseContracts(app, routes);
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
        // A write to an object another node owns is refused first, naming the owner (edits go there).
        await guardForeignWrite(ctx, req.method, req.url, req.params, runningFederation(ctx)?.fed.node ?? null);
        // The route's permission verb before its input: a reader who may not call it learns nothing of what it takes.
        // (Public routes — OpenRosa's, which authenticate by the key in their path — check their caller themselves.)
        if (def.auth !== 'public') refuseWithoutVerb(req.principal, ROUTE_POLICY[`${def.method} ${def.url}`]);
        rejectNulCharacters({ query: req.query, body: req.body });
        req.input = parsedInput(def, req);
        return def.handler(req, reply);
      },
    });
  }

  const openapi = buildOpenApi(routes, { title: 'Vigie API', version: '1.0.0' });
  const openapiJson = JSON.stringify(openapi);
  const openapiTag = `"${createHash('sha256').update(openapiJson).digest('base64url').slice(0, 27)}"`;
  // Public and identical for everyone: cacheable, revalidated with its ETag.
  app.get('/api/v1/openapi.json', async (req, reply) => {
    reply.header('cache-control', 'public, no-cache').header('etag', openapiTag);
    if (req.headers['if-none-match'] === openapiTag) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(openapiJson);
  });

  const webRoot = options.webRoot;
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, maxAge: '1y', immutable: true, index: false, preCompressed: true });
    // The single-page app answers every non-API GET; the shell itself is never cached so updates arrive.
    const shell = (_req: FastifyRequest, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot, { cacheControl: false });
    app.get('/', shell);
    // The service worker, the web manifest and the shell must reach the browser fresh (the rest is hashed, immutable):
    // a year-long cache on sw.js would pin every device to this release of the app.
    app.addHook('onSend', async (req, reply, payload) => {
      if (UNHASHED_WEB_FILES.has(req.url.split('?')[0] ?? '')) reply.header('cache-control', 'no-cache');
      return payload;
    });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/ogc/')) return shell(req, reply);
      return sendProblem(Object.assign(new Error(`no route ${req.method} ${req.url}`), { statusCode: 404 }), req, reply);
    });
  } else {
    app.setNotFoundHandler((req, reply) => sendProblem(Object.assign(new Error(`no route ${req.method} ${req.url}`), { statusCode: 404 }), req, reply));
  }
  return app;
}

/**
 * No text Vigie stores or searches may hold U+0000: PostgreSQL text refuses it (the query fails, a 500), SQLite would
 * cut strings at it. Refused at the edge, for every route, naming the field.
 */
function rejectNulCharacters(input: { query: unknown; body: unknown }): void {
  const issues: z.core.$ZodIssue[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ code: 'custom', path, message: 'validation.nul_character', input: value });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(input.query, []);
  walk(input.body, []);
  if (issues.length) throw new z.ZodError(issues);
}

/**
 * Answers a browser renders with a policy of their own: pages, XML and SVG (which can hold scripts) and PDF (shown in
 * the browser's viewer). They get helmet's whole set of headers.
 */
const DOCUMENT_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|application\/pdf)\b/;
/** Scripts: any of them may run as a worker (the service worker, the map's), which takes the CSP of its own script. */
const SCRIPT_TYPES = /^(text|application)\/javascript\b/;
const contentType = (reply: FastifyReply) => String(reply.getHeader('content-type') ?? 'application/problem+json');

/** Headers a browser reads only on a document (a page, a frame): on JSON, scripts, styles and tiles they are dead weight. */
const DOCUMENT_ONLY_HEADERS = [
  'cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options',
  'x-permitted-cross-domain-policies', 'x-xss-protection',
];

/**
 * Every other answer (API JSON, scripts, styles, tiles, CSV) keeps `nosniff` and the resource and referrer policies;
 * scripts keep the page's CSP (for the workers), the rest get a CSP that allows nothing and no framing, in case one is
 * opened as a page. Over HTTP/1.1 headers are not compressed: a few hundred bytes less on each of the 15 or so answers
 * of a first view, a fraction of a second on a 256 kbit/s link.
 */
function keepResourceHeaders(reply: FastifyReply, type: string): void {
  for (const h of DOCUMENT_ONLY_HEADERS) {
    reply.removeHeader(h);
    // Fastify's early errors get helmet's headers on the raw response (see frameworkErrors).
    reply.raw.removeHeader(h);
  }
  if (SCRIPT_TYPES.test(type)) return;
  reply.raw.removeHeader('content-security-policy');
  reply.header('content-security-policy', "default-src 'none';frame-ancestors 'none'");
}

/**
 * The route's params, query and body, each parsed once by the schema the route declares (a ZodError here is the
 * problem+json 400 naming the field, problem-handler.ts). A route that declares no schema for a part gets undefined.
 */
function parsedInput(def: RouteDef, req: FastifyRequest): RouteInput {
  return {
    params: def.params ? parseInput(def.params, req.params) : undefined,
    query: def.query ? parseInput(def.query, req.query ?? {}) : undefined,
    // A write sent with no body at all is read as {} (the web client always sends one; curl users often do not).
    body: def.body ? parseInput(def.body, req.body ?? {}) : undefined,
  };
}

/**
 * A route's permission verb(s) as ROUTE_POLICY states them, checked before its input is parsed (403 before any 400).
 * The object rules (visible, reviewer, owner…) stay with the services and the SQL, which check the verb again.
 */
function refuseWithoutVerb(principal: Principal, policy: Policy | undefined): void {
  if (!policy || !('verb' in policy) || principal.kind !== 'user') return;
  requirePermission(principal, policy.verb);
  if (policy.and) requirePermission(principal, policy.and);
}

/**
 * The type of what the answer is: its content type, or, for a 304 (which has none), the type of the answer the browser
 * holds. A browser merges a 304's headers into its stored answer: a revalidated page that got a resource's policy
 * (`default-src 'none'`) would keep it, and its scripts would be blocked — a blank page on the next load.
 */
function answerType(req: FastifyRequest, reply: FastifyReply): string {
  if (reply.statusCode !== 304 || reply.hasHeader('content-type')) return contentType(reply);
  if (isApi(req.url)) return 'application/json';
  const ext = path.extname(req.url.split('?')[0] ?? '');
  if (!ext || ext === '.html') return 'text/html';
  return ext === '.js' || ext === '.mjs' ? 'text/javascript' : 'application/octet-stream';
}

/** Files of the web build whose names do not change between releases. */
const UNHASHED_WEB_FILES = new Set(['/sw.js', '/manifest.webmanifest', '/index.html', '/icon.svg', '/icon-maskable.svg']);

/** Answers under /api/ are never stored by a browser or proxy (they carry classified content), unless a route chose a policy. */
const isApi = (url: string) => url.startsWith('/api/') || url === '/ogc' || url.startsWith('/ogc/') || url.startsWith('/ogc?');

/**
 * Headers that depend on the request: HSTS and upgrade-insecure-requests only when Vigie is reached over HTTPS
 * (request.protocol, which honours X-Forwarded-Proto from a trusted proxy), and `Cache-Control: no-store` on the API.
 */
function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', req.id);
  const type = answerType(req, reply);
  if (!DOCUMENT_TYPES.test(type)) keepResourceHeaders(reply, type);
  if (req.protocol === 'https') {
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string' && !csp.includes('upgrade-insecure-requests')) reply.header('content-security-policy', `${csp};upgrade-insecure-requests`);
  }
  // GIS clients that only do HTTP Basic (the API token as password) are told so on /ogc.
  if (reply.statusCode === 401 && /^\/ogc([/?]|$)/.test(req.url)) reply.header('www-authenticate', 'Basic realm="Vigie OGC API", charset="UTF-8"');
  if (isApi(req.url) && (reply.statusCode >= 400 || !reply.hasHeader('cache-control'))) reply.header('cache-control', 'no-store');
}
