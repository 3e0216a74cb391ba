import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keys that live outside the database, so that someone holding the database file or a backup can neither forge the
 * audit chain nor read the TOTP secrets. Each purpose gets its own key, derived (HKDF-SHA-256) from one master secret.
 */
export interface ServerKeys {
  /** MAC key of the audit chain and of its signed checkpoints. */
  audit: Buffer;
  /** Encryption key of secrets stored in the database (TOTP secrets). */
  secrets: Buffer;
  /** Where the master secret came from, for operators (`env` or the key file's path). */
  origin: string;
}

const PURPOSES = { audit: 'vigie audit chain v1', secrets: 'vigie stored secrets v1' } as const;

/** Derives the per-purpose keys from a master secret (at least 32 bytes). */
export function keysFromMaster(master: Buffer, origin: string): ServerKeys {
  if (master.length < 32) throw new Error(`the master key (${origin}) must hold at least 32 bytes, it holds ${master.length}`);
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { audit: derive(PURPOSES.audit), secrets: derive(PURPOSES.secrets), origin };
}

/**
 * The server's keys: `VIGIE_SECRET_KEY` (base64, ≥ 32 bytes) when set, else the key file (`VIGIE_KEY_FILE`, default
 * `<data dir>/vigie.key`), created with a fresh random secret and mode 0600 on first use. A key file that others may
 * read is refused: the key is only worth what its permissions are.
 */
export function loadServerKeys(opts: { dataDir: string; env?: NodeJS.ProcessEnv; create?: boolean }): ServerKeys {
  const env = opts.env ?? process.env;
  if (env.VIGIE_SECRET_KEY) return keysFromMaster(Buffer.from(env.VIGIE_SECRET_KEY, 'base64'), 'VIGIE_SECRET_KEY');
  const file = path.resolve(env.VIGIE_KEY_FILE ?? path.join(opts.dataDir, 'vigie.key'));
  if (!fs.existsSync(file)) {
    if (opts.create === false) throw new Error(`no key file at ${file} (set VIGIE_SECRET_KEY or VIGIE_KEY_FILE)`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new Error(`the key file ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  return keysFromMaster(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'), file);
}

/** A master secret for tests (never for a deployment), as the value of VIGIE_SECRET_KEY for child processes. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** The keys of test and benchmark contexts; child processes get the same ones with `VIGIE_SECRET_KEY: TEST_MASTER_KEY`. */
export const testKeys = (): ServerKeys => keysFromMaster(Buffer.from(TEST_MASTER_KEY, 'base64'), 'test');
