import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WEB_DIST = path.join(ROOT, 'apps/web/dist');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the web app when its build is missing or older than its sources. */
export function ensureWebBuild(): string {
  const index = path.join(WEB_DIST, 'index.html');
  const stale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < newest(path.join(ROOT, 'apps/web/src'));
  if (stale) execFileSync('npm', ['run', 'build', '--workspace', '@vigie/web'], { cwd: ROOT, stdio: 'inherit' });
  return WEB_DIST;
}
