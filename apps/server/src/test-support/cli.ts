import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_MASTER_KEY } from '../lib/server-keys.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');

/**
 * The environment of a `vigie` child process on the test database at `url`: the test keys (so the chain it writes
 * verifies in-process and back), and a data directory of its own for that database (its audit checkpoints), never
 * the repository's ./data.
 */
export function cliEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dataDir = path.join(os.tmpdir(), `vigie-cli-${crypto.createHash('sha256').update(url).digest('hex').slice(0, 16)}`);
  return { ...process.env, VIGIE_DATABASE_URL: url, NODE_OPTIONS: '', VIGIE_SECRET_KEY: TEST_MASTER_KEY, VIGIE_DATA_DIR: dataDir, ...extra };
}

/** Runs `vigie …` as a user would, against the database at `url`. */
export async function runVigie(url: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: cliEnv(url, opts.env) });
  child.child.stdin?.end(opts.stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
