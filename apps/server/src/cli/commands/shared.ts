import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from '../../config.js';
import { openVigie } from '../../bootstrap.js';
import { openCommandEngine } from '../database.js';
import { writeCheckpoint } from '../../services/audit/audit-checkpoint.service.js';
import type { Ctx } from '../../services/context.js';

/**
 * Opens Vigie for one command and always closes the database afterwards. A command that moved the audit chain leaves
 * a signed checkpoint of its new head (beside the data).
 */
export async function withVigie<T>(fn: (ctx: Ctx) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  const ctx = await openCliVigie(opts);
  try {
    const result = await fn(ctx);
    await writeCheckpoint(ctx, 'cli').catch((e: Error) => console.error(`vigie: audit: ${e.message}`));
    return result;
  } finally {
    await ctx.engine.close();
  }
}

/**
 * Opens Vigie on the configured database for a command, naming it on stderr; a database that does not exist is
 * refused unless the command creates one (`create`: migrate, serve, restore).
 */
export async function openCliVigie(opts: { create?: boolean } = {}): Promise<Ctx> {
  const config = readConfig();
  return openVigie(config, await openCommandEngine(config, opts));
}

/** Reads all of stdin when it is piped (for passwords), or undefined on a terminal. */
export async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  return text.length ? text : undefined;
}

/**
 * Writes passwords meant for the operator to an owner-only file (0600) in the data folder and returns its path: printed
 * to the console they would end up in service logs (journald, docker logs), where they outlive their use.
 */
export function writeCredentialsFile(dataDir: string, lines: string[]): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'identifiants-premier-demarrage.txt');
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
