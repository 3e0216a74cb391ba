import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Engine } from '../db/engine.js';
import { upsertMemberState, upsertOrganisation } from '../repositories/reference.repository.js';
import { contentMac } from '../services/audit/backup.service.js';
import type { Ctx } from '../services/context.js';
import { loadReferenceConfig } from '../services/geography/reference.service.js';

/**
 * A member state and its organisation as rows of any schema since the first (the tests of a migration that changes
 * data write records at the schema before it, where today's reference sync would write later tables).
 */
export async function addMemberState(engine: Engine, code: string): Promise<void> {
  const s = loadReferenceConfig().states.find((x) => x.code === code);
  if (!s) throw new Error(`no member state ${code} in the reference data`);
  await engine.writeTransaction(async (trx) => {
    await upsertOrganisation(trx, { code: s.code, kind: 'state', name_fr: s.name_fr, name_en: s.name_en });
    await upsertMemberState(trx, { code: s.code, iso2: s.iso2, iso_numeric: s.iso_numeric ?? null, name_fr: s.name_fr, name_en: s.name_en, time_zone: s.time_zone, position: 1 });
  });
}

/** A backup's lines: its header, a line per row (`{ t, r }`), its end (`{ end, rows, mac }`). */
export type BackupLine = Record<string, unknown>;

/**
 * The backup `file` as the code before `migration` wrote it, written to `to`: the migration left out of its header,
 * `change` applied to its lines (taking away what the migration added), and its end signed again with the server's
 * key, as the backup of a server that had the key but not the migration.
 */
export function writeBackupBefore(ctx: Ctx, file: string, to: string, migration: string, change: (lines: BackupLine[]) => BackupLine[]): void {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as BackupLine);
  const header = lines[0] as { migrations: string[] };
  header.migrations = header.migrations.filter((m) => m !== migration);
  const old = change(lines);
  const mac = contentMac(ctx);
  for (const line of old.slice(0, -1)) mac.update(`${JSON.stringify(line)}\n`);
  (old.at(-1) as { mac: string }).mac = mac.digest('hex');
  fs.writeFileSync(to, zlib.gzipSync(old.map((l) => JSON.stringify(l)).join('\n') + '\n'));
}
