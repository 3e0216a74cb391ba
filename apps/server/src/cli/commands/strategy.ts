import fs from 'node:fs';
import type { Command } from 'commander';
import type { Ctx } from '../../services/context.js';
import { SYSTEM } from '../../services/principal.js';
import { produceReport } from '../../services/strategy/report.service.js';
import { withVigie } from './shared.js';

/**
 * Writes an evaluation's report to a file (PDF, or HTML by extension). The figures are the evaluation's own (its
 * audience and ceiling, frozen when final), so the file equals what a cleared reader downloads from the web.
 */
export async function writeReport(ctx: Ctx, evaluationId: string, out: string): Promise<{ period: string; bytes: number }> {
  const { period, body } = await produceReport(ctx, SYSTEM, evaluationId, out.toLowerCase().endsWith('.html') ? 'html' : 'pdf');
  fs.writeFileSync(`${out}.partial`, body);
  fs.renameSync(`${out}.partial`, out);
  return { period, bytes: body.length };
}

export function registerStrategyCommands(program: Command): void {
  program
    .command('report')
    .description("Rapport d'évaluation de la stratégie pour les ministres (PDF, ou HTML si le fichier finit par .html)")
    .requiredOption('--evaluation <id>', "identifiant de l'évaluation")
    .requiredOption('--out <file>', 'fichier à écrire (.pdf ou .html)')
    .action(async (o: { evaluation: string; out: string }) => {
      await withVigie(async (ctx) => {
        const { period, bytes } = await writeReport(ctx, o.evaluation, o.out);
        console.log(`rapport écrit : ${o.out} (${period}, ${bytes} octets)`);
      });
    });
}
