import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script (also run by CI as `npm run check:engines`), without type declarations
import { engineConflicts } from '../../../scripts/check-engines.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, any>;
const WORKSPACES: string[] = readJson('package.json').workspaces;

/** Every file under dir (recursively) whose name ends with one of the extensions. */
function files(dir: string, exts: string[]): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The packages a source file imports (static, dynamic, side-effect and re-exports), by package name. */
export function importedPackages(source: string): string[] {
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
  return specs
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
}

describe('package manifests', () => {
  it('install without EBADENGINE on the Node.js versions the project states (package-lock.json vs engines.node)', () => {
    const lock = readJson('package-lock.json');
    expect(lock.packages[''].engines.node).toBe(readJson('package.json').engines.node);
    expect(engineConflicts(lock)).toEqual([]);
    // The check does catch a package that wants a newer Node.js than the project states.
    const wanting22 = structuredClone(lock);
    wanting22.packages['node_modules/cookie'] = { version: '2.0.2', engines: { node: '>=22' } };
    expect(engineConflicts(wanting22)).toEqual([expect.objectContaining({ name: 'cookie', node: '>=22' })]);
  });

  it.each(WORKSPACES)('%s declares every package its code imports', (workspace) => {
    const manifest = readJson(`${workspace}/package.json`);
    const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })]);
    const missing = new Set<string>();
    for (const file of files(path.join(ROOT, workspace, 'src'), ['.ts', '.tsx'])) {
      // Tests and their helpers may use the root's shared dev tools (vitest, fast-check, playwright-core).
      if (/\.test\.tsx?$|test-support/.test(file)) continue;
      for (const pkg of importedPackages(fs.readFileSync(file, 'utf8'))) {
        const types = `@types/${pkg.replace(/^@([^/]+)\//, '$1__')}`;
        if (!declared.has(pkg) && !declared.has(types)) missing.add(`${pkg} (${path.relative(ROOT, file)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it.each(WORKSPACES)('%s exports only files that exist', (workspace) => {
    const manifest = readJson(`${workspace}/package.json`);
    const targets = (value: unknown): string[] => (typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap(targets));
    for (const target of targets(manifest.exports).filter((t) => !t.includes('*'))) {
      // Compiled targets (dist/) exist after `npm run build`; their sources must exist now.
      const source = target.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$|\.js$/, '.ts');
      expect(fs.existsSync(path.join(ROOT, workspace, target)) || fs.existsSync(path.join(ROOT, workspace, source)), `${workspace}: ${target}`).toBe(true);
    }
    for (const bin of targets(manifest.bin)) expect(fs.existsSync(path.join(ROOT, workspace, bin)), bin).toBe(true);
  });
});
