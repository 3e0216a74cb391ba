import fs from 'node:fs';
import type { Command } from 'commander';
import { runAlertRules } from '../../services/alerts/alert-rules.service.js';
import { backtestMarkdown, backtestUcdp } from '../../services/alerts/backtest.js';
import { loadRulesConfig } from '../../services/alerts/rules-config.js';
import { SYSTEM } from '../../services/principal.js';
import { loadReferenceConfig } from '../../services/geography/reference.service.js';
import { withVigie } from './shared.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `vigie alerts run` (the rules now, as the local operator) and `vigie alerts backtest --ucdp FILE`. */
export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description("Alertes précoces / early warning");
  alerts
    .command('run')
    .description("Exécute les règles d'alerte maintenant (configuration : VIGIE_ALERT_RULES_FILE)")
    .option('--as-of <instant>', 'évaluer comme à cette date (ISO 8601)')
    .option('--json', 'résultat en JSON')
    .action(async (o: { asOf?: string; json?: boolean }) => {
      if (o.asOf && Number.isNaN(Date.parse(o.asOf))) throw new Error(`--as-of: date invalide : ${o.asOf}`);
      await withVigie(async (ctx) => {
        const res = await runAlertRules(ctx, SYSTEM, { asOf: o.asOf ? new Date(o.asOf).toISOString() : undefined });
        if (o.json) {
          console.log(JSON.stringify(res));
          return;
        }
        console.log(`semaines évaluées : ${res.weeks.map((w) => w.slice(0, 10)).join(', ')} — ${res.findings} constat(s), ${res.issued} alerte(s) émise(s), ${res.duplicates} déjà émise(s) — chiffres calculés pour ${res.audiences} public(s), ${res.updated} alerte(s) mise(s) à jour`);
        for (const a of res.alerts) console.log(`  [${a.severity}] ${a.title}`);
      });
    });
  alerts
    .command('backtest')
    .description('Rejoue les règles semaine par semaine sur un fichier UCDP GED et tabule les alertes par mois et région')
    .requiredOption('--ucdp <file>', 'fichier CSV UCDP GED')
    .option('--from <YYYY-MM>', 'premier mois', '2015-01')
    .option('--to <YYYY-MM>', 'dernier mois', '2022-10')
    .option('--table-from <YYYY-MM>', 'premier mois du tableau détaillé', '2021-11')
    .option('--out <file>', 'écrit le tableau Markdown dans ce fichier')
    .option('--json', 'résultat en JSON')
    .action(async (o: { ucdp: string; from: string; to: string; tableFrom: string; out?: string; json?: boolean }) => {
      for (const [k, v] of [['--from', o.from], ['--to', o.to], ['--table-from', o.tableFrom]]) if (!MONTH.test(v ?? '')) throw new Error(`${k} : mois attendu AAAA-MM, reçu ${v}`);
      if (!fs.existsSync(o.ucdp)) throw new Error(`fichier introuvable : ${o.ucdp}`);
      const res = await backtestUcdp(o.ucdp, loadReferenceConfig(), loadRulesConfig(), { from: o.from, to: o.to });
      if (o.json) console.log(JSON.stringify(res));
      const md = backtestMarkdown(res, o.tableFrom);
      if (o.out) fs.writeFileSync(o.out, `${md}\n`);
      else if (!o.json) console.log(md);
    });
}
