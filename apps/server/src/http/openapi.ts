import { PROBLEMS } from '@vigie/domain';
import { z } from 'zod';
import type { RouteDef } from './route.js';

type Json = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = toSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

/** An operation's id, a valid identifier (the generated web client's function names): GET /api/v1/incidents/:id → getApiV1IncidentsId. */
export function operationId(method: string, url: string): string {
  return `${method.toLowerCase()}${url.replace(/:(\w+)/g, '$1').replace(/[/.-]+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`;
}

const problemRef = { $ref: '#/components/responses/Problem' };

/** The OpenAPI 3.1 document, generated from the same Zod schemas that validate requests. */
export function buildOpenApi(routes: RouteDef[], info: { title: string; version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const responses: Json = {};
    for (const [status, res] of Object.entries(r.responses ?? { 200: { description: 'OK' } })) {
      responses[status] = res instanceof z.ZodType
        ? { description: 'OK', content: { 'application/json': { schema: toSchema(res, 'output') } } }
        : { description: res.description };
    }
    responses['4XX'] = problemRef;
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags,
      operationId: operationId(r.method, r.url),
      security: r.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Vigie API. Errors are RFC 9457 application/problem+json with a stable `code` and, for bad input, `errors` naming each field.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'vigie_session', description: 'Writes also need the X-CSRF-Token header from /api/v1/auth/me' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token created with `vigie token create`' },
      },
      responses: {
        Problem: {
          description: 'An RFC 9457 problem',
          content: {
            'application/problem+json': {
              schema: {
                type: 'object',
                required: ['type', 'title', 'status', 'code'],
                properties: {
                  type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
                  instance: { type: 'string' }, code: { type: 'string', enum: Object.keys(PROBLEMS) },
                  errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
                },
              },
            },
          },
        },
      },
    },
  };
}
