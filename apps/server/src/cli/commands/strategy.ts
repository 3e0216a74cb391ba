import fs from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM } from '../../services/principal.js';
import { auditReport, buildReport } from '../../services/strategy.evaluation.service.js';
import { renderReportHtml } from '../../services/strategy/report-html.js';
import { renderReportPdf } from '../../services/strategy/report-pdf.js';
import { withVigie } from './shared.js';

export function registerStrategyCommands(program: Command): void {
  program
    .command('report')
    .description("Rapport d'évaluation de la stratégie pour les ministres (PDF, ou HTML si le fichier finit par .html)")
    .requiredOption('--evaluation <id>', "identifiant de l'évaluation")
    .requiredOption('--out <file>', 'fichier à écrire (.pdf ou .html)')
    .action(async (o: { evaluation: string; out: string }) => {
      await withVigie(async (ctx) => {
        const model = await buildReport(ctx, SYSTEM, o.evaluation);
        const html = o.out.toLowerCase().endsWith('.html');
        const body = html ? Buffer.from(renderReportHtml(model), 'utf8') : await renderReportPdf(model);
        fs.writeFileSync(`${o.out}.partial`, body);
        fs.renameSync(`${o.out}.partial`, o.out);
        await auditReport(ctx, SYSTEM, o.evaluation, html ? 'html' : 'pdf');
        console.log(`rapport écrit : ${o.out} (${model.evaluation.period}, ${body.length} octets)`);
      });
    });
}
