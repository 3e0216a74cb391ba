/**
 * The OpenAPI 3.0 definition of /ogc (conformance class "OpenAPI 3.0"), served as
 * application/vnd.oai.openapi+json;version=3.0. Each collection's items path lists its queryables as parameters,
 * so that clients that read them (GDAL's OAPIF driver) send attribute filters to the server.
 */
import type { Queryables } from './cql2/compile.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './params.js';

const p = (name: string, description: string, schema: Record<string, unknown>, inPath = false) =>
  ({ name, in: inPath ? 'path' : 'query', required: inPath, description, schema, ...(inPath ? {} : { style: 'form', explode: false }) });

const F = p('f', 'Format: json or html (or by Accept).', { type: 'string', enum: ['json', 'html'] });
const ITEMS_PARAMS = [
  F,
  p('limit', `Features per page (1–${MAX_LIMIT}, ${DEFAULT_LIMIT} by default).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  p('offset', 'Features to skip (the next link carries it).', { type: 'integer', minimum: 0, default: 0 }),
  p('cursor', 'Incidents: where the page starts, as the next link gives it (opaque; other collections page by offset alone).', { type: 'string' }),
  p('bbox', 'minLon,minLat,maxLon,maxLat in CRS84.', { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }),
  p('bbox-crs', 'Only CRS84.', { type: 'string', format: 'uri' }),
  p('datetime', 'An instant, a date or an interval start/end with open ends "..".', { type: 'string' }),
  p('filter', 'A CQL2 filter (text by default).', { type: 'string' }),
  p('filter-lang', 'cql2-text (default) or cql2-json; cql-text is read as cql2-text.', { type: 'string', enum: ['cql2-text', 'cql2-json', 'cql-text'] }),
  p('filter-crs', 'Only CRS84.', { type: 'string', format: 'uri' }),
];

const json = (description: string, type = 'application/json') => ({ description, content: { [type]: { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } });
const errors = {
  400: { description: 'A parameter is unknown or invalid (problem+json naming it).', content: { 'application/problem+json': { schema: { type: 'object' } } } },
  401: { description: 'No or an invalid API token (Bearer, or the password of HTTP Basic).' },
  404: { description: 'No such collection or feature for this reader.' },
};

export function ogcOpenApi(base: string, collections: { id: string; title: string; queryables: Queryables }[]) {
  const paths: Record<string, unknown> = {
    '/': { get: { summary: 'Landing page', operationId: 'getLandingPage', parameters: [F], responses: { 200: json('Links to the API'), ...errors } } },
    '/conformance': { get: { summary: 'Conformance classes', operationId: 'getConformanceDeclaration', parameters: [F], responses: { 200: json('The classes') } } },
    '/api': { get: { summary: 'This definition', operationId: 'getApi', parameters: [F], responses: { 200: json('OpenAPI 3.0', 'application/vnd.oai.openapi+json;version=3.0') } } },
    '/collections': { get: { summary: 'The collections the reader may read', operationId: 'getCollections', parameters: [F], responses: { 200: json('Collections'), ...errors } } },
  };
  for (const c of collections) {
    const id = c.id;
    const props = Object.entries(c.queryables).filter(([, q]) => q.type === 'string' || q.type === 'number')
      .map(([name, q]) => p(name, `${q.title}: equal to this value.`, { type: q.type === 'number' ? 'number' : 'string' }));
    paths[`/collections/${id}`] = { get: { summary: c.title, operationId: `describe_${id}`, parameters: [F], responses: { 200: json('The collection'), ...errors } } };
    paths[`/collections/${id}/items`] = {
      get: { summary: `${c.title}: features`, operationId: `getFeatures_${id}`, parameters: [...ITEMS_PARAMS, ...props], responses: { 200: json('A page of features', 'application/geo+json'), ...errors } },
    };
    paths[`/collections/${id}/items/{featureId}`] = {
      get: { summary: `${c.title}: one feature`, operationId: `getFeature_${id}`, parameters: [F, p('featureId', 'The feature id', { type: 'string' }, true)], responses: { 200: json('The feature', 'application/geo+json'), ...errors } },
    };
    paths[`/collections/${id}/queryables`] = { get: { summary: `${c.title}: queryables`, operationId: `getQueryables_${id}`, parameters: [F], responses: { 200: json('JSON Schema', 'application/schema+json'), ...errors } } };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Vigie — OGC API Features', version: '1.0.0', description: 'Incidents, alerts and administrative areas for GIS clients. Authenticate with an API token: `Authorization: Bearer <token>`, or HTTP Basic with any user name and the token as password.' },
    servers: [{ url: base }],
    security: [{ bearer: [] }, { basic: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } } },
    paths,
  };
}
