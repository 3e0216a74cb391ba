import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES } from './app.js';
import { clientRoutes, domainSchemas, generateClient, TypeWriter } from './client-gen.js';
import { route } from './route.js';

const committed = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/src/api/generated.ts');

describe('the web client generated from the route table', () => {
  it('is up to date: regenerate with `npm run gen:client` after changing a route', async () => {
    const fresh = generateClient(ROUTES, await domainSchemas());
    expect(fs.readFileSync(committed, 'utf8') === fresh, 'apps/web/src/api/generated.ts is stale: run `npm run gen:client`').toBe(true);
  });

  it('has one function per JSON operation under /api/v1, and none for files, streams and pages', () => {
    const text = fs.readFileSync(committed, 'utf8');
    const names = [...text.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    expect(names.length).toBe(clientRoutes(ROUTES).length);
    expect(names).toEqual(expect.arrayContaining(['getIncidentsId', 'postIncidents', 'patchIncidentsId', 'getAggregatesGrid']));
    expect(names).not.toContain('getExportsIncidents');
    expect(text).toMatch(/export const getIncidentsId = \(input: \{ id: string \}, signal\?: AbortSignal\): Promise<GetIncidentsIdResult>/);
    expect(text).toContain('export type GetIncidentsIdResult = z.output<typeof incidentSchema>;');
    expect(text).toContain("import type { ");
    expect(text).not.toMatch(/^import (?!type )(?!\{ api \} from '\.\/client\.js')/m);
  });

  it('names shared schemas and writes the others out, on the side that is sent or received', async () => {
    const t = new TypeWriter(await domainSchemas());
    const s = z.object({ n: z.coerce.number().default(5), tag: z.enum(['a', 'b']).optional(), at: z.string().nullable(), when: z.enum(['true', 'false']).transform((v) => v === 'true') });
    expect(t.write(s, 'input')).toBe('{ n?: unknown | undefined; tag?: "a" | "b" | undefined; at: (string) | null; when: "true" | "false" }');
    expect(t.write(s, 'output')).toBe('{ n: number; tag?: "a" | "b" | undefined; at: (string) | null; when: unknown }');
    const def = route({ method: 'GET', url: '/api/v1/things/:id', summary: 'x', tags: [], auth: 'user', params: z.object({ id: z.uuid() }), responses: { 200: s }, handler: async () => ({}) });
    const out = generateClient([def], new Map());
    expect(out).toContain("api<GetThingsIdResult>('GET', `things/${encodeURIComponent(String(input.id))}`, { signal })");
  });
});
