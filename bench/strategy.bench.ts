/**
 * Strategy follow-up at scale (default 1,000,000 synthetic incidents): recomputing every computed indicator of the demo
 * strategy (13 of 25, quarterly, over three years of validity) for every period and every state plus the
 * confederation, through the strategy service, next to the bare aggregate queries those indicators need (the same
 * GET /api/v1/aggregates queries the dashboards run, through the aggregates service), in the same run.
 * The cache is dropped before each recomputation (as after an incident changed): the figure is the cold cost.
 * Goal: ratio ≤ 1.5.
 *
 *   node --conditions=vigie-source --import tsx bench/strategy.bench.ts --size N --engine sqlite|postgres
 *
 * Rows are written straight into `incidents` (SQLite prepared statement, PostgreSQL COPY) with the rollup triggers on,
 * as in the aggregates benchmark.
 */
import { definitionSchema, type Definition } from '@vigie/domain';
import { sql } from 'kysely';
import type { Engine, EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { getStrategyRow, listStrategyRows } from '../apps/server/src/repositories/strategy.repository.js';
import { aggregateIncidents } from '../apps/server/src/services/aggregate.service.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { createContext } from '../apps/server/src/services/context.js';
import { seedDemoStrategy } from '../apps/server/src/services/demo/demo-strategy.js';
import type { Principal } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { computeAllIndicators, indicatorPeriods } from '../apps/server/src/services/strategy/strategy.progress.service.js';
import { strategyTree } from '../apps/server/src/services/strategy/strategy.service.js';
import { aggregateQueryOf, clearComputedCache, definitionFilters } from '../apps/server/src/services/strategy/compute.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { benchArgs } from './lib/args.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

/** The reader of the ministers' report: the joint staff's analyst, cleared to confidential. */
const READER: Principal = { kind: 'user', userId: null, login: 'bench', organisation: 'CONF', role: 'confederation_analyst', clearance: 2 };

async function load(engine: Engine, rows: BareRows, size: number): Promise<void> {
  const t0 = now();
  await bareLoad(bareDriver(engine), (i, at) => rows.values(i, at), size, {
    chunk: 100_000,
    searchIndex: false,
    each: (done) => {
      if (done % 200_000 === 0 || done === size) log(`loaded ${done.toLocaleString('en-US')}/${size.toLocaleString('en-US')} (${Math.round(done / ((now() - t0) / 1000)).toLocaleString('en-US')} rows/s)`);
    },
  });
  if (engine.kind === 'postgres') await sql`vacuum analyze`.execute(engine.db);
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
    // The demo strategy, valid from the year before the data's last day to the year after.
    const end = new Date(`${syntheticDate(0)}T12:00:00Z`);
    const t0 = now();
    await seedDemoStrategy(ctx, { endDate: end, seed: 1 });
    log(`demo strategy seeded in ${Math.round(now() - t0)} ms`);
    const row = await getStrategyRow(db.engine.db, (await listStrategyRows(db.engine.db, 3))[0]?.id ?? '');
    if (!row) throw new Error('no strategy');
    const tree = await strategyTree(ctx, db.engine.db, row);
    const indicators = tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators));
    const computed = indicators.filter((i) => i.source === 'computed' && i.definition);
    // The bare aggregate queries behind them: one per distinct (filter, frequency), over the validity up to the data's end.
    const last = row.valid_to < syntheticDate(0) ? row.valid_to : new Date().toISOString().slice(0, 10);
    const queries = new Map<string, Record<string, unknown>>();
    for (const i of computed) {
      for (const f of definitionFilters(definitionSchema.parse(i.definition) as Definition)) {
        const q = aggregateQueryOf(f, i.frequency, row.valid_from, last);
        queries.set(JSON.stringify(q), q);
      }
    }
    const cells = computed.reduce((n, i) => n + indicatorPeriods(row, i.frequency).length * (reference.states.length + 1), 0);
    log(`${computed.length} computed indicators, ${cells} values (period × state), ${queries.size} distinct aggregate queries`);

    const vigie = async () => {
      clearComputedCache(ctx);
      return computeAllIndicators(ctx, READER, tree, computed);
    };
    const base = async () => Promise.all([...queries.values()].map((q) => aggregateIncidents(ctx, READER, q)));
    const sample = await vigie();
    log(`sample: I07 civilian fatalities per quarter (confederation) ${[...(sample.get(computed.find((i) => i.code === 'I07')?.id ?? '')?.values() ?? [])].map((m) => m.get('')).join(', ')}`);
    for (let i = 0; i < 3; i++) {
      await vigie();
      await base();
    }
    const tv: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < requests; i++) {
      let t = now();
      await vigie();
      tv.push(now() - t);
      t = now();
      await base();
      tb.push(now() - t);
    }
    return [50, 95].map((p) => figure({ workload: 'strategy_recompute_all_indicators', engine: kind, metric: `p${p}_ms`, vigie: percentile(tv, p), baseline: percentile(tb, p), unit: 'ms', size }));
  } finally {
    await db.drop();
  }
}

const args = benchArgs();
const requests = process.argv.includes('--requests') ? args.requests : 20;
const goals: Record<string, Goal> = { 'strategy_recompute_all_indicators/p50_ms': { kind: 'max', ratio: 1.5 }, 'strategy_recompute_all_indicators/p95_ms': { kind: 'max', ratio: 1.5 } };
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, args.size, requests);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`Strategy: recomputing every computed indicator for every period and state vs the bare aggregate queries (${args.size.toLocaleString('en-US')} incidents)`, all, goals);
