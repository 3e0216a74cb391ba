import fs from 'node:fs';
import { CLASSIFICATIONS, CONFEDERATION_ORG, parseInput, SITREP_LANGS, sitrepCreateSchema, type SitrepKind, type SitrepLang } from '@vigie/domain';
import type { Command } from 'commander';
import { findSitrep } from '../../repositories/sitrep.repository.js';
import type { Ctx } from '../../services/context.js';
import { SYSTEM } from '../../services/principal.js';
import { renderSitrepHtml } from '../../services/sitrep/sitrep-html.js';
import { renderSitrepPdf } from '../../services/sitrep/sitrep-pdf.js';
import { generateSitrep, sitrepForDownload } from '../../services/sitrep/sitrep.service.js';
import { withVigie } from './shared.js';

export interface SitrepCliOptions { kind: SitrepKind; period: string; audience: string; ceiling: string; lang: SitrepLang; out: string }

/**
 * Writes a situation report to a file (PDF, or HTML by extension): the stored report of that period, audience and
 * ceiling when there is one, else a new one generated (and frozen, audited, announced) now. The file is the same as a
 * cleared reader's download from the web.
 */
export async function writeSitrep(ctx: Ctx, o: SitrepCliOptions): Promise<{ id: string; generated: boolean; bytes: number }> {
  const ceiling = CLASSIFICATIONS.indexOf(o.ceiling as (typeof CLASSIFICATIONS)[number]);
  const existing = ceiling >= 0 ? await findSitrep(ctx.engine.db, o.kind, o.period, o.audience, ceiling) : undefined;
  const id = existing?.id ?? (await generateSitrep(ctx, SYSTEM, parseInput(sitrepCreateSchema, { kind: o.kind, period: o.period, audience: o.audience, ceiling: o.ceiling }))).id;
  const html = o.out.toLowerCase().endsWith('.html');
  const model = await sitrepForDownload(ctx, SYSTEM, id, html ? 'html' : 'pdf', o.lang);
  const body = html ? Buffer.from(renderSitrepHtml(model, o.lang), 'utf8') : await renderSitrepPdf(model, o.lang);
  fs.writeFileSync(`${o.out}.partial`, body);
  fs.renameSync(`${o.out}.partial`, o.out);
  return { id, generated: !existing, bytes: body.length };
}

export function registerSitrepCommands(program: Command): void {
  program
    .command('sitrep')
    .description('Rapport de situation hebdomadaire (--week) ou mensuel (--month), en PDF (ou HTML si le fichier finit par .html)')
    .option('--week <week>', 'semaine ISO, p. ex. 2026-W48')
    .option('--month <month>', 'mois, p. ex. 2026-11')
    .option('--audience <code>', `destinataire : ${CONFEDERATION_ORG} ou un État membre`, CONFEDERATION_ORG)
    .option('--ceiling <level>', `niveau de classification maximal (${CLASSIFICATIONS.join(', ')})`, 'restricted')
    .option('--lang <lang>', `langue (${SITREP_LANGS.join(', ')})`, 'fr')
    .requiredOption('--out <file>', 'fichier à écrire (.pdf ou .html)')
    .action(async (o: { week?: string; month?: string; audience: string; ceiling: string; lang: string; out: string }) => {
      if (!!o.week === !!o.month) throw new Error('indiquez --week AAAA-Wnn ou --month AAAA-MM (un seul des deux)');
      if (!SITREP_LANGS.includes(o.lang as SitrepLang)) throw new Error(`langue inconnue : ${o.lang} (fr ou en)`);
      await withVigie(async (ctx) => {
        const kind: SitrepKind = o.week ? 'week' : 'month';
        const r = await writeSitrep(ctx, { kind, period: (o.week ?? o.month) as string, audience: o.audience, ceiling: o.ceiling, lang: o.lang as SitrepLang, out: o.out });
        console.log(`rapport de situation ${r.generated ? 'généré' : 'existant'} ${r.id} écrit : ${o.out} (${r.bytes} octets)`);
      });
    });
}
