/**
 * Guards the first view: what the browser must load before the dashboard shows is the entry chunk of Vite's build
 * and the chunks it imports statically (Vite's manifest); which source modules those chunks hold comes from the
 * build's `.vite/modules.json` (apps/web/vite.config.ts). Pages reached through `lazy(() => import(…))` are dynamic
 * entries and must stay out of it, and so must the heavy libraries only some pages need.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from './support/web-build.js';

interface ManifestChunk { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[] }

/** Libraries that must load only with the pages that need them. */
const HEAVY = ['zod', 'uplot', 'maplibre-gl', 'world-atlas', 'topojson-client', 'axe-core', 'react-dom'];
/** Pages that load on demand. */
const LAZY_PAGES = /(FormPage|MapView|MapPage|LocationPicker|ListPage|DetailPage|UsersPage|ReviewPage)\.tsx$/;
/**
 * What the browser downloads before the dashboard's charts show: the entry, its static imports and the charts library
 * that main.tsx fetches beside them, brotli-compressed as the server sends them (the 100 KB on the wire;
 * bench/web-throttled.bench.ts measures what Chromium actually transfers).
 */
const FIRST_VIEW_BROTLI_BUDGET = 100 * 1000;

let dist: string;
let manifest: Record<string, ManifestChunk>;
let modules: Record<string, string[]>;

/** The entries (the page and its boot script) and every chunk they import statically, transitively. */
function firstView(): ManifestChunk[] {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry).map(([key]) => key);
  if (!entries.length) throw new Error('the manifest has no entry');
  const seen = new Map<string, ManifestChunk>();
  const todo = [...entries];
  while (todo.length) {
    const key = todo.pop() as string;
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) continue;
    seen.set(key, chunk);
    todo.push(...(chunk.imports ?? []));
  }
  return [...seen.values()];
}

describe('first view', () => {
  beforeAll(() => {
    dist = ensureWebBuild();
    if (!fs.existsSync(path.join(dist, '.vite/modules.json'))) dist = ensureWebBuild({ force: true });
    manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    modules = JSON.parse(fs.readFileSync(path.join(dist, '.vite/modules.json'), 'utf8')) as Record<string, string[]>;
  }, 600_000);

  const loaded = () => firstView().flatMap((c) => modules[c.file] ?? []);

  it('holds the dashboard and nothing heavy', () => {
    expect(loaded().some((m) => m.endsWith('features/dashboard/DashboardPage.tsx'))).toBe(true);
    const heavy = loaded().filter((m) => HEAVY.some((h) => m.includes(`/node_modules/${h}/`)));
    expect(heavy).toEqual([]);
  });

  it('carries French only: the English catalogue loads when a reader chooses English', () => {
    expect(loaded().filter((m) => m.endsWith('/i18n/en.ts'))).toEqual([]);
    expect(Object.values(manifest).some((c) => c.isDynamicEntry && c.src?.endsWith('i18n/en.ts'))).toBe(true);
  });

  it('carries only the strings the shell shows: a feature’s page strings (messages.ts) come with its pages', () => {
    expect(loaded().filter((m) => /\/features\/.*messages\.ts$/.test(m) && !/shell-messages\.ts$/.test(m))).toEqual([]);
    expect(loaded().some((m) => m.endsWith('/features/alerts/shell-messages.ts'))).toBe(true);
  });

  it('loads the incident form, the map page and the other pages on demand only', () => {
    expect(loaded().filter((m) => LAZY_PAGES.test(m))).toEqual([]);
    const lazy = Object.values(manifest).filter((c) => c.isDynamicEntry && c.src && LAZY_PAGES.test(c.src));
    expect(lazy.length).toBeGreaterThanOrEqual(5);
  });

  it('runs on Preact’s React layer, not React itself', () => {
    expect(loaded().some((m) => m.includes('/node_modules/preact/compat/'))).toBe(true);
    expect(loaded().filter((m) => /\/node_modules\/react(-dom)?\//.test(m))).toEqual([]);
  });

  it('stays within 100 KB of brotli with the charts library', () => {
    const charts = Object.values(manifest).filter((c) => c.isDynamicEntry && c.src?.endsWith('ui/charts/uplot-lib.ts'));
    expect(charts).toHaveLength(1);
    const brotli = (c: ManifestChunk) => zlib.brotliCompressSync(fs.readFileSync(path.join(dist, c.file))).length;
    const bytes = [...firstView(), ...charts].reduce((n, c) => n + brotli(c), 0);
    expect(bytes).toBeLessThanOrEqual(FIRST_VIEW_BROTLI_BUDGET);
  });
});
