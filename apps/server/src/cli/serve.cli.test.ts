import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../lib/server-keys.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../test-support/engines.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');

/** Runs `vigie serve --demo-if-empty` until it has printed its first-start lines; returns what it printed, then stops it. */
async function firstStart(env: Record<string, string>): Promise<{ stdout: string; base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, 'serve', '--demo-if-empty', '--demo-count', '40'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', VIGIE_LOG: '0', VIGIE_SECRET_KEY: TEST_MASTER_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/incidents fictifs chargés/.test(stdout)) resolve();
    });
    void exited.then(() => reject(new Error(`serve stopped early:\n${stdout}\n${stderr}`)));
  });
  const base = /http:\/\/localhost:(\d+)\//.exec(stdout) ?? /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
  return {
    stdout: stdout + stderr,
    base: `http://127.0.0.1:${base?.[1]}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe.each(ENGINES)('first start on %s', (kind) => {
  let db: TestDatabase;
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-first-')), 'data');
  beforeAll(async () => {
    db = await freshDatabase(kind);
    if (kind === 'sqlite') await db.engine.close(); // the server opens its own file in dataDir
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  // A child process that migrates, seeds and starts: slow on a loaded machine, hence the long timeout.
  it('prints no password: they are in an owner-only file, and the administrator’s is one-time', { timeout: 240_000 }, async () => {
    const server = await firstStart({ VIGIE_DATA_DIR: dataDir, ...(kind === 'postgres' ? { VIGIE_DATABASE_URL: db.url } : {}) });
    try {
      const file = path.join(dataDir, 'identifiants-premier-demarrage.txt');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      const text = fs.readFileSync(file, 'utf8');
      const adminPassword = /admin \/ (\S+)/.exec(text)?.[1] ?? '';
      const demoPassword = /\) : (\S+)$/m.exec(text)?.[1] ?? '';
      expect(adminPassword).toHaveLength(20);
      expect(demoPassword).toHaveLength(20);
      expect(server.stdout).not.toContain(adminPassword);
      expect(server.stdout).not.toContain(demoPassword);
      expect(server.stdout).toContain(file);
      if (kind === 'sqlite') expect(fs.statSync(path.join(dataDir, 'vigie.sqlite')).mode & 0o777).toBe(0o600);

      const res = await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: adminPassword }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { password_change_required: boolean }).password_change_required).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
