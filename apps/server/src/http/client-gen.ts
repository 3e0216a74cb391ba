/**
 * Writes the web app's API client (apps/web/src/api/generated.ts) from the route table: one typed function per JSON
 * operation under /api/v1. Types come from the route's own Zod schemas: a schema exported by @vigie/domain is named
 * (`z.output<typeof incidentSchema>`, a type-only import, nothing reaches the bundle); any other is written out as a
 * TypeScript type. Run `npm run gen:client`; client-gen.test.ts fails when the committed file is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { operationId } from './openapi.js';
import type { RouteDef } from './route.js';

type Io = 'input' | 'output';
/** Where a shared schema lives: its export name and its @vigie/domain module. */
export type DomainSchemas = Map<z.ZodType, { name: string; module: string }>;

const DOMAIN_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packages/domain/src');

/** Every Zod schema exported by a module of @vigie/domain, by identity (the route tables use the same objects). */
export async function domainSchemas(): Promise<DomainSchemas> {
  const out: DomainSchemas = new Map();
  const files = fs.readdirSync(DOMAIN_SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts').sort();
  for (const file of files) {
    const module = `@vigie/domain/${file.replace(/\.ts$/, '')}`;
    const exports = (await import(module)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
      if (value instanceof z.ZodType && !out.has(value)) out.set(value, { name, module });
    }
  }
  return out;
}

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
/** Whether an object key may be left out: on input, when leaving it out parses (optional, defaulted); on output, when optional. */
const optionalKey = (s: z.ZodType, io: Io): boolean =>
  io === 'input' ? s.safeParse(undefined).success : (s as unknown as { _zod: { optout?: string } })._zod.optout === 'optional';
const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));

/** A Zod schema as a TypeScript type, for one side (what is sent, or what comes back). */
export class TypeWriter {
  readonly imports = new Map<string, Set<string>>();
  constructor(private readonly domain: DomainSchemas) {}

  write(s: z.ZodType, io: Io, depth = 0): string {
    const shared = this.domain.get(s);
    if (shared) {
      (this.imports.get(shared.module) ?? this.imports.set(shared.module, new Set()).get(shared.module)!).add(shared.name);
      return `z.${io}<typeof ${shared.name}>`;
    }
    if (depth > 30) return 'unknown';
    const d = defOf(s);
    const w = (x: unknown) => this.write(x as z.ZodType, io, depth + 1);
    switch (d.type) {
      case 'string': return d.coerce && io === 'input' ? 'unknown' : 'string';
      case 'number': case 'int': return d.coerce && io === 'input' ? 'unknown' : 'number';
      case 'boolean': return d.coerce && io === 'input' ? 'unknown' : 'boolean';
      case 'bigint': return 'bigint';
      case 'date': return 'Date';
      case 'null': return 'null';
      case 'undefined': case 'void': return 'undefined';
      case 'never': return 'never';
      case 'any': case 'unknown': case 'custom': case 'transform': case 'file': return 'unknown';
      case 'literal': return (d.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
      case 'enum': return Object.values(d.entries as Record<string, string | number>).map((v) => JSON.stringify(v)).join(' | ');
      case 'template_literal': return 'string';
      case 'array': return `Array<${w(d.element)}>`;
      case 'set': return `Set<${w(d.valueType)}>`;
      case 'tuple': return `[${(d.items as z.ZodType[]).map(w).join(', ')}${d.rest ? `, ...Array<${w(d.rest)}>` : ''}]`;
      case 'union': return `(${(d.options as z.ZodType[]).map(w).join(' | ')})`;
      case 'intersection': return `(${w(d.left)} & ${w(d.right)})`;
      case 'record': return `Record<${w(d.keyType)}, ${w(d.valueType)}>`;
      case 'map': return `Map<${w(d.keyType)}, ${w(d.valueType)}>`;
      case 'optional': return `${w(d.innerType)} | undefined`;
      case 'nullable': return `(${w(d.innerType)}) | null`;
      case 'default': case 'prefault': return io === 'input' ? `${w(d.innerType)} | undefined` : w(d.innerType);
      case 'catch': case 'readonly': case 'nonoptional': case 'success': return w(d.innerType);
      case 'pipe': return io === 'input' ? w(d.in) : w(d.out);
      case 'lazy': return w((d.getter as () => z.ZodType)());
      case 'promise': return w(d.innerType);
      case 'object': {
        const shape = d.shape as Record<string, z.ZodType>;
        const fields = Object.entries(shape).map(([k, v]) => `${key(k)}${optionalKey(v, io) ? '?' : ''}: ${w(v)}`);
        const rest = d.catchall && defOf(d.catchall as z.ZodType).type !== 'never' ? [`[k: string]: unknown`] : [];
        return `{ ${[...fields, ...rest].join('; ')} }`;
      }
      default: return 'unknown';
    }
  }
}

/** The name of an operation: its OpenAPI operationId, less the /api/v1 prefix every one shares. */
const clientName = (r: RouteDef) => operationId(r.method, r.url.replace(/^\/api\/v1/, ''));

/** Routes the web client calls: JSON under /api/v1 (files, tiles, streams and pages are opened by address instead). */
export function clientRoutes(routes: RouteDef[]): RouteDef[] {
  return routes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD'
    && !Object.entries(r.responses ?? {}).some(([status, res]) => Number(status) < 300 && !(res instanceof z.ZodType) && res.contentType));
}

function operation(r: RouteDef, t: TypeWriter): string {
  const name = clientName(r);
  const pathParams = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const members: string[] = [];
  let optionalInput = true;
  if (pathParams.length) {
    const shape = r.params ? (defOf(r.params).shape as Record<string, z.ZodType> | undefined) : undefined;
    for (const p of pathParams) members.push(`${key(p)}: ${shape?.[p] ? t.write(shape[p], 'input') : 'string'}`);
    optionalInput = false;
  }
  if (r.query) {
    const shape = (defOf(r.query).shape ?? {}) as Record<string, z.ZodType>;
    const keys = Object.entries(shape).map(([k, v]) => { const opt = optionalKey(v, 'input'); if (!opt) optionalInput = false; return `${key(k)}${opt ? '?' : ''}: QueryValue`; });
    const required = Object.values(shape).some((v) => !optionalKey(v, 'input'));
    members.push(`query${required ? '' : '?'}: { ${keys.join('; ')} }`);
  }
  const pascal = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const bodyType = r.body ? `export type ${pascal}Body = ${t.write(r.body, 'input')};\n` : '';
  if (r.body) {
    members.push(`body: ${pascal}Body`);
    optionalInput = false;
  }
  const ok = Object.entries(r.responses ?? {}).filter(([s]) => Number(s) < 300);
  const outs = [...new Set(ok.map(([, res]) => (res instanceof z.ZodType ? t.write(res, 'output') : 'void')))];
  const result = `${pascal}Result`;
  const url = r.url.replace(/^\/api\/v1\//, '').replace(/:(\w+)/g, (_m, p: string) => `\${encodeURIComponent(String(input.${p}))}`);
  const input = members.length ? `{ ${members.join('; ')} }` : 'Record<string, never>';
  const options = [...(r.query ? ['query: input.query'] : []), ...(r.body ? ['body: input.body'] : []), 'signal'];
  const doc = `/** ${r.method} ${r.url}: ${r.summary.replace(/\*\//g, '*\\/')} */`;
  return `${doc}\n${bodyType}export type ${result} = ${outs.length ? outs.join(' | ') : 'unknown'};\nexport const ${name} = (input: ${input}${optionalInput ? ' = {}' : ''}, signal?: AbortSignal): Promise<${result}> =>\n  api<${result}>('${r.method}', \`${url}\`, { ${options.join(', ')} });\n`;
}

const HEADER = [
  '// GENERATED by `npm run gen:client` (apps/server/src/http/client-gen.ts) from the server route table. Do not edit.',
  "// One function per JSON operation under /api/v1; types come from the routes' own Zod schemas.",
];

/**
 * The generated files, by path under apps/web/src/api: one module per tag (generated/<tag>.ts), so that a page's chunk
 * carries only its own capability's calls, and generated.ts re-exporting them all.
 */
export function generateClient(routes: RouteDef[], domain: DomainSchemas): Record<string, string> {
  const ops = clientRoutes(routes);
  const names = ops.map(clientName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`two operations are named ${dup}`);
  const byTag = new Map<string, RouteDef[]>();
  for (const r of ops) {
    const tag = (r.tags[0] ?? 'misc').replace(/[^a-z0-9-]/gi, '-').toLowerCase();
    (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(r);
  }
  const files: Record<string, string> = {};
  const tags = [...byTag.keys()].sort();
  for (const tag of tags) {
    const t = new TypeWriter(domain);
    const body = byTag.get(tag)!.sort((a, b) => clientName(a).localeCompare(clientName(b))).map((r) => operation(r, t));
    const imports = [...t.imports.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([m, names]) => `import type { ${[...names].sort().join(', ')} } from '${m}';`);
    const text = body.join('\n');
    files[`generated/${tag}.ts`] = [
      ...HEADER,
      ...(text.includes('z.input<') || text.includes('z.output<') ? ["import type { z } from 'zod';"] : []),
      ...imports,
      `import { api${text.includes('QueryValue') ? ', type QueryValue' : ''} } from '../client';`,
      '',
      text,
    ].join('\n');
  }
  files['generated.ts'] = [...HEADER, ...tags.map((tag) => `export * from './generated/${tag}';`), ''].join('\n');
  return files;
}
