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

const LOCK = path.join(ROOT, 'apps/web/.build-lock');
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the web app when its build is missing or older than its sources. Test files run in parallel workers:
 * one builds under a lock directory while the others wait for it (a lock older than 10 minutes is stale).
 */
export function ensureWebBuild(options: { force?: boolean } = {}): string {
  const index = path.join(WEB_DIST, 'index.html');
  let force = options.force ?? false;
  const stale = () => force || !fs.existsSync(index) || fs.statSync(index).mtimeMs < newest(path.join(ROOT, 'apps/web/src'));
  const deadline = Date.now() + 10 * 60_000;
  while (stale()) {
    try {
      fs.mkdirSync(LOCK);
    } catch {
      const held = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 10 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('the web build did not finish');
      pause(500);
      continue;
    }
    try {
      // Vitest sets NODE_ENV=test; inherited, it would make Vite bundle React's development build. Tests and benches
      // measure what users get: the production build.
      if (stale()) execFileSync('npm', ['run', 'build', '--workspace', '@vigie/web'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      force = false;
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
  }
  return WEB_DIST;
}
