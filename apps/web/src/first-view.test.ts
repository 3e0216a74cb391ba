/**
 * Guards the first view's weight (≤ 250 KB gzip of JS on a 256 kbit/s link): walks the static imports from
 * main.tsx — what the browser must load before the dashboard shows — and fails when a heavy library gets in.
 * Pages are reached through `lazy(() => import(…))`, which this walk rightly does not follow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const DOMAIN = path.resolve(SRC, '../../../packages/domain/src');
/** Libraries that must load only with the pages that need them. */
const HEAVY = ['zod', '@vigie/domain', 'maplibre-gl', 'world-atlas', 'topojson-client', 'axe-core'];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function resolveFile(from: string, spec: string): string | null {
  const base = spec.startsWith('@vigie/domain/') ? path.join(DOMAIN, spec.slice('@vigie/domain/'.length)) : path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.js$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts')]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

/** Every module and bare package the entry reaches through static, non-type imports. */
function staticClosure(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const typeOnly = !!m[1] || (m[2] !== undefined && /^\{[^}]*\}$/.test(m[2].trim()) && m[2].replace(/[{}\s]/g, '').split(',').filter(Boolean).every((s) => s.startsWith('type')));
      const spec = m[3] ?? m[4];
      if (!spec || typeOnly || spec.endsWith('.css')) continue;
      if (spec.startsWith('.') || spec.startsWith('@vigie/domain/')) {
        const next = resolveFile(file, spec);
        if (next) todo.push(next);
      } else packages.set(spec, path.relative(SRC, file));
    }
  }
  return { files, packages };
}

describe('first view', () => {
  const { files, packages } = staticClosure(path.join(SRC, 'main.tsx'));

  it('reaches the dashboard statically and nothing heavy with it', () => {
    expect([...files].some((f) => f.endsWith('DashboardPage.tsx'))).toBe(true);
    const heavy = [...packages].filter(([p]) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`))).map(([p, by]) => `${p} (imported by ${by})`);
    expect(heavy).toEqual([]);
  });

  it('does not bundle the incident form, the map page or any other page eagerly', () => {
    const eager = [...files].map((f) => path.relative(SRC, f)).filter((f) => /(FormPage|MapView|MapPage|LocationPicker|ListPage|DetailPage|UsersPage|ReviewPage)\.tsx$/.test(f));
    expect(eager).toEqual([]);
  });
});
