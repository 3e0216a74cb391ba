import { ROLES, type Role } from '@vigie/domain';
import type { Command } from 'commander';
import { readConfig } from '../../config.js';
import { migrateToLatest } from '../../db/migrate.js';
import { listUsers as listUserRows } from '../../repositories/user.repository.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/accounts/auth.service.js';
import { SYSTEM } from '../../services/principal.js';
import { createUser, resetPassword, toUser, unlockUser, updateUser } from '../../services/accounts/user.service.js';
import { openCommandEngine } from '../database.js';
import { progressBar } from '../progress.js';
import { readStdin, withVigie } from './shared.js';

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('Met le schéma de la base à jour / bring the database schema up to date')
    .action(async () => {
      const engine = await openCommandEngine(readConfig(), { create: true });
      try {
        const res = await migrateToLatest(engine);
        const applied = res.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        console.log(applied.length ? `migrations appliquées : ${applied.join(', ')}` : 'schéma déjà à jour');
      } finally {
        await engine.close();
      }
    });

  const users = program.command('users').description('Comptes utilisateurs / user accounts');
  users
    .command('add')
    .description('Crée un compte ; mot de passe lu sur stdin, sinon généré et affiché')
    .requiredOption('--login <login>')
    .requiredOption('--org <code>', 'organisation : code d’un État membre ou CONF')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .requiredOption('--clearance <n>', 'habilitation 0 public … 3 secret')
    .option('--name <name>', 'nom affiché')
    .option('--locale <fr|en>', 'langue', 'fr')
    .action(async (o: { login: string; org: string; role: string; clearance: string; name?: string; locale: string }) => {
      const password = await readStdin();
      await withVigie(async (ctx) => {
        const res = await createUser(ctx, SYSTEM, {
          login: o.login, organisation: o.org, role: o.role as Role, clearance: Number(o.clearance), display_name: o.name,
          locale: o.locale as 'fr' | 'en', ...(password ? { password } : {}),
        });
        console.log(`compte créé : ${res.user.login} (${res.user.organisation}, ${res.user.role}, habilitation ${res.user.clearance})`);
        if (res.password) console.log(`mot de passe : ${res.password}`);
      });
    });
  users
    .command('list')
    .description('Liste les comptes')
    .option('--json', 'sortie JSON')
    .action(async (o: { json?: boolean }) => {
      await withVigie(async (ctx) => {
        const rows = (await listUserRows(ctx.engine.db)).map(toUser);
        if (o.json) return console.log(JSON.stringify(rows, null, 2));
        for (const u of rows) {
          console.log([u.login.padEnd(24), u.organisation.padEnd(5), u.role.padEnd(22), `hab.${u.clearance}`, u.disabled ? 'désactivé' : 'actif', u.totp_enabled ? 'TOTP' : '', u.locked_until ? `verrouillé jusqu’à ${u.locked_until}` : ''].join(' ').trimEnd());
        }
      });
    });
  users
    .command('disable')
    .description('Désactive un compte et ferme ses sessions')
    .requiredOption('--login <login>')
    .action(async (o: { login: string }) => {
      await withVigie(async (ctx) => {
        await updateUser(ctx, SYSTEM, o.login, { disabled: true });
        console.log(`compte désactivé : ${o.login}`);
      });
    });
  users
    .command('enable')
    .description('Réactive un compte')
    .requiredOption('--login <login>')
    .action(async (o: { login: string }) => {
      await withVigie(async (ctx) => {
        await updateUser(ctx, SYSTEM, o.login, { disabled: false });
        console.log(`compte réactivé : ${o.login}`);
      });
    });
  users
    .command('unlock')
    .description('Déverrouille un compte bloqué par des échecs de connexion répétés')
    .requiredOption('--login <login>')
    .action(async (o: { login: string }) => {
      await withVigie(async (ctx) => {
        await unlockUser(ctx, SYSTEM, o.login);
        console.log(`compte déverrouillé : ${o.login}`);
      });
    });
  users
    .command('reset-password')
    .description('Nouveau mot de passe (stdin, sinon généré, affiché, et à changer à la première connexion) ; ferme les sessions')
    .requiredOption('--login <login>')
    .action(async (o: { login: string }) => {
      const password = await readStdin();
      await withVigie(async (ctx) => {
        const res = await resetPassword(ctx, SYSTEM, o.login, password);
        console.log(password ? `mot de passe changé : ${o.login}` : `nouveau mot de passe : ${res.password}`);
      });
    });

  const token = program.command('token').description("Jetons d'API / API tokens");
  token
    .command('create')
    .description("Crée un jeton d'API pour un compte ; le jeton seul est sur la dernière ligne")
    .requiredOption('--login <login>')
    .option('--name <name>', 'usage du jeton', 'api')
    .action(async (o: { login: string; name: string }) => {
      await withVigie(async (ctx) => {
        const res = await createApiToken(ctx, SYSTEM, o.login, o.name);
        console.log(`jeton ${res.id} créé pour ${o.login} (affiché une seule fois) :`);
        console.log(res.token);
      });
    });
  token
    .command('revoke')
    .description('Révoque un jeton')
    .argument('<id>')
    .action(async (id: string) => {
      await withVigie(async (ctx) => {
        await revokeApiToken(ctx, SYSTEM, id);
        console.log(`jeton révoqué : ${id}`);
      });
    });
  token
    .command('list')
    .description('Liste les jetons (jamais leur valeur)')
    .action(async () => {
      await withVigie(async (ctx) => {
        for (const t of await listApiTokens(ctx, SYSTEM)) console.log([t.id, t.login.padEnd(20), t.name.padEnd(16), t.revoked_at ? `révoqué ${t.revoked_at}` : 'actif'].join(' '));
      });
    });
}
