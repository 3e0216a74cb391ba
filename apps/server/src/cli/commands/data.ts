import fs from 'node:fs';
import type { Command } from 'commander';
import { isEncryptedBackup } from '../../lib/backup-cipher.js';
import { backupTo, restoreFrom } from '../../services/audit/backup.service.js';
import { seedDemo } from '../../services/demo/demo-seed.service.js';
import { importBoundaries, readBoundaryFile } from '../../services/geography/gazetteer.service.js';
import { listBoundarySetsWithCrosswalk } from '../../services/geography/boundary-sets.service.js';
import { getReplacementJob, listReplacementJobs, retryReplacementJob, runReplacementJob, startReplacementJob, type ReplacementJobView } from '../../services/geography/replacement-job.service.js';
import type { Ctx } from '../../services/context.js';
import { SYSTEM } from '../../services/principal.js';
import { progressBar } from '../progress.js';
import { readConfig } from '../../config.js';
import { readStdin, withVigie, writeCredentialsFile } from './shared.js';

export function registerDataCommands(program: Command): void {
  program
    .command('seed')
    .description('Charge les données de démonstration fictives / load the synthetic demo data set')
    .requiredOption('--demo', 'données de démonstration (fictives, étiquetées [DÉMO])')
    .option('--count <n>', "nombre d'incidents", '5000')
    .option('--seed <n>', 'graine du générateur', '20261129')
    .action(async (o: { count: string; seed: string }) => {
      await withVigie(async (ctx) => {
        const count = Number(o.count);
        const bar = progressBar('Démo', count);
        const res = await seedDemo(ctx, { count, seed: Number(o.seed), onProgress: (d) => bar.update(d) });
        bar.stop();
        console.log(`incidents : ${res.incidents.created} créés, ${res.incidents.unchanged} déjà présents, ${res.incidents.rejected.length} rejetés`);
        for (const r of res.incidents.rejected.slice(0, 10)) console.log(`  rejeté #${r.index} : ${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
        console.log(`comptes de démonstration : ${res.users.map((u) => u.login).join(', ')}`);
        if (res.demoPassword) {
          const file = writeCredentialsFile(readConfig().dataDir, [`Comptes de démonstration / demo accounts (${res.users.map((u) => u.login).join(', ')}) : ${res.demoPassword}`]);
          console.log(`mot de passe des comptes de démonstration écrit dans ${file} (lisible par vous seul)`);
        }
      });
    });

  const gazetteer = program.command('gazetteer').description('Référentiel géographique / gazetteer');
  gazetteer
    .command('import')
    .description('Importe des limites administratives officielles (GeoJSON) ; les incidents sont ensuite placés par point-dans-polygone')
    .argument('<file>', 'FeatureCollection GeoJSON (WGS84)')
    .requiredOption('--state <code>', "code de l'État membre (ex. MLI)")
    .requiredOption('--level <n>', 'niveau : 1 région, 2 cercle/province/département, 3 commune')
    .requiredOption('--code-field <name>', 'propriété portant le code (P-code)')
    .requiredOption('--name-field <name>', 'propriété portant le nom')
    .option('--parent-field <name>', 'propriété portant le code du parent')
    .option('--filter <field=value>', "ne garder que les entités dont la propriété vaut cette valeur (fichier couvrant plusieurs pays)")
    .option('--no-reassign', 'ne pas replacer les incidents existants')
    .option('--valid-from <date>', "nouveau découpage en vigueur à cette date (AAAA-MM-JJ) ; l'actuel est conservé et clos la veille")
    .option('--set-name <fr>', 'nom du nouveau découpage (français)')
    .option('--set-name-en <en>', 'nom du nouveau découpage (anglais)')
    .action(async (file: string, o: { state: string; level: string; codeField: string; nameField: string; parentField?: string; filter?: string; reassign: boolean; validFrom?: string; setName?: string; setNameEn?: string }) => {
      const level = Number(o.level);
      if (![1, 2, 3].includes(level)) throw new Error('--level doit valoir 1, 2 ou 3');
      const [field, value] = o.filter?.split('=') ?? [];
      if (o.filter && (!field || value === undefined)) throw new Error('--filter attend champ=valeur, ex. admin0Pcod=ML');
      await withVigie(async (ctx) => {
        const fc = readBoundaryFile(file);
        const res = await importBoundaries(ctx, SYSTEM, fc, {
          state: o.state, level: level as 1 | 2 | 3, codeField: o.codeField, nameField: o.nameField, parentField: o.parentField, source: file,
          ...(field && value !== undefined ? { filter: { field, value } } : {}),
          ...(o.validFrom ? { validFrom: o.validFrom } : {}),
          ...(o.setName ? { setName: { fr: o.setName, en: o.setNameEn ?? o.setName } } : {}),
        });
        console.log(`${res.imported} zones importées (${res.matchedByCode} par code, ${res.matchedByName} par nom, ${res.added} nouvelles), ${res.filtered} écartées par le filtre, ${res.rejected.length} rejetées`);
        for (const r of res.rejected) console.log(`  entité #${r.index} rejetée : ${r.reason}`);
        if (res.closedSet) console.log(`découpage ${res.boundarySet} en vigueur depuis le ${o.validFrom} ; ${res.closedSet} conservé, clos la veille ; ${res.retired} zones retirées ; table de correspondance : ${res.crosswalkLinks} liens`);
        if (o.reassign) {
          const job = await startReplacementJob(ctx, SYSTEM, `import ${file}`);
          console.log(`replacement des incidents : tâche ${job.id} (reprise après une interruption : vigie gazetteer resume ${job.id})`);
          if ((await runJobWithBar(ctx, job.id)) === 'failed') process.exitCode = 1;
        }
      });
    });

  gazetteer
    .command('sets')
    .description('Découpages administratifs par État, avec leur période de validité')
    .action(async () => {
      await withVigie(async (ctx) => {
        const { sets } = await listBoundarySetsWithCrosswalk(ctx, SYSTEM);
        for (const s of sets) console.log(`${s.state}  ${s.code}  ${s.valid_from ?? '…'} → ${s.valid_to ?? 'en vigueur'}  ${s.name_fr}`);
      });
    });
  gazetteer
    .command('jobs')
    .description('Tâches de replacement des incidents et leur avancement')
    .action(async () => {
      await withVigie(async (ctx) => {
        const label = { running: 'en cours', done: 'terminée', failed: 'en échec' } as const;
        for (const j of await listReplacementJobs(ctx, SYSTEM)) {
          console.log(`${j.id}  ${label[j.status]}  ${j.done}/${j.total} (${j.percent} %)  ${j.moved} replacés  ${j.reason}${j.error ? `  erreur : ${j.error} — relancer : vigie gazetteer resume ${j.id}` : ''}`);
        }
      });
    });
  gazetteer
    .command('resume')
    .alias('retry')
    .description('Reprend les tâches de replacement interrompues ou en échec (toutes, ou celle donnée), depuis leur dernier lot enregistré')
    .argument('[id]')
    .action(async (id?: string) => {
      await withVigie(async (ctx) => {
        const jobs = id ? [await getReplacementJob(ctx, SYSTEM, id)] : (await listReplacementJobs(ctx, SYSTEM)).filter((j) => j.status !== 'done');
        if (!jobs.length || jobs.every((j) => j.status === 'done')) console.log(id ? `tâche ${id} déjà terminée : rien à reprendre` : 'aucune tâche à reprendre');
        let failed = 0;
        for (const j of jobs.filter((x) => x.status !== 'done')) {
          // A failed job is retried by an administrator's decision: audited, then resumed from its cursor.
          if (j.status === 'failed') await retryReplacementJob(ctx, SYSTEM, j.id);
          if ((await runJobWithBar(ctx, j.id)) === 'failed') failed++;
        }
        if (failed) process.exitCode = 1;
      });
    });

  program
    .command('backup')
    .description('Sauvegarde cohérente à chaud (JSON compressé, restaurable sur SQLite ou PostgreSQL ; fichier 0600)')
    .argument('<file>')
    .option('--encrypt', "chiffre la sauvegarde avec une phrase de passe lue sur l'entrée standard (scrypt + AES-256-GCM)")
    .action(async (file: string, o: { encrypt?: boolean }) => {
      const passphrase = o.encrypt ? await readStdin() : undefined;
      if (o.encrypt && (!passphrase || passphrase.length < 12)) {
        throw new Error("--encrypt : donnez la phrase de passe (12 caractères au moins) sur l'entrée standard, ex. `vigie backup --encrypt f.gz < phrase.txt`");
      }
      await withVigie(async (ctx) => {
        const bar = progressBar('Sauvegarde', 1);
        const h = await backupTo(ctx, file, (d, t) => bar.update(d, t), { passphrase });
        bar.stop();
        console.log(`sauvegarde${passphrase ? ' chiffrée' : ''} écrite : ${file} (${Object.entries(h.tables).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      });
    });

  program
    .command('restore')
    .description("Restaure une sauvegarde (tout ou rien) dans une base vide, ou remplace tout avec --force ; une sauvegarde chiffrée lit sa phrase de passe sur l'entrée standard")
    .argument('<file>')
    .option('--force', 'remplace les données existantes')
    .action(async (file: string, o: { force?: boolean }) => {
      const passphrase = fs.existsSync(file) && isEncryptedBackup(file) ? await readStdin() : undefined;
      await withVigie(async (ctx) => {
        const bar = progressBar('Restauration', 1);
        const h = await restoreFrom(ctx, file, { force: o.force, passphrase, onProgress: (d, t) => bar.update(d, t) });
        bar.stop();
        console.log(`restauration terminée : sauvegarde du ${h.created_at} (${Object.values(h.tables).reduce((a, b) => a + b, 0)} lignes)`);
      }, { create: true });
    });
}

/** Runs a re-placement job in the foreground with a progress bar (it resumes from its cursor when restarted). */
async function runJobWithBar(ctx: Ctx, id: string): Promise<ReplacementJobView['status']> {
  const bar = progressBar('Incidents', 1);
  // Without a terminal (a log, a script): one line per tenth done.
  let shown = -1;
  const line = (d: number, t: number) => {
    const tenth = t ? Math.floor((10 * d) / t) : 10;
    if (process.stderr.isTTY || tenth <= shown) return;
    shown = tenth;
    console.error(`replacement : ${d}/${t} incidents (${tenth * 10} %)`);
  };
  const job = await runReplacementJob(ctx, SYSTEM, id, { onProgress: (d, t) => { bar.update(d, t); line(d, t); }, log: () => undefined });
  bar.stop();
  if (job.status === 'failed') {
    console.error(`tâche ${job.id} : échec après ${job.done}/${job.total} incidents (${job.moved} replacés) — ${job.error}\nles lots enregistrés sont conservés ; relancer : vigie gazetteer resume ${job.id}`);
    return job.status;
  }
  console.log(`tâche ${job.id} : ${job.status === 'done' ? 'terminée' : job.status}, ${job.done}/${job.total} incidents vus, ${job.moved} replacés`);
  return job.status;
}
