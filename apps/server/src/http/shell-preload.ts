/**
 * What the shell's first answer tells the browser to fetch at once, by page: the code a page's first view needs but that
 * the shell's own tags do not name (boot.ts asks for it only once it has run, a round trip later). On a 600 ms link the
 * dashboard's charts library then downloads with the application's scripts instead of after them.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ManifestChunk { file: string; css?: string[] }

/** Each page's extra first-view modules, by the source path Vite's manifest keys them with. */
const FIRST_VIEW_MODULES: Record<string, string[]> = {
  '/': ['src/ui/charts/uplot-lib.ts'],
};

/** `Link` header values by page path, read once from the web build's manifest; empty when the build has none. */
export function shellPreloads(webRoot: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = path.join(webRoot, '.vite', 'manifest.json');
  if (!fs.existsSync(file)) return out;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
  for (const [page, modules] of Object.entries(FIRST_VIEW_MODULES)) {
    const links = modules.flatMap((m) => {
      const chunk = manifest[m];
      if (!chunk) return [];
      // A module script is fetched in CORS mode with same-origin credentials: `crossorigin` makes the preload match it.
      return [`</${chunk.file}>; rel=modulepreload; crossorigin`, ...(chunk.css ?? []).map((c) => `</${c}>; rel=preload; as=style`)];
    });
    if (links.length) out.set(page, links.join(', '));
  }
  return out;
}
