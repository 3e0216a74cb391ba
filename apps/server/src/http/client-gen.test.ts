import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES } from './app.js';
import { clientRoutes, domainSchemas, generateClient, TypeWriter } from './client-gen.js';
import { route } from './route.js';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/src/api');
const committedFiles = () => ['generated.ts', ...fs.readdirSync(path.join(apiDir, 'generated')).map((f) => `generated/${f}`)].sort();
const read = (name: string) => fs.readFileSync(path.join(apiDir, name), 'utf8');

describe('the web client generated from the route table', () => {
  it('is up to date: regenerate with `npm run gen:client` after changing a route', async () => {
    const fresh = generateClient(ROUTES, await domainSchemas());
    expect(committedFiles(), 'generated files added or removed: run `npm run gen:client`').toEqual(Object.keys(fresh).sort());
    const stale = Object.entries(fresh).filter(([name, text]) => read(name) !== text).map(([name]) => name);
    expect(stale, 'stale generated files: run `npm run gen:client`').toEqual([]);
  });

  it('has one function per JSON operation under /api/v1, and none for files, streams and pages', () => {
    const text = committedFiles().map(read).join('\n');
    const names = [...text.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    expect(names.length).toBe(clientRoutes(ROUTES).length);
    expect(names).toEqual(expect.arrayContaining(['getIncidentsId', 'postIncidents', 'patchIncidentsId', 'getAggregatesGrid']));
    expect(names).not.toContain('getExportsIncidents');
    const incidents = read('generated/incidents.ts');
    expect(incidents).toMatch(/export const getIncidentsId = \(input: \{ id: string \}, signal\?: AbortSignal\): Promise<GetIncidentsIdResult>/);
    expect(incidents).toContain('export type GetIncidentsIdResult = z.output<typeof incidentSchema>;');
    // Nothing but types from the domain and the web's own fetch wrapper: no server code, no schema reaches the bundle.
    for (const name of committedFiles()) expect(read(name), name).not.toMatch(/^import (?!type )(?!\{ api(, type QueryValue)? \} from '\.\.\/client';)/m);
  });

  it('names shared schemas and writes the others out, on the side that is sent or received', async () => {
    const t = new TypeWriter(await domainSchemas());
    const s = z.object({ n: z.coerce.number().default(5), tag: z.enum(['a', 'b']).optional(), at: z.string().nullable(), when: z.enum(['true', 'false']).transform((v) => v === 'true') });
    expect(t.write(s, 'input')).toBe('{ n?: unknown | undefined; tag?: "a" | "b" | undefined; at: (string) | null; when: "true" | "false" }');
    expect(t.write(s, 'output')).toBe('{ n: number; tag?: "a" | "b" | undefined; at: (string) | null; when: unknown }');
    const def = route({ method: 'GET', url: '/api/v1/things/:id', summary: 'x', tags: [], auth: 'user', params: z.object({ id: z.uuid() }), responses: { 200: s }, handler: async () => ({ at: null, when: 'true' as const }) });
    const out = generateClient([def], new Map());
    expect(Object.keys(out).sort()).toEqual(['generated.ts', 'generated/misc.ts']);
    expect(out['generated/misc.ts']).toContain("api<GetThingsIdResult>('GET', `things/${encodeURIComponent(String(input.id))}`, { signal })");
  });
});
