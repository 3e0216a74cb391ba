import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { centroidTable } from '../../services/forecast/panel.js';
import { evaluateRolling, type EvaluationWindow, type RollingEvaluation } from '../../services/forecast/model.js';
import { renderReport } from '../../services/forecast/report.js';
import { countryTable, readUcdpForecastEvents } from '../../services/forecast/ucdp-csv.js';
import { loadReferenceConfig } from '../../services/geography/reference.service.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

async function loadUcdp(file: string) {
  const reference = loadReferenceConfig();
  const countries = countryTable(reference.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
  const centroids = centroidTable(
    reference.admin_areas.filter((a) => a.level === 1).map((a) => ({ state: a.state, names: [a.name_fr, a.name_en], lat: a.centroid_lat ?? null, lon: a.centroid_lon ?? null })),
  );
  const input = await readUcdpForecastEvents(file, countries);
  for (const r of input.rejected.slice(0, 10)) console.error(`ligne ${r.line} rejetée — ${r.field} : ${r.reason}`);
  return { ...input, centroids };
}

function checkMonth(flag: string, value: string): void {
  if (!MONTH.test(value)) throw new Error(`${flag} : mois attendu AAAA-MM, reçu ${value}`);
}

function refused<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RangeError) throw new Error(`fenêtre refusée : ${e.message}`);
    throw e;
  }
}

/** 12-month windows December … November ending at `to`'s November or earlier, from `since`, plus the whole span. */
export function yearlyWindows(since: string, to: string): EvaluationWindow[] {
  const windows: EvaluationWindow[] = [];
  const lastYear = Number(to.slice(0, 4)) - (to.slice(5) < '11' ? 1 : 0);
  for (let y = Number(since.slice(0, 4)) + (since.slice(5) === '12' ? 1 : 0); y <= lastYear; y += 1) windows.push({ from: `${y - 1}-12`, to: `${y}-11` });
  const from = windows.length ? windows[0].from : since;
  windows.push({ from, to });
  return windows;
}

/** `vigie forecast evaluate | report` (method and results: docs/forecast.md). */
export function registerForecastCommands(program: Command): void {
  const forecast = program.command('forecast').description('Prévisions probabilistes par région (victimes, incidents) / probabilistic forecasts per area');
  forecast
    .command('evaluate')
    .description("Évalue la prévision à origine glissante sur un fichier UCDP GED, face aux références zéro, persistance, moyenne 3 mois, moyenne pondérée (log) et bootstrap 12 mois")
    .requiredOption('--ucdp <file>', 'fichier CSV UCDP GED')
    .requiredOption('--from <YYYY-MM>', 'premier mois évalué')
    .requiredOption('--to <YYYY-MM>', 'dernier mois évalué')
    .option('--horizon <n>', 'mois d\'avance : 1, 2 ou 3', '1')
    .option('--target <t>', 'fatalities ou incidents', 'fatalities')
    .option('--json', 'résultat en JSON (clés model, persistence, mean3, zero, ewm, bootstrap12 : rmsle, mae, crps, coverage90… ; n)')
    .action(async (o: { ucdp: string; from: string; to: string; horizon: string; target: string; json?: boolean }) => {
      checkMonth('--from', o.from);
      checkMonth('--to', o.to);
      if (o.from > o.to) throw new Error('--from est après --to');
      if (!['1', '2', '3'].includes(o.horizon)) throw new Error(`--horizon : 1, 2 ou 3 attendu, reçu ${o.horizon}`);
      if (o.target !== 'fatalities' && o.target !== 'incidents') throw new Error(`--target : fatalities ou incidents attendu, reçu ${o.target}`);
      const input = await loadUcdp(o.ucdp);
      const run = refused(() => evaluateRolling({ events: input.events, windows: [{ from: o.from, to: o.to }], centroids: input.centroids, horizon: Number(o.horizon), target: o.target as 'fatalities' }));
      const w = run.windows[0];
      const result = { from: w.from, to: w.to, n: w.n, target: run.target, horizon: run.horizon, ...w.scores, params: { penalties: run.penalties } };
      if (o.json) {
        console.log(JSON.stringify(result));
        return;
      }
      console.log(`${input.rows} lignes, ${input.rejected.length} rejetées, ${input.withoutAdmin1} sans adm_1 (hors panel)`);
      console.log(`fenêtre ${w.from} … ${w.to}, n = ${w.n} mois-régions, ${run.target}, horizon ${run.horizon}`);
      for (const [k, s] of Object.entries(w.scores)) {
        console.log(`  ${k.padEnd(12)} RMSLE ${s.rmsle.toFixed(4)}  MAE ${s.mae.toFixed(2)}  CRPS ${s.crps.toFixed(2)}  IGN ${s.ignorance.toFixed(2)}  couverture 50 % ${(s.coverage50 * 100).toFixed(0)} %  90 % ${(s.coverage90 * 100).toFixed(0)} %`);
      }
      console.log(`  modèle / persistance (RMSLE) : ${(w.scores.model.rmsle / w.scores.persistence.rmsle).toFixed(3)}`);
    });
  forecast
    .command('report')
    .description('Régénère docs/forecast.md : évaluation à origine glissante sur tous les mois depuis --since, chaque année, rangs face aux références')
    .requiredOption('--ucdp <file>', 'fichier CSV UCDP GED')
    .option('--since <YYYY-MM>', 'premier mois évalué (les années vont de décembre à novembre)', '2011-12')
    .option('--to <YYYY-MM>', 'dernier mois évalué (défaut : mois du dernier événement)')
    .option('--out <file>', 'fichier écrit', 'docs/forecast.md')
    .action(async (o: { ucdp: string; since: string; to?: string; out: string }) => {
      checkMonth('--since', o.since);
      if (o.to !== undefined) checkMonth('--to', o.to);
      const started = Date.now();
      const input = await loadUcdp(o.ucdp);
      const last = input.events.reduce((m, e) => (e.dateStart.slice(0, 7) > m ? e.dateStart.slice(0, 7) : m), '0000-01');
      const to = o.to ?? last;
      const windows = yearlyWindows(o.since, to);
      const runs: RollingEvaluation[] = [];
      for (const [target, horizon] of [['fatalities', 1], ['fatalities', 2], ['fatalities', 3], ['incidents', 1]] as const) {
        console.error(`${target}, horizon ${horizon}…`);
        runs.push(refused(() => evaluateRolling({ events: input.events, windows, centroids: input.centroids, target, horizon })));
      }
      const areas = new Set(input.events.map((e) => e.admin1)).size;
      const command = `npx vigie forecast report --ucdp ${o.ucdp} --since ${o.since}${o.to ? ` --to ${o.to}` : ''} --out ${o.out}`;
      const markdown = renderReport({
        command,
        source: { file: o.ucdp.split('/').pop() ?? o.ucdp, rows: input.rows, rejected: input.rejected.length, withoutAdmin1: input.withoutAdmin1, events: input.events.length, areas },
        runs,
        seconds: (Date.now() - started) / 1000,
      });
      writeFileSync(o.out, markdown);
      console.error(`${o.out} écrit (${windows.length} fenêtres, ${Math.round((Date.now() - started) / 1000)} s)`);
    });
}
