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

  it('documents the query parameters of the incident list from its filter schema', () => {
    const list = doc.paths['/api/v1/incidents']?.get;
    expect(list?.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['states', 'event_types', 'from', 'to', 'limit', 'cursor']));
  });
});
