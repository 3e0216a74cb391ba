import type { Command } from 'commander';
import { evaluateForecast } from '../../services/forecast/forecast.js';
import { countryTable, readUcdpForecastEvents } from '../../services/forecast/ucdp-csv.js';
import { loadReferenceConfig } from '../../services/reference.service.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `vigie forecast evaluate --ucdp FILE --from YYYY-MM --to YYYY-MM [--json]` (method: docs/forecast.md). */
export function registerForecastCommands(program: Command): void {
  const forecast = program.command('forecast').description('Prévision des victimes du mois suivant par région / next-month forecast');
  forecast
    .command('evaluate')
    .description("Évalue la prévision à origine glissante sur un fichier UCDP GED, face à la persistance et à la moyenne des 3 derniers mois")
    .requiredOption('--ucdp <file>', 'fichier CSV UCDP GED')
    .requiredOption('--from <YYYY-MM>', 'premier mois évalué')
    .requiredOption('--to <YYYY-MM>', 'dernier mois évalué')
    .option('--json', 'résultat en JSON (clés model, persistence, mean3 : rmsle, mae ; n)')
    .action(async (o: { ucdp: string; from: string; to: string; json?: boolean }) => {
      for (const [k, v] of [['--from', o.from], ['--to', o.to]] as const) if (!MONTH.test(v)) throw new Error(`${k} : mois attendu AAAA-MM, reçu ${v}`);
      if (o.from > o.to) throw new Error('--from est après --to');
      const reference = loadReferenceConfig();
      const countries = countryTable(reference.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
      const input = await readUcdpForecastEvents(o.ucdp, countries);
      for (const r of input.rejected.slice(0, 10)) console.error(`ligne ${r.line} rejetée — ${r.field} : ${r.reason}`);
      let result;
      try {
        result = evaluateForecast({ events: input.events, from: o.from, to: o.to });
      } catch (e) {
        if (e instanceof RangeError) throw new Error(`fenêtre refusée : ${e.message}`);
        throw e;
      }
      if (o.json) {
        console.log(JSON.stringify(result));
        return;
      }
      console.log(`${input.rows} lignes, ${input.rejected.length} rejetées, ${input.withoutAdmin1} sans adm_1 (hors panel)`);
      console.log(`fenêtre ${result.from} … ${result.to}, n = ${result.n} mois-régions`);
      for (const k of ['model', 'persistence', 'mean3'] as const) console.log(`  ${k.padEnd(12)} RMSLE ${result[k].rmsle.toFixed(4)}  MAE ${result[k].mae.toFixed(2)}`);
      console.log(`  modèle / persistance : ${(result.model.rmsle / result.persistence.rmsle).toFixed(3)}`);
    });
}
