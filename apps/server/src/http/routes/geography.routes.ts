import type { FastifyReply } from 'fastify';
import { placeSchema } from '@vigie/domain';
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import { adminAreasBody, encodeFor, notModified, searchPlaces, TILE_MAX_ZOOM, vectorTile, type CachedBody } from '../../services/geography/geography.service.js';
import { route, type RouteDef, type RouteRequest } from '../route.js';

const areaQuery = z.strictObject({
  level: z.coerce.number().int().min(1).max(3).optional(),
  state: z.string().regex(/^[A-Z]{3}$/).optional(),
});

const placeQuery = z.strictObject({
  q: z.string().trim().min(2),
  state: z.string().regex(/^[A-Z]{3}$/).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const tileParams = z.object({
  z: z.coerce.number().int().min(0).max(TILE_MAX_ZOOM),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

const areaFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon', 'Point']), coordinates: z.unknown() }),
  properties: z.object({
    code: z.string(), level: z.number().int(), state: z.string(), parent: z.string().nullable(),
    name_fr: z.string(), name_en: z.string(), boundary_set: z.string().nullable(),
  }),
});

/** Sends a cached body with its strong validator: 304 when the client has it, else the best encoding it accepts. */
function sendCached(req: RouteRequest, reply: FastifyReply, body: CachedBody, cacheControl: string) {
  reply.header('etag', body.etag).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (notModified(req.headers['if-none-match'], body.etag)) return reply.status(304).send();
  const { data, encoding } = encodeFor(body, req.headers['accept-encoding']);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.type(body.type).send(data);
}

export const geographyRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/admin-areas.geojson', tags: ['reference'], auth: 'user', query: areaQuery,
    summary: 'Admin areas as GeoJSON: simplified boundary polygons, a Point for areas without one',
    responses: { 200: z.object({ type: z.literal('FeatureCollection'), features: z.array(areaFeature) }), 304: { description: 'Not modified (If-None-Match)' } },
    async handler(req, reply) {
      const q = req.input.query;
      // Boundaries change only on import: kept an hour, then revalidated by ETag (a 304 costs a few bytes).
      return sendCached(req, reply, await adminAreasBody(req.ctx, q), 'private, max-age=3600, must-revalidate');
    },
  }),
  route({
    method: 'GET', url: '/api/v1/places', tags: ['reference'], auth: 'user', query: placeQuery,
    summary: 'Populated places (GeoNames) by name: accents, case, alternate names, prefixes and close spellings',
    responses: { 200: z.object({ items: z.array(placeSchema) }) },
    async handler(req) {
      const q = req.input.query;
      return { items: await searchPlaces(req.ctx, q.q, { state: q.state, limit: q.limit }) };
    },
  }),
  route({
    method: 'GET', url: '/api/v1/tiles/:z/:x/:y.pbf', tags: ['reference'], auth: 'user', params: tileParams,
    summary: 'Vector tile (Mapbox Vector Tile 2.1): layers states, admin1, admin2, admin1_labels, admin2_labels, places',
    responses: { 200: { description: 'Vector tile', contentType: 'application/vnd.mapbox-vector-tile' }, 204: { description: 'Nothing in this tile' }, 304: { description: 'Not modified (If-None-Match)' } },
    async handler(req, reply) {
      const p = req.input.params;
      const n = 2 ** p.z;
      if (p.x >= n || p.y >= n) {
        throw new Problem('validation_failed', `tile ${p.z}/${p.x}/${p.y} does not exist`, [{ field: p.x >= n ? 'x' : 'y', message: `0 … ${n - 1} au niveau ${p.z}` }]);
      }
      const tile = await vectorTile(req.ctx, p.z, p.x, p.y);
      if (!tile) return reply.status(204).header('cache-control', 'private, max-age=3600').send();
      return sendCached(req, reply, tile, 'private, max-age=3600, must-revalidate');
    },
  }),
];
