/**
 * Situation reports at scale (default 1,000,000 synthetic incidents): generating the confederation's weekly report
 * (figures for its audience, map, actors, alerts, forecast, actions, the frozen snapshot, its audit and notifications)
 * next to the bare aggregate SQL behind it, in the same run: the same counts and tolls (this week by state and region,
 * the 12 weeks before by state, region and day, and the two actor sides), written as plain GROUP BY queries over the
 * incidents table with the audience's rule spelled out, none of Vigie's machinery (no rollups, no services).
 * Goal: ratio ≤ 1.5.
 *
 *   node --conditions=vigie-source --import tsx bench/sitrep.bench.ts --size N --engine sqlite|postgres [--requests N]
 */
import { isoWeekOf, sitrepShift } from '@vigie/domain';
import { sql } from 'kysely';
import type { Engine, EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { computeFigures, reportQueries } from '../apps/server/src/services/sitrep/sitrep-figures.js';
import { audiencePrincipal } from '../apps/server/src/services/strategy/strategy.evaluation.service.js';
import { generateSitrep } from '../apps/server/src/services/sitrep/sitrep.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { benchArgs } from './lib/args.js';
import { BareRows } from './lib/bare-rows.js';
import { seedIncidents } from './lib/bulk-seed.js';
import { benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

async function load(engine: Engine, rows: BareRows, size: number): Promise<void> {
  const t0 = now();
  const rate = (done: number) => `${Math.round(done / ((now() - t0) / 1000)).toLocaleString('en-US')} rows/s`;
  await seedIncidents(engine, (i, at) => rows.values(i, at), size, {
    each: (done) => {
      if (done % 200_000 === 0 || done === size) log(`written ${done.toLocaleString('en-US')}/${size.toLocaleString('en-US')} (${rate(done)})`);
    },
  });
  log(`loaded with indexes and rollups in ${((now() - t0) / 1000).toFixed(0)} s (${rate(size)})`);
}

/** READERS_PER_ORG readers of each organisation, all told of each new report (what a deployment's notification costs). */
const READERS_PER_ORG = 20;
async function addReaders(engine: Engine, orgs: string[]): Promise<number> {
  const at = new Date().toISOString();
  const users = orgs.flatMap((org) => Array.from({ length: READERS_PER_ORG }, (_, k) => ({
    id: `00000000-0000-7000-8000-${(orgs.indexOf(org) * 1000 + k).toString(16).padStart(12, '0')}`, login: `reader-${org.toLowerCase()}-${k}`,
    display_name: null, organisation: org, role: ['analyst', 'focal_point', 'decision_maker', 'confederation_analyst'][k % 4] as string, clearance: 1 + (k % 3),
    password_hash: 'x', totp_secret: null, totp_enabled: 0, disabled: 0, locale: 'fr', created_at: at, last_login_at: null, locked_until: null, totp_last_step: null,
  })));
  await engine.db.insertInto('users').values(users).execute();
  return users.length;
}

const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The audience's rule as plain SQL: validated, up to « restricted », shared with the confederation (or public). */
const AUDIENCE = sql`status = 'validated' and classification_level <= 1 and sharing_scope in ('confederation', 'public')`;

/** The bare queries: the same groups as the report's aggregates, straight SQL over `incidents`. */
async function bare(engine: Engine, q: ReturnType<typeof reportQueries>) {
  const range = (from: string, to: string) => sql`occurred_start >= ${`${from}T00:00:00.000Z`} and occurred_start < ${`${dayAfter(to)}T00:00:00.000Z`}`;
  const sums = sql`count(*) as incidents, sum(fatalities_best) as fatalities, sum(civilian_fatalities) as civilian_fatalities, sum(injured) as injured, sum(abducted) as abducted`;
  return Promise.all([
    sql`select reporting_state, admin1_code, ${sums} from incidents where ${AUDIENCE} and ${range(q.from, q.to)} group by reporting_state, admin1_code`.execute(engine.db),
    sql`select reporting_state, admin1_code, substr(occurred_start, 1, 10) as day, ${sums} from incidents where ${AUDIENCE} and ${range(q.historyFrom, q.historyTo)} group by reporting_state, admin1_code, substr(occurred_start, 1, 10)`.execute(engine.db),
    sql`select actor1, count(*) as incidents, sum(fatalities_best) as fatalities from incidents where ${AUDIENCE} and ${range(q.from, q.to)} and actor1 is not null group by actor1`.execute(engine.db),
    sql`select actor2, count(*) as incidents, sum(fatalities_best) as fatalities from incidents where ${AUDIENCE} and ${range(q.from, q.to)} and actor2 is not null group by actor2`.execute(engine.db),
  ]);
}

async function runEngine(kind: EngineKind, size: number, requests: number): Promise<Figure[]> {
  const reference = loadReferenceConfig();
  const db = await freshDatabase(kind);
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, synth);
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents`);
    await load(db.engine, rows, size);
    const ctx = createContext(db.engine, reference, testKeys());
    const readers = await addReaders(db.engine, ['CONF', ...reference.states.map((s) => s.code)]);
    // The last full ISO week of the data, reported as the schedule would (the day after the data's last day).
    const week = sitrepShift('week', isoWeekOf(syntheticDate(0)), 1);
    const reportDay = new Date(`${dayAfter(syntheticDate(0))}T06:00:00Z`);
    const q = reportQueries('week', week);
    const vigie = () => generateSitrep(ctx, SYSTEM, { period: week }, reportDay);
    const base = () => bare(db.engine, q);
    const sample = await vigie();
    const [current] = await base();
    const bareTotal = (current.rows as { incidents: number | string }[]).reduce((n, r) => n + Number(r.incidents), 0);
    log(`${week}: report ${sample.totals.incidents} incidents (each generation tells ${readers} readers), bare SQL ${bareTotal}${sample.totals.incidents === bareTotal ? ' (equal)' : ' (DIFFERENT)'}`);
    if (sample.totals.incidents !== bareTotal) throw new Error('the report and the bare queries disagree');
    for (let i = 0; i < 2; i++) {
      await vigie();
      await base();
    }
    // Also the figures alone (what the report reads, without storing, auditing and notifying).
    const figures = () => computeFigures(ctx, audiencePrincipal('CONF', 1), 'week', week, reportDay);
    const tv: number[] = [];
    const tf: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < requests; i++) {
      let t = now();
      await vigie();
      tv.push(now() - t);
      t = now();
      await figures();
      tf.push(now() - t);
      t = now();
      await base();
      tb.push(now() - t);
    }
    return [50, 95].flatMap((p) => [
      figure({ workload: 'sitrep_generate_weekly', engine: kind, metric: `p${p}_ms`, vigie: percentile(tv, p), baseline: percentile(tb, p), unit: 'ms', size }),
      figure({ workload: 'sitrep_figures_weekly', engine: kind, metric: `p${p}_ms`, vigie: percentile(tf, p), baseline: percentile(tb, p), unit: 'ms', size }),
    ]);
  } finally {
    await db.drop();
  }
}

const args = benchArgs();
const requests = process.argv.includes('--requests') ? args.requests : 10;
const goals: Record<string, Goal> = { 'sitrep_generate_weekly/p50_ms': { kind: 'max', ratio: 1.5 }, 'sitrep_generate_weekly/p95_ms': { kind: 'max', ratio: 1.5 } };
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, args.size, requests);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Situation report: generating the weekly report vs the bare aggregate SQL behind it (${args.size.toLocaleString('en-US')} incidents)`, all, goals);
