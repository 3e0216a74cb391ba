import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { importAcledFile } from '../../services/imports/acled-import.service.js';
import { SYSTEM } from '../../services/principal.js';
import { importUcdpFile, rejectionReportCsv, adminDisagreementCsv } from '../../services/imports/ucdp-import.service.js';
import { importOutboxFile } from '../../services/incidents/outbox-import.service.js';
import { progressBar } from '../progress.js';
import { withVigie } from './shared.js';

/** `vigie import ucdp|acled FILE.csv`: external events as validated incidents, idempotent, with a report of rejected rows. */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('Importe des données externes / import external data');
  imp
    .command('ucdp')
    .description('Importe les événements UCDP GED (CSV) comme incidents validés ; réimport = mise à jour, jamais de doublon')
    .argument('<file>', 'fichier CSV UCDP GED')
    .option('--report <file>', 'rapport CSV des lignes rejetées (line,id,field,reason)')
    .option('--batch <n>', 'lignes par transaction', '2000')
    .action(async (file: string, o: { report?: string; batch: string }) => {
      // Reports go beside the imported file unless named: `mali.csv` → `mali.rejets.csv`, `mali.adm1-ecarts.csv`.
      const beside = (suffix: string) => path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.${suffix}.csv`);
      const report = o.report ?? beside('rejets');
      await withVigie(async (ctx) => {
        const bar = progressBar('UCDP', 1);
        const res = await importUcdpFile(ctx, SYSTEM, file, { batchSize: Number(o.batch), onProgress: (done, total) => bar.update(done, total) });
        bar.stop();
        fs.writeFileSync(report, rejectionReportCsv(res.rejected));
        console.log(`${res.rows} lignes lues : ${res.created} incidents créés, ${res.updated} mis à jour, ${res.unchanged} inchangés, ${res.rejected.length} rejetées`);
        console.log(`incidents UCDP par État : ${Object.entries(res.byState).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        if (res.placedByPoint) console.log(`${res.placedByPoint} événements sans adm_1 reconnu : région déduite des coordonnées`);
        if (res.adminDisagreements.length) {
          const gaps = beside('adm1-ecarts');
          fs.writeFileSync(gaps, adminDisagreementCsv(res.adminDisagreements));
          console.log(`${res.adminDisagreements.length} événements dont l'adm_1 UCDP diffère de la région du polygone (placés par le polygone) : ${gaps}`);
        }
        if (res.unknownColumns.length) console.log(`colonnes inconnues ignorées : ${res.unknownColumns.join(', ')}`);
        console.log(`rapport des rejets : ${report}`);
        for (const r of res.rejected.slice(0, 10)) console.log(`  ligne ${r.line}${r.id ? ` (UCDP ${r.id})` : ''} — ${r.field} : ${r.reason}`);
        if (res.rejected.length > 10) console.log(`  … ${res.rejected.length - 10} autres dans le rapport`);
        if (res.rejected.length) process.exitCode = 1;
      });
    });

  imp
    .command('acled')
    .description('Importe un export CSV ACLED comme incidents validés (diffusion restreinte) ; réimport = mise à jour, jamais de doublon')
    .argument('<file>', 'fichier CSV exporté d’ACLED')
    .option('--report <file>', 'rapport CSV des lignes rejetées (line,id,field,reason)')
    .option('--batch <n>', 'lignes par transaction', '2000')
    .action(async (file: string, o: { report?: string; batch: string }) => {
      const beside = (suffix: string) => path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.${suffix}.csv`);
      const report = o.report ?? beside('rejets');
      await withVigie(async (ctx) => {
        const bar = progressBar('ACLED', 1);
        const res = await importAcledFile(ctx, SYSTEM, file, { batchSize: Number(o.batch), onProgress: (done, total) => bar.update(done, total) });
        bar.stop();
        fs.writeFileSync(report, stringify(res.rejected, { header: true, columns: ['line', 'id', 'field', 'reason'] }));
        console.log(`${res.rows} lignes lues : ${res.created} incidents créés, ${res.updated} mis à jour, ${res.unchanged} inchangés, ${res.rejected.length} rejetées`);
        console.log(`incidents ACLED par État : ${Object.entries(res.byState).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        if (res.adminDisagreements.length) {
          const gaps = beside('adm1-ecarts');
          fs.writeFileSync(gaps, stringify(res.adminDisagreements, { header: true, columns: ['line', 'id', 'acled_admin1', 'named_admin1', 'placed_admin1', 'placement_method'] }));
          console.log(`${res.adminDisagreements.length} événements dont l'admin1 ACLED diffère de la région du polygone (placés par le polygone) : ${gaps}`);
        }
        if (res.unknownActors.length) {
          const actors = beside('acteurs-inconnus');
          fs.writeFileSync(actors, stringify(res.unknownActors, { header: true, columns: ['name', 'rows', 'first_line', 'mapped_to'] }));
          console.log(`${res.unknownActors.length} acteurs ACLED absents de la liste des acteurs (remplacés par l'acteur générique de leur catégorie) : ${actors}`);
          for (const a of res.unknownActors.slice(0, 5)) console.log(`  « ${a.name} » (${a.rows} lignes, dès la ligne ${a.first_line}) → ${a.mapped_to}`);
        }
        if (res.unknownColumns.length) console.log(`colonnes inconnues ignorées : ${res.unknownColumns.join(', ')}`);
        console.log(`rapport des rejets : ${report}`);
        for (const r of res.rejected.slice(0, 10)) console.log(`  ligne ${r.line}${r.id ? ` (ACLED ${r.id})` : ''} — ${r.field} : ${r.reason}`);
        if (res.rejected.length > 10) console.log(`  … ${res.rejected.length - 10} autres dans le rapport`);
        if (res.rejected.length) process.exitCode = 1;
      });
    });

  imp
    .command('outbox')
    .description('Importe la file d’attente exportée d’un appareil hors ligne (signalements non envoyés) ; réimport = rien de plus')
    .argument('<file>', 'fichier JSON exporté par l’application web (« Exporter la file d’attente »)')
    .option('--login <login>', 'auteur des signalements (par défaut celui du fichier)')
    .action(async (file: string, o: { login?: string }) => {
      await withVigie(async (ctx) => {
        const res = await importOutboxFile(ctx, fs.readFileSync(file, 'utf8'), { login: o.login });
        console.log(`${res.created + res.unchanged + res.rejected.length} signalements lus (${res.login}) : ${res.created} créés, ${res.unchanged} déjà reçus, ${res.rejected.length} refusés`);
        for (const r of res.rejected.slice(0, 10)) console.log(`  ${r.id} — ${r.code} : ${r.message}`);
        if (res.rejected.length) process.exitCode = 1;
      });
    });
}
