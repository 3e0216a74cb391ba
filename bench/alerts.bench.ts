/**
 * A full run of the alert rules at scale (default 1,000,000 synthetic incidents over three years), on every engine:
 * `runAlertRules` as the scheduler calls it — the area × day counts of 27 weeks of validated incidents, every rule,
 * then storing the new alerts with their evidence (the first run) — and a second run over the same data, where every
 * finding is already raised (what the hourly schedule mostly does). The baseline is the goal, 5 s.
 *
 * Then the cost of figures per audience: readers are added (per member state an analyst at confidential, a decision
 * maker at restricted and a focal point at secret; confederation staff at secret and restricted: 11 audiences plus
 * the operator's), and the re-runs are timed again, against the single-audience re-run measured just before.
 *
 *   node --conditions=vigie-source --import tsx bench/alerts.bench.ts --size N --engine sqlite|postgres
 *
 * Rows are written straight into `incidents` (SQLite prepared statement, PostgreSQL COPY), as in the other benches.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { rulesConfigSchema } from '../apps/server/src/services/alerts/rules-config.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { benchArgs } from './lib/args.js';
import { BareRows, copyText, INCIDENT_COLUMNS } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const GOAL_S = 5;
const GOALS: Record<string, Goal> = {
  'alerts_run/first_run_s': { kind: 'max', ratio: 1 },
  'alerts_run/rerun_p50_s': { kind: 'max', ratio: 1 },
  // Against the single run: no worse than running it once per audience (12 here).
  'alerts_run/audiences_rerun_p50_s': { kind: 'max', ratio: 12 },
  'alerts_run/audiences_rerun_goal_s': { kind: 'max', ratio: 1 },
};

async function runEngine(kind: EngineKind, size: number): Promise<Figure[]> {
  const db = await freshDatabase(kind);
  try {
    await migrateToLatest(db.engine);
    const reference = loadReferenceConfig();
    await syncReferenceData(db.engine, reference);
    const ctx = createContext(db.engine, reference, testKeys());
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, synth);
    const bare = bareDriver(db.engine);
    const at = new Date().toISOString();
    // An escalation in Mopti over the last three days (0.5 % of the rows), so that the first run has alerts to store.
    const surge = Math.max(50, Math.round(size / 200));
    const A1 = INCIDENT_COLUMNS.indexOf('admin1_code');
    const START = INCIDENT_COLUMNS.indexOf('occurred_start');
    const END = INCIDENT_COLUMNS.indexOf('occurred_end');
    const STATUS = INCIDENT_COLUMNS.indexOf('status');
    const valuesOf = (i: number) => {
      const v = rows.values(i, at);
      if (i >= size) {
        v[A1] = 'ML05';
        v[START] = `${syntheticDate((i - size) % 3)}T12:00:00.000Z`;
        v[END] = null;
        v[STATUS] = 'validated';
      }
      return v;
    };
    const total = size + surge;
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents + ${surge} in a surge`);
    if (bare.kind === 'sqlite') {
      const insert = bare.raw.prepare(`insert into incidents (${INCIDENT_COLUMNS.join(', ')}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
      for (let from = 0; from < total; from += 100_000) {
        bare.raw.transaction(() => {
          for (let i = from; i < Math.min(total, from + 100_000); i++) insert.run(valuesOf(i));
        })();
      }
      bare.raw.exec('analyze');
    } else {
      const client = await bare.pool.connect();
      try {
        async function* lines() {
          for (let from = 0; from < total; from += 1000) {
            let text = '';
            for (let i = from; i < Math.min(total, from + 1000); i++) text += valuesOf(i).map(copyText).join('\t') + '\n';
            yield text;
          }
        }
        await client.query('begin');
        await pipeline(Readable.from(lines()), client.query(copyFrom(`copy incidents (${INCIDENT_COLUMNS.join(', ')}) from stdin`)));
        await client.query('commit');
        await client.query('analyze incidents');
      } finally {
        client.release();
      }
    }
    const config = rulesConfigSchema.parse({});
    const asOf = `${syntheticDate(0)}T23:00:00.000Z`;
    log(`${kind}: first run`);
    const t0 = now();
    const first = await runAlertRules(ctx, SYSTEM, { asOf, config });
    const firstS = (now() - t0) / 1000;
    log(`${kind}: first run ${firstS.toFixed(2)} s, ${first.findings} findings, ${first.issued} alerts issued`);
    const rerun = async () => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t1 = now();
        const again = await runAlertRules(ctx, SYSTEM, { asOf, config });
        times.push((now() - t1) / 1000);
        if (again.issued !== 0) throw new Error('a second run raised alerts again');
      }
      return percentile(times, 50);
    };
    const single = await rerun();
    log(`${kind}: re-run p50 ${single.toFixed(2)} s (the operator's audience only)`);
    for (const st of reference.states) {
      await newUser(ctx, { org: st.code, role: 'analyst', clearance: 2 });
      await newUser(ctx, { org: st.code, role: 'decision_maker', clearance: 1 });
      await newUser(ctx, { org: st.code, role: 'focal_point', clearance: 3 });
    }
    await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    await newUser(ctx, { org: 'CONF', role: 'decision_maker', clearance: 1 });
    const t2 = now();
    const filled = await runAlertRules(ctx, SYSTEM, { asOf, config });
    log(`${kind}: first run with ${filled.audiences} audiences ${((now() - t2) / 1000).toFixed(2)} s, ${filled.updated} alerts got figures`);
    const perAudience = await rerun();
    log(`${kind}: re-run p50 ${perAudience.toFixed(2)} s with ${filled.audiences} audiences`);
    return [
      figure({ workload: 'alerts_run', engine: kind, metric: 'first_run_s', vigie: firstS, baseline: GOAL_S, unit: 's', size }),
      figure({ workload: 'alerts_run', engine: kind, metric: 'rerun_p50_s', vigie: single, baseline: GOAL_S, unit: 's', size }),
      // Per-audience figures against the single run measured just before on the same data.
      figure({ workload: 'alerts_run', engine: kind, metric: 'audiences_rerun_p50_s', vigie: perAudience, baseline: single, unit: 's', size }),
      figure({ workload: 'alerts_run', engine: kind, metric: 'audiences_rerun_goal_s', vigie: perAudience, baseline: GOAL_S, unit: 's', size }),
    ];
  } finally {
    await db.drop();
  }
}

const args = benchArgs();
const figures: Figure[] = [];
for (const kind of benchEngines(args.engines)) figures.push(...(await runEngine(kind, args.size)));
printTable(`Alert rules, full run (${args.size.toLocaleString('en-US')} incidents; baseline = the ${GOAL_S} s goal)`, figures, GOALS);
recordFigures(figures);
