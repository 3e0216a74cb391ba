import { StringDecoder } from 'node:string_decoder';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { compose, Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { fillVersionVisibility, VERSION_VISIBILITY_MIGRATION } from '../../db/migrations/20261201T1400-version-visibility.js';
import { fillSourceNames, SOURCE_NAMES_MIGRATION } from '../../db/migrations/20261212T0900-incidents-source-names.js';
import { DATA_TABLES, type TableSpec } from '../../db/tables.js';
import { appliedMigrations, clearTables, countRows, insertRows, setDeferredColumns, tableRows, type Row } from '../../repositories/backup.repository.js';
import { BackupDecryptError, decryptStream, encryptStream, isEncryptedBackup } from '../../lib/backup-cipher.js';
import { Problem } from '../../lib/problem.js';
import { auditHead, recordAudit, verifyAuditChain } from './audit.service.js';
import { checkpointValid, signCheckpoint, writeCheckpoint, type Checkpoint } from './audit-checkpoint.service.js';
import type { Ctx } from '../context.js';
import { SYSTEM } from '../principal.js';

const FORMAT = 'vigie-backup';

export interface BackupHeader {
  format: typeof FORMAT;
  version: 1;
  created_at: string;
  engine: string;
  migrations: string[];
  tables: Record<string, number>;
  /** The audit chain's head in the snapshot, signed with the audit key: restore checks the restored chain against it. */
  audit_checkpoint?: Checkpoint | null;
}

/**
 * A backup's lines are MACed with the audit key (HMAC-SHA-256 over every line before the last, which carries it), so
 * that a backup whose content was edited, narrative or audit entry, is refused by restore.
 */
/** The MAC over a backup's lines (header and rows), keyed with the server's audit key; its digest ends the file. */
export const contentMac = (ctx: Ctx) => crypto.createHmac('sha256', ctx.keys.audit).update('vigie backup content\n');

/** The lines of a backup file, decrypted (with the passphrase) when it is encrypted; errors surface to the reader. */
async function* backupLines(file: string, passphrase?: string): AsyncGenerator<string> {
  const encrypted = isEncryptedBackup(file);
  if (encrypted && !passphrase) {
    throw new Problem('validation_failed', `${file} is encrypted: give its passphrase`, [{ field: 'passphrase', message: 'sauvegarde chiffrée : phrase de passe requise (sur l’entrée standard)' }]);
  }
  const source = fs.createReadStream(file);
  const decrypt = encrypted ? decryptStream(passphrase!) : null;
  const gunzip = zlib.createGunzip();
  const stream: Duplex = decrypt ? compose(source, decrypt, gunzip) : compose(source, gunzip);
  const parts = [source, decrypt, gunzip].filter((p) => p !== null);
  // Leaving the loop early (a refused backup) aborts every part after the loop stopped listening: without these
  // listeners that expected abort is an uncaught exception that ends the process. Read errors still reach the loop.
  for (const part of [...parts, stream]) part.on('error', () => undefined);
  let rest = '';
  // A character of several bytes may straddle two chunks: the decoder keeps its first bytes for the next one.
  const utf8 = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      const lines = (rest + utf8.write(chunk as Buffer)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) yield line;
    }
  } catch (e) {
    if (e instanceof BackupDecryptError) {
      throw new Problem('validation_failed', `${file}: ${e.message}; nothing was restored`, [{ field: 'passphrase', message: 'phrase de passe incorrecte ou sauvegarde altérée' }]);
    }
    throw e;
  } finally {
    stream.destroy();
  }
  if (rest) yield rest;
}

/**
 * Writes a consistent online backup: one snapshot of every data table, as gzip-compressed JSON lines with a
 * header of row counts. The same file restores into SQLite or PostgreSQL. With a passphrase the file is encrypted
 * (scrypt + AES-256-GCM in authenticated chunks). The file is created readable by its owner only (0600).
 */
export async function backupTo(
  ctx: Ctx, file: string, onProgress?: (done: number, total: number) => void, options: { passphrase?: string } = {},
): Promise<BackupHeader> {
  const tmp = `${file}.partial`;
  const header = await ctx.engine.snapshot(async (trx) => {
    const tables: Record<string, number> = {};
    for (const t of DATA_TABLES) {
      tables[t.name] = await countRows(trx, t.name);
    }
    const migrations = await appliedMigrations(trx);
    const chainHead = await auditHead(trx);
    const audit_checkpoint = chainHead ? signCheckpoint(ctx.keys.audit, chainHead, 'backup') : null;
    const head: BackupHeader = { format: FORMAT, version: 1, created_at: new Date().toISOString(), engine: ctx.engine.kind, migrations, tables, audit_checkpoint };
    const mac = contentMac(ctx);
    const line = (text: string) => {
      mac.update(text);
      return text;
    };
    const total = Object.values(tables).reduce((a, b) => a + b, 0);
    let done = 0;
    async function* lines() {
      yield line(`${JSON.stringify(head)}\n`);
      for (const t of DATA_TABLES) {
        for await (const r of tableRows(trx, t)) {
          yield line(`${JSON.stringify({ t: t.name, r })}\n`);
          if (++done % 5000 === 0) onProgress?.(done, total);
        }
      }
      yield `${JSON.stringify({ end: true, rows: done, mac: mac.digest('hex') })}\n`;
    }
    const out = fs.createWriteStream(tmp, { mode: 0o600 });
    if (options.passphrase) await pipeline(Readable.from(lines()), zlib.createGzip(), encryptStream(options.passphrase), out);
    else await pipeline(Readable.from(lines()), zlib.createGzip(), out);
    // The mode above applies to a new file only: a leftover .partial keeps its own, so set it.
    fs.chmodSync(tmp, 0o600);
    onProgress?.(done, total);
    return head;
  });
  // Only a complete file takes the final name.
  fs.renameSync(tmp, file);
  return header;
}

async function readHeader(file: string, passphrase?: string): Promise<BackupHeader> {
  const lines = backupLines(file, passphrase);
  try {
    for await (const line of lines) {
      const h = JSON.parse(line) as BackupHeader;
      if (h.format !== FORMAT) throw new Error('not a Vigie backup');
      return h;
    }
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw new Problem('validation_failed', `${file}: ${(e as Error).message}`, [{ field: 'file', message: "ce fichier n'est pas une sauvegarde Vigie" }]);
  } finally {
    await lines.return(undefined);
  }
  throw new Problem('validation_failed', `${file}: empty`, [{ field: 'file', message: 'fichier vide' }]);
}

/** A file's row from a backup written before 20261203T0300-attachment-contents: its base64 bytes go to their own table. */
function legacyAttachment(row: Row, contents: Row[]): Row {
  const { content, ...rest } = row;
  contents.push({ attachment_id: row.id, content: Buffer.from(content as string, 'base64') });
  return rest;
}

/**
 * Restores a backup into this database in one transaction: all or nothing. The database must hold no incident
 * and no user besides the reference data, unless `force` is set, which replaces everything.
 */
export async function restoreFrom(
  ctx: Ctx, file: string, options: { force?: boolean; passphrase?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<BackupHeader> {
  const header = await readHeader(file, options.passphrase);
  const unsigned = () => new Problem('validation_failed', `${file}: not signed with this server's audit key: restore refused, nothing changed`, [{ field: 'file', message: 'sauvegarde non signée par la clé de ce serveur, ou modifiée' }]);
  const checkpoint = header.audit_checkpoint ?? null;
  if (checkpoint ? !checkpointValid(ctx.keys.audit, checkpoint) : (header.tables.audit_events ?? 0) > 0) throw unsigned();
  const mac = contentMac(ctx);
  const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
  await ctx.engine.writeTransaction(async (trx) => {
    const users = await countRows(trx, 'users');
    const incidents = await countRows(trx, 'incidents');
    if ((users || incidents) && !options.force) {
      throw new Problem('conflict', `the database is not empty (${users} users, ${incidents} incidents); use --force to replace it`);
    }
    await clearTables(trx, DATA_TABLES);
    const specs = new Map(DATA_TABLES.map((t) => [t.name, t]));
    const deferredUpdates: { spec: TableSpec; row: Row }[] = [];
    let batch: { table: string; rows: Row[] } = { table: '', rows: [] };
    const flush = async () => {
      if (!batch.rows.length) return;
      await insertRows(trx, batch.table, batch.rows);
      batch = { table: '', rows: [] };
    };
    let done = 0;
    let ended = false;
    let first = true;
    const legacyContents: Row[] = [];
    for await (const line of backupLines(file, options.passphrase)) {
      if (first) {
        first = false;
        mac.update(`${line}\n`);
        continue;
      }
      const rec = JSON.parse(line) as { t?: string; r?: Row; end?: boolean; rows?: number; mac?: string };
      if (rec.end) {
        ended = rec.rows === total;
        if (rec.mac !== mac.digest('hex')) throw unsigned();
        break;
      }
      mac.update(`${line}\n`);
      const spec = rec.t ? specs.get(rec.t) : undefined;
      if (!spec || !rec.r) throw new Problem('validation_failed', `unknown table ${rec.t} in backup`);
      let row = rec.r;
      if (spec.name === 'incident_attachments' && typeof row.content === 'string') row = legacyAttachment(row, legacyContents);
      if (spec.deferred?.some((c) => row[c] !== null && row[c] !== undefined)) {
        deferredUpdates.push({ spec, row });
        row = { ...row, ...Object.fromEntries(spec.deferred.map((c) => [c, null])) };
      }
      for (const c of spec.binary ?? []) if (typeof row[c] === 'string') row = { ...row, [c]: Buffer.from(row[c] as string, 'base64') };
      if (batch.table !== spec.name || batch.rows.length >= (spec.page ?? 200)) await flush();
      batch.table = spec.name;
      batch.rows.push(row);
      if (++done % 5000 === 0) options.onProgress?.(done, total);
    }
    await flush();
    for (let i = 0; i < legacyContents.length; i += 20) await insertRows(trx, 'attachment_contents', legacyContents.slice(i, i + 20));
    if (!ended) throw new Problem('validation_failed', `${file} is truncated: restore cancelled, nothing changed`, [{ field: 'file', message: 'sauvegarde incomplète' }]);
    for (const { spec, row } of deferredUpdates) await setDeferredColumns(trx, spec, row);
    // A backup older than the per-version visibility columns: fill them from the snapshots, as the migration did.
    if (!header.migrations.includes(VERSION_VISIBILITY_MIGRATION)) await fillVersionVisibility(trx, ctx.engine.kind);
    // One older than the stored sources' names: fill them from the sources, as the migration did (the exports read them).
    if (!header.migrations.includes(SOURCE_NAMES_MIGRATION)) await fillSourceNames(trx, ctx.engine.kind);
    await ctx.engine.afterRestore(trx);
    // The restored chain must verify with this server's key and end at the backup's signed head.
    const chain = await verifyAuditChain(ctx.engine, undefined, undefined, trx);
    if (!chain.ok || (checkpoint && (chain.head?.seq !== checkpoint.seq || chain.head.hash !== checkpoint.hash))) {
      throw new Problem('validation_failed', `${file}: the audit chain in the backup does not verify (${chain.firstBad ? `entry ${chain.firstBad.seq}, ${chain.firstBad.problem}` : 'head differs from the signed checkpoint'}): restore refused, nothing changed`, [{ field: 'file', message: "journal d'audit de la sauvegarde altéré" }]);
    }
    await recordAudit(ctx.engine, trx, SYSTEM, { action: 'system.restore', details: { file, created_at: header.created_at, rows: done } });
    options.onProgress?.(done, total);
  });
  ctx.gazetteer.invalidate();
  // The restored chain is the new reference: later checkpoints extend it.
  await writeCheckpoint(ctx, 'restore');
  return header;
}
