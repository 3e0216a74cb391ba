/**
 * OGC API – Features under /ogc (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 3 filtering with CQL2), for GIS clients.
 * Incidents and alerts have their own routes (each with its permission in route-policy.ts); admin areas answer under
 * /ogc/collections/:collectionId. Every answer goes through the same sign-in (an API token as Bearer, or as the
 * password of HTTP Basic) and the same who-sees-what as the rest of the API.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import {
  collectionDoc, collectionsFor, conformance, findCollection, GEOJSON, landing, OPENAPI_TYPE, queryablesDoc, queryablesOf,
  type CollectionDef, type Link,
} from '../../ogc/documents.js';
import { adminAreaItem, adminAreaItems, alertItem, alertItems, incidentItem, incidentItems, type ItemsQuery, type Page } from '../../ogc/features.js';
import * as html from '../../ogc/html.js';
import { ogcOpenApi } from '../../ogc/openapi.js';
import { CRS84, formatOf, formatQuerySchema, ITEMS_PARAMS, itemsQuerySchema, queryWith, unknownParameter, type Format, type ItemsParams } from '../../ogc/params.js';
import { fieldProblem } from '../../lib/problem.js';
import { route, type RouteDef, type RouteRequest } from '../route.js';

const tags = ['ogc'];
const query = formatQuerySchema;
type FormatRequest = RouteRequest & { input: { query: z.output<typeof formatQuerySchema> } };
type ItemsRequest = RouteRequest & { input: { query: ItemsParams } };

const baseOf = (req: RouteRequest) => `${req.protocol}://${req.host}/ogc`;
/** The request's own query parameters, as given, for the links that repeat them. */
const givenParams = (req: RouteRequest) => new URL(req.url, 'http://localhost').searchParams;

/** Reads `f` (after refusing unknown parameters) and answers JSON with its media type or the HTML page. */
function answer(reply: FastifyReply, fmt: Format, type: string, body: unknown, page: () => string) {
  reply.header('cache-control', 'no-store').header('vary', 'accept, accept-language');
  // Set as is: reply.type() would rewrite `version=3.0` as `version="3.0"`, which clients compare literally.
  if (fmt === 'html') return reply.header('content-type', 'text/html; charset=utf-8').send(page());
  // A Buffer: Fastify leaves its content type as set (a string gets `; charset=utf-8` and the version parameter quoted).
  return reply.header('content-type', type).send(Buffer.from(JSON.stringify(body)));
}

/** The format a resource that takes only `f` is asked for (its query was parsed by formatQuerySchema). */
const simple = (req: FormatRequest): Format => formatOf(req.input.query.f, req.headers.accept);

async function collectionRoute(req: FormatRequest, reply: FastifyReply, id: string) {
  const fmt = simple(req);
  const c = await findCollection(req.ctx, req.principal, id);
  const doc = await collectionDoc(req.ctx, c, baseOf(req), req.lang);
  return answer(reply, fmt, 'application/json', doc, () => html.collectionHtml(req.lang, baseOf(req), c, doc));
}

async function queryablesRoute(req: FormatRequest, reply: FastifyReply, id: string) {
  const fmt = simple(req);
  const c = await findCollection(req.ctx, req.principal, id);
  const doc = queryablesDoc(req.principal, c, baseOf(req), req.lang);
  return answer(reply, fmt, 'application/schema+json', doc, () => html.queryablesHtml(req.lang, baseOf(req), c, doc.properties));
}

async function fetchPage(req: RouteRequest, c: CollectionDef, q: ItemsQuery): Promise<Page> {
  if (c.kind === 'incidents') return incidentItems(req.ctx, req.principal, q);
  if (c.kind === 'alerts') return alertItems(req.ctx, req.principal, q);
  return adminAreaItems(req.ctx, c.level ?? 1, q);
}

async function itemsRoute(req: ItemsRequest, reply: FastifyReply, id: string) {
  const c = await findCollection(req.ctx, req.principal, id);
  const { f, limit, offset, cursor, bbox, datetime: time, filter } = req.input.query;
  const given: Record<string, unknown> = req.input.query;
  // The collection's queryables may be given by value (GDAL's attribute filters); they depend on the collection and the reader.
  const byValue = Object.entries(queryablesOf(req.principal, c)).filter(([, x]) => x.type === 'string' || x.type === 'number').map(([k]) => k);
  const unknown = unknownParameter(Object.keys(given), [...ITEMS_PARAMS, ...byValue]);
  if (unknown) throw fieldProblem(unknown.name, unknown.message);
  const equals: Record<string, string> = {};
  for (const k of byValue) {
    const v = given[k];
    if (Array.isArray(v)) throw new Problem('validation_failed', `${k} is given more than once`, [{ field: k, message: `${k} is given more than once` }]);
    if (typeof v === 'string') equals[k] = v;
  }
  const fmt = formatOf(f, req.headers.accept);
  if (time && !c.temporal) throw new Problem('validation_failed', 'this collection has no time', [{ field: 'datetime', message: 'this collection has no temporal property' }]);
  const page = await fetchPage(req, c, { limit, offset, bbox, time, filter, equals, ...(cursor !== undefined ? { cursor } : {}) });
  const q = givenParams(req);
  const base = baseOf(req);
  const url = `${base}/collections/${c.id}/items`;
  const links: Link[] = [
    { href: `${url}${queryWith(q, { f: 'json' })}`, rel: 'self', type: GEOJSON, title: 'This page' },
    { href: `${url}${queryWith(q, { f: 'html' })}`, rel: 'alternate', type: 'text/html', title: 'This page as HTML' },
    { href: `${base}/collections/${c.id}`, rel: 'collection', type: 'application/json', title: c.title[req.lang] },
  ];
  const more = offset + page.features.length < page.matched;
  for (const [rel, at] of [['next', more ? offset + limit : null], ['prev', offset > 0 ? Math.max(0, offset - limit) : null]] as const) {
    if (at === null) continue;
    // The incidents' next page starts at its cursor (the offset stays, for the "n to m of N" of the HTML page); the
    // previous page, by offset.
    const changes = { offset: String(at), limit: String(limit), cursor: rel === 'next' ? page.next ?? null : null };
    links.push({ href: `${url}${queryWith(q, { ...changes, f: 'json' })}`, rel, type: GEOJSON, title: rel === 'next' ? 'Next page' : 'Previous page' });
    links.push({ href: `${url}${queryWith(q, { ...changes, f: 'html' })}`, rel, type: 'text/html', title: rel === 'next' ? 'Next page' : 'Previous page' });
  }
  const body = {
    type: 'FeatureCollection',
    features: page.features,
    numberMatched: page.matched,
    numberReturned: page.features.length,
    timeStamp: new Date().toISOString(),
    links,
  };
  reply.header('content-crs', `<${CRS84}>`);
  return answer(reply, fmt, GEOJSON, body, () => html.itemsHtml(req.lang, base, c, page.features, page.matched, offset, links));
}

async function itemRoute(req: FormatRequest, reply: FastifyReply, id: string, fid: string) {
  const fmt = simple(req);
  const c = await findCollection(req.ctx, req.principal, id);
  const f = c.kind === 'incidents' ? await incidentItem(req.ctx, req.principal, fid)
    : c.kind === 'alerts' ? await alertItem(req.ctx, req.principal, fid)
      : await adminAreaItem(req.ctx, c.level ?? 1, fid);
  const base = baseOf(req);
  const self = `${base}/collections/${c.id}/items/${encodeURIComponent(f.id)}`;
  const body = {
    ...f,
    links: [
      { href: `${self}?f=json`, rel: 'self', type: GEOJSON },
      { href: `${self}?f=html`, rel: 'alternate', type: 'text/html' },
      { href: `${base}/collections/${c.id}`, rel: 'collection', type: 'application/json' },
    ],
  };
  reply.header('content-crs', `<${CRS84}>`);
  return answer(reply, fmt, GEOJSON, body, () => html.itemHtml(req.lang, base, c, f));
}

const featureParams = z.object({ featureId: z.string().min(1).max(200) });
const itemsQuery = itemsQuerySchema;
const collectionParams = z.object({ collectionId: z.string().min(1).max(64) });
const anyParams = collectionParams.extend({ featureId: z.string().min(1).max(200) });

/** The three routes of one named collection (incidents, alerts), each under its own permission. */
const named = (id: 'incidents' | 'alerts'): RouteDef[] => [
  route({ method: 'GET', url: `/ogc/collections/${id}`, tags, auth: 'user', query, summary: `OGC: the ${id} collection`, handler: (req, reply) => collectionRoute(req, reply, id) }),
  route({ method: 'GET', url: `/ogc/collections/${id}/items`, tags, auth: 'user', query: itemsQuery, summary: `OGC: ${id} as GeoJSON features (bbox, datetime, CQL2 filter)`, handler: (req, reply) => itemsRoute(req, reply, id) }),
  route({ method: 'GET', url: `/ogc/collections/${id}/items/:featureId`, tags, auth: 'user', params: featureParams, query, summary: `OGC: one of the ${id}`, handler: (req, reply) => itemRoute(req, reply, id, req.input.params.featureId) }),
  route({ method: 'GET', url: `/ogc/collections/${id}/queryables`, tags, auth: 'user', query, summary: `OGC: what a filter on ${id} may name`, handler: (req, reply) => queryablesRoute(req, reply, id) }),
];

export const ogcRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/ogc', tags, query, auth: 'user', summary: 'OGC API – Features landing page',
    async handler(req, reply) {
      const fmt = simple(req);
      const doc = landing(baseOf(req), req.lang);
      return answer(reply, fmt, 'application/json', doc, () => html.landingHtml(req.lang, baseOf(req), doc));
    },
  }),
  route({
    method: 'GET', url: '/ogc/conformance', tags, query, auth: 'user', summary: 'OGC API – Features conformance classes',
    async handler(req, reply) {
      const fmt = simple(req);
      const doc = conformance(baseOf(req));
      return answer(reply, fmt, 'application/json', doc, () => html.conformanceHtml(req.lang, baseOf(req), doc.conformsTo));
    },
  }),
  route({
    method: 'GET', url: '/ogc/api', tags, query, auth: 'user', summary: 'OGC API – Features: its OpenAPI 3.0 definition',
    async handler(req, reply) {
      const fmt = simple(req);
      const list = await collectionsFor(req.ctx, req.principal);
      const doc = ogcOpenApi(baseOf(req), list.map((c) => ({ id: c.id, title: c.title.en, queryables: queryablesOf(req.principal, c) })));
      const page = () => html.landingHtml(req.lang, baseOf(req), {
        title: doc.info.title, description: doc.info.description,
        links: Object.keys(doc.paths).map((p) => ({ href: `${baseOf(req)}${p === '/' ? '' : p.replace('{featureId}', '…')}`, rel: 'path', title: p })),
      });
      return answer(reply, fmt, OPENAPI_TYPE, doc, page);
    },
  }),
  route({
    method: 'GET', url: '/ogc/collections', tags, query, auth: 'user', summary: 'OGC: the collections the reader may read',
    async handler(req, reply) {
      const fmt = simple(req);
      const base = baseOf(req);
      const list = await collectionsFor(req.ctx, req.principal);
      const collections = await Promise.all(list.map((c) => collectionDoc(req.ctx, c, base, req.lang)));
      const doc = {
        collections,
        links: [{ href: `${base}/collections?f=json`, rel: 'self', type: 'application/json' }, { href: `${base}/collections?f=html`, rel: 'alternate', type: 'text/html' }],
      };
      return answer(reply, fmt, 'application/json', doc, () => html.collectionsHtml(req.lang, base, list));
    },
  }),
  ...named('incidents'),
  ...named('alerts'),
  route({ method: 'GET', url: '/ogc/collections/:collectionId', tags, auth: 'user', params: collectionParams, query, summary: 'OGC: an admin-area collection', handler: (req, reply) => collectionRoute(req, reply, req.input.params.collectionId) }),
  route({ method: 'GET', url: '/ogc/collections/:collectionId/items', tags, auth: 'user', params: collectionParams, query: itemsQuery, summary: 'OGC: admin areas as GeoJSON features', handler: (req, reply) => itemsRoute(req, reply, req.input.params.collectionId) }),
  route({ method: 'GET', url: '/ogc/collections/:collectionId/items/:featureId', tags, auth: 'user', params: anyParams, query, summary: 'OGC: one admin area', handler: (req, reply) => itemRoute(req, reply, req.input.params.collectionId, req.input.params.featureId) }),
  route({ method: 'GET', url: '/ogc/collections/:collectionId/queryables', tags, auth: 'user', params: collectionParams, query, summary: 'OGC: what a filter on admin areas may name', handler: (req, reply) => queryablesRoute(req, reply, req.input.params.collectionId) }),
];
