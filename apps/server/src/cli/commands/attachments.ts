import type { Command } from 'commander';
import { SYSTEM } from '../../services/principal.js';
import { CLEANER_VERSION } from '../../services/attachments/clean-file.js';
import { heldReasonFr, cleanCountsFr, cleanStoredAttachments, listHeldAttachments, releaseHeldAttachment } from '../../services/attachments/clean-stored.js';
import { withVigie } from './shared.js';

/** `vigie attachments clean | held | release`: the stored files' metadata cleaning (docs/openrosa.md). */
export function registerAttachmentCommands(program: Command): void {
  const cmd = program.command('attachments').description('Pièces jointes : nettoyage des métadonnées des fichiers stockés, fichiers retenus');
  cmd.command('clean')
    .description(`Nettoie les fichiers stockés avant le nettoyage (ou par une version antérieure à ${CLEANER_VERSION}) ; reprend là où une exécution s'est arrêtée`)
    .option('--batch <n>', 'fichiers lus à la fois', '20')
    .action(async (o: { batch: string }) => {
      const batch = Number(o.batch);
      if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch : un entier positif attendu, reçu « ${o.batch} »`);
      await withVigie(async (ctx) => {
        const c = await cleanStoredAttachments(ctx, { batch, log: (p) => console.error(`  … ${p.examined} examinées`) });
        console.log(cleanCountsFr(c));
        if (c.held) console.log('Fichiers retenus : conservés comme preuve, non servis ; « vigie attachments held » les liste.');
      });
    });
  cmd.command('held')
    .description('Liste les fichiers retenus (format que Vigie ne sait pas nettoyer) et ceux libérés par un administrateur')
    .action(async () => {
      await withVigie(async (ctx) => {
        const rows = await listHeldAttachments(ctx);
        if (!rows.length) { console.log('Aucun fichier retenu.'); return; }
        for (const r of rows) {
          const state = r.clean_state === 'held' ? 'retenu' : 'libéré';
          console.log(`${r.id}\t${state}\tincident ${r.incident_id}\t${r.file_name}\t${r.size_bytes} octets\t${r.clean_state === 'held' ? heldReasonFr(r.clean_note) : `raison : ${r.clean_note ?? ''}`}`);
        }
      });
    });
  cmd.command('release')
    .description('Décision d’administrateur : un fichier retenu est servi tel quel, avec ses métadonnées (journalisé avec la raison)')
    .argument('<id>', 'identifiant du fichier')
    .requiredOption('--reason <text>', 'raison de la décision')
    .action(async (id: string, o: { reason: string }) => {
      await withVigie(async (ctx) => {
        const r = await releaseHeldAttachment(ctx, SYSTEM, id, o.reason);
        console.log(`Fichier ${r.id} (« ${r.file_name} ») libéré : servi tel quel aux lecteurs du signalement.`);
      });
    });
}
