import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES } from './app.js';
import { buildOpenApi } from './openapi.js';

interface Operation {
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { type?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }>; $ref?: string }>;
  security: unknown[];
}

interface JsonObject {
  type?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}

/** The keys of a schema that is an object (through optional, default and pipe wrappers), as a request or answer carries them. */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  const def = (schema as unknown as { _zod?: { def: { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; out?: z.ZodType } } } | undefined)?._zod?.def;
  if (!def) return undefined;
  if (def.type === 'object') return def.shape;
  if (def.type === 'pipe') return shapeOf(def.out);
  return def.innerType ? shapeOf(def.innerType) : undefined;
}
/** The fields a request may not leave out, found by leaving each one out. */
const requiredKeys = (shape: Record<string, z.ZodType>) => Object.entries(shape).filter(([, v]) => !v.safeParse(undefined).success).map(([k]) => k).sort();

const doc = buildOpenApi(ROUTES, { title: 'Vigie API', version: '1.0.0' }) as { openapi: string; paths: Record<string, Record<string, Operation>> };
const operations = ROUTES.map((r) => ({ r, path: r.url.replace(/:(\w+)/g, '{$1}'), op: doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()] }));

describe('the OpenAPI document generated from the route table', () => {
  it('is OpenAPI 3.1 and lists every route under its path and method, each with a unique operation id', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.filter((o) => !o.op).map((o) => `${o.r.method} ${o.r.url}`)).toEqual([]);
    const ids = operations.map((o) => o.op?.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const documented = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(documented).toBe(ROUTES.length);
  });

  it('declares every path parameter as required, every body as JSON with its schema, and problems for 4xx', () => {
    for (const { r, path, op } of operations) {
      const where = `${r.method} ${path}`;
      const pathParams = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
      expect(op?.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort(), where).toEqual(pathParams.sort());
      expect(op?.parameters.filter((p) => p.in === 'path').every((p) => p.required), where).toBe(true);
      if (r.body) expect(op?.requestBody?.content['application/json']?.schema, where).toMatchObject({ type: 'object' });
      else expect(op?.requestBody, where).toBeUndefined();
      expect(op?.responses['4XX'], where).toEqual({ $ref: '#/components/responses/Problem' });
      expect(op?.security, where).toEqual(r.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }]);
    }
  });

  it('gives each declared JSON answer its schema, so clients can be generated from it', () => {
    for (const { r, path, op } of operations) {
      for (const [status, res] of Object.entries(r.responses ?? {})) {
        const documented = op?.responses[status];
        if (res instanceof z.ZodType) expect(documented?.content?.['application/json']?.schema, `${r.method} ${path} ${status}`).toMatchObject({ type: expect.any(String) });
        else expect(documented, `${r.method} ${path} ${status}`).toMatchObject({ description: res.description });
      }
    }
  });

  it('gives every operation an id a client can use as a function name', () => {
    for (const { r, path, op } of operations) expect(op?.operationId, `${r.method} ${path}`).toMatch(/^(get|post|patch|put|delete|head)[A-Z][A-Za-z0-9]*$/);
    expect(doc.paths['/api/v1/incidents/{id}']?.get?.operationId).toBe('getApiV1IncidentsId');
  });

  it('lists every field of each declared body, and marks required exactly the fields a request may not leave out', () => {
    let checked = 0;
    for (const { r, path, op } of operations) {
      const shape = shapeOf(r.body);
      if (!shape) continue;
      const schema = op?.requestBody?.content['application/json']?.schema as JsonObject | undefined;
      expect(Object.keys(schema?.properties ?? {}).sort(), `${r.method} ${path}`).toEqual(Object.keys(shape).sort());
      expect([...(schema?.required ?? [])].sort(), `${r.method} ${path}`).toEqual(requiredKeys(shape));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
    const create = doc.paths['/api/v1/incidents']?.post?.requestBody?.content['application/json']?.schema as JsonObject;
    expect(create.required).toEqual(expect.arrayContaining(['id', 'occurred_start', 'latitude', 'longitude', 'event_type']));
  });

  it('lists every query parameter of each declared query schema, required exactly when a request may not leave it out', () => {
    for (const { r, path, op } of operations) {
      const shape = shapeOf(r.query);
      if (!shape) continue;
      const documented = Object.fromEntries((op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.required]));
      expect(Object.keys(documented).sort(), `${r.method} ${path}`).toEqual(Object.keys(shape).sort());
      const required = Object.entries(documented).filter(([, req]) => req).map(([name]) => name).sort();
      expect(required, `${r.method} ${path}`).toEqual(requiredKeys(shape));
    }
    const compare = doc.paths['/api/v1/aggregates/compare']?.get?.parameters;
    expect(compare?.find((p) => p.name === 'period')?.required).toBe(requiredKeys(shapeOf(ROUTES.find((r) => r.url === '/api/v1/aggregates/compare')?.query) ?? {}).includes('period'));
    expect(doc.paths['/api/v1/aggregates']?.get?.parameters.find((p) => p.name === 'group_by')).toMatchObject({ required: false });
  });

  it('describes each JSON answer with every field the server sends, required as the server guarantees them', () => {
    let checked = 0;
    for (const { r, path, op } of operations) {
      for (const [status, res] of Object.entries(r.responses ?? {})) {
        const shape = res instanceof z.ZodType ? shapeOf(res) : undefined;
        if (!shape) continue;
        const schema = op?.responses[status]?.content?.['application/json']?.schema as JsonObject | undefined;
        expect(schema?.type, `${r.method} ${path} ${status}`).toBe('object');
        expect(Object.keys(schema?.properties ?? {}).sort(), `${r.method} ${path} ${status}`).toEqual(Object.keys(shape).sort());
        const guaranteed = Object.entries(shape).filter(([, v]) => (v as unknown as { _zod: { optout?: string } })._zod.optout !== 'optional').map(([k]) => k).sort();
        expect([...(schema?.required ?? [])].sort(), `${r.method} ${path} ${status}`).toEqual(guaranteed);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    const incident = doc.paths['/api/v1/incidents/{id}']?.get?.responses['200']?.content?.['application/json']?.schema as JsonObject;
    expect(incident.required).toEqual(expect.arrayContaining(['id', 'version', 'status', 'occurred_start']));
  });

  it('documents the query parameters of the incident list from its filter schema', () => {
    const list = doc.paths['/api/v1/incidents']?.get;
    expect(list?.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['states', 'event_types', 'from', 'to', 'limit', 'cursor']));
  });
});
