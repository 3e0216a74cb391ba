import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { EXPORT_FORMATS, exportQuerySchema, parseInput } from '@vigie/domain';
import { findUserByLogin } from '../../repositories/user.repository.js';
import { principalOf, resolveApiToken } from '../../services/accounts/auth.service.js';
import type { Ctx } from '../../services/context.js';
import { exportIncidents } from '../../services/exchange/export.service.js';
import type { Principal } from '../../services/principal.js';
import { withVigie } from './shared.js';

/**
 * Who the export is for: a named user (`--as`, the operator acting on the server for that user) or the user of an API
 * token (VIGIE_TOKEN). Never the unrestricted operator: an export is always someone's view, and is audited as theirs.
 */
async function actingUser(ctx: Ctx, as: string | undefined): Promise<Principal> {
  const token = process.env.VIGIE_TOKEN;
  if (as) {
    const row = await findUserByLogin(ctx.engine.db, as);
    if (!row) throw new Error(`--as : aucun compte « ${as} »`);
    if (row.disabled === 1) throw new Error(`--as : le compte « ${as} » est désactivé`);
    return principalOf(row);
  }
  if (token) {
    const p = await resolveApiToken(ctx, token);
    if (!p) throw new Error('VIGIE_TOKEN : jeton inconnu ou révoqué');
    return p;
  }
  throw new Error('précisez pour qui exporter : --as <identifiant> ou un jeton d’API dans VIGIE_TOKEN');
}

/** `--filter key=value`, repeatable: the incident list's filters (states=MLI,BFA from=2024-01-01 q=marché …). */
function collectFilter(value: string, acc: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--filter : attendu clé=valeur, reçu « ${value} »`);
  return { ...acc, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('Exporte les incidents visibles par un utilisateur (mêmes filtres que la liste), audité / export incidents as a user sees them')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(', '))
    .option('--filter <clé=valeur>', 'filtre de la liste (répétable) : states, from, to, admin1, event_types, status, q, bbox…', collectFilter, {})
    .option('--out <fichier>', 'fichier à écrire (sinon la sortie standard)')
    .option('--as <identifiant>', 'exporter pour ce compte (sa visibilité et son audit) ; sinon le jeton VIGIE_TOKEN')
    .option('--delimiter <séparateur>', 'CSV : comma ou semicolon', 'comma')
    .option('--bom', 'CSV : marque d’ordre des octets UTF-8 (Excel)')
    .option('--headers <langue>', 'langue des en-têtes : fr ou en', 'fr')
    .action(async (o: { format: string; filter: Record<string, string>; out?: string; as?: string; delimiter: string; bom?: boolean; headers: string }) => {
      await withVigie(async (ctx) => {
        const principal = await actingUser(ctx, o.as);
        const out = await exportIncidents(ctx, principal, parseInput(exportQuerySchema, {
          ...o.filter, format: o.format, delimiter: o.delimiter, bom: o.bom ? 'true' : 'false', headers: o.headers,
        }));
        if (!o.out || o.out === '-') {
          await pipeline(Readable.from(out.body), process.stdout);
          return;
        }
        // Written beside the target, then renamed: an interrupted export never leaves a truncated file under the name.
        const partial = path.join(path.dirname(o.out), `.${path.basename(o.out)}.partiel`);
        try {
          await pipeline(Readable.from(out.body), fs.createWriteStream(partial, { mode: 0o600 }));
          fs.renameSync(partial, o.out);
        } finally {
          fs.rmSync(partial, { force: true });
        }
        const n = out.written();
        console.error(`${n} incident${n > 1 ? 's' : ''} exporté${n > 1 ? 's' : ''} pour ${principal.login} vers ${o.out}`);
      });
    });
}
