/**
 * Ingest and list at scale (default 1,000,000 synthetic incidents), on every engine, each next to a bare-driver
 * baseline measured in the same process:
 *  (a) validated ingest through the service layer (importIncidents, batched, SYSTEM) vs the bare driver inserting the
 *      same rows into a plain table in one transaction (SQLite prepared statement; PostgreSQL COPY), rows/s; dates
 *      spread at random over three years, or with `--order date` ascending (figure `ingest-date-order`, no list);
 *  (b) a filtered list page (50 rows, 3 filters, as an analyst) through the service vs the same page by hand-written
 *      SQL plus JSON serialisation, p50 and p95;
 *  (c) peak RSS of each side.
 * See bench/README.md.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReferenceConfig } from '@vigie/domain';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { listIncidents } from '../apps/server/src/services/incidents/incident-reads.js';
import { SYSTEM, type Principal } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../apps/server/src/test-support/factories.js';
import { benchArgs, type BenchArgs } from './lib/args.js';
import { bareList, shapeQuery, type ListQuery, type ListShape } from './lib/bare-list.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows, copyText, INCIDENT_COLUMNS } from './lib/bare-rows.js';
import { bareDriver, benchEngines, type Bare } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile, RssPeak, settle } from './lib/stats.js';
import { SyntheticIncidents, syntheticDate } from './lib/synthetic.js';

const GOALS: Record<string, Goal> = {
  'ingest/rows_per_s': { kind: 'min', ratio: 0.5 },
  'ingest-date-order/rows_per_s': { kind: 'min', ratio: 0.5 },
  'list/p95_ms': { kind: 'max', ratio: 2 },
  'list-unaudited/p95_ms': { kind: 'max', ratio: 2 },
  'list-state/p95_ms': { kind: 'max', ratio: 2 },
  'list-period/p95_ms': { kind: 'max', ratio: 2 },
  'list-all/p95_ms': { kind: 'max', ratio: 2 },
  'list-fatalities/p95_ms': { kind: 'max', ratio: 2 },
  'list-review/p95_ms': { kind: 'max', ratio: 2 },
};

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

function progress(label: string, total: number): (done: number) => void {
  let next = 0;
  const t0 = now();
  return (done) => {
    if (done < next && done < total) return;
    next = done + Math.max(1, Math.floor(total / 10));
    log(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round((done / ((now() - t0) / 1000 || 1))).toLocaleString('en-US')} rows/s)`);
  };
}

/**
 * (a) baseline: the bare engine doing the user-visible job — storing the same rows — with none of Vigie's machinery:
 * a plain table with the incidents table's columns (made by `create table … as select … where 1 = 0`: no key, index,
 * trigger, rollup or search index), written in one transaction by a prepared statement (SQLite) or COPY (PostgreSQL).
 */
async function bareIngest(kind: EngineKind, reference: ReferenceConfig, synth: SyntheticIncidents, size: number): Promise<{ rowsPerS: number; rssMiB: number }> {
  const db = await freshDatabase(kind);
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const rows = await BareRows.prepare(db.engine, reference, synth);
    const bare = bareDriver(db.engine);
    const plain = `create table bare_incidents as select ${INCIDENT_COLUMNS.join(', ')} from incidents where 1 = 0`;
    if (bare.kind === 'sqlite') bare.raw.exec(plain);
    else await bare.pool.query(plain);
    settle();
    const rss = new RssPeak();
    const tick = progress(`${kind} bare ingest`, size);
    const t0 = now();
    await bareLoad(bare, (i, at) => rows.values(i, at), size, {
      table: 'bare_incidents',
      each: (done) => {
        rss.sample();
        tick(done);
      },
    });
    const seconds = (now() - t0) / 1000;
    return { rowsPerS: size / seconds, rssMiB: rss.mib };
  } finally {
    await db.drop();
  }
}

/**
 * (a) baseline again, interleaved with the service ingest: the same plain table and the same ONE transaction, kept open
 * while the rows are written a chunk at a time, each chunk timed just before the service batch of the same rows, and the
 * commit timed at the end. On a shared machine whose load changes by the minute, both sides then meet the same load;
 * the ratio is taken from this one (the sequential run above gives the baseline's peak memory).
 */
async function interleavedBare(kind: EngineKind, reference: ReferenceConfig, synth: SyntheticIncidents) {
  const db = await freshDatabase(kind);
  await migrateToLatest(db.engine);
  await syncReferenceData(db.engine, reference);
  const rows = await BareRows.prepare(db.engine, reference, synth);
  const bare = bareDriver(db.engine);
  const plain = `create table bare_incidents as select ${INCIDENT_COLUMNS.join(', ')} from incidents where 1 = 0`;
  const at = new Date().toISOString();
  let ms = 0;
  const timed = async (f: () => unknown) => {
    const t0 = now();
    await f();
    ms += now() - t0;
  };
  if (bare.kind === 'sqlite') {
    bare.raw.exec(plain);
    const insert = bare.raw.prepare(`insert into bare_incidents (${INCIDENT_COLUMNS.join(', ')}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
    bare.raw.exec('begin');
    return {
      chunk: (from: number, to: number) => timed(() => {
        for (let i = from; i < to; i++) insert.run(rows.values(i, at));
      }),
      commit: () => timed(() => bare.raw.exec('commit')),
      get ms() { return ms; },
      drop: () => db.drop(),
    };
  }
  await bare.pool.query(plain);
  const client: pg.PoolClient = await bare.pool.connect();
  await client.query('begin');
  async function* lines(from: number, to: number) {
    for (let b = from; b < to; b += 1000) {
      let text = '';
      for (let i = b; i < Math.min(to, b + 1000); i++) text += rows.values(i, at).map(copyText).join('\t') + '\n';
      yield text;
    }
  }
  return {
    chunk: (from: number, to: number) => timed(() => pipeline(Readable.from(lines(from, to)), client.query(copyFrom(`copy bare_incidents (${INCIDENT_COLUMNS.join(', ')}) from stdin`)))),
    commit: () => timed(() => client.query('commit')),
    get ms() { return ms; },
    drop: async () => {
      client.release();
      await db.drop();
    },
  };
}

/** (b) list page latency, service vs bare, interleaved request by request on the same database. */
async function listLatency(
  bare: Bare, kind: EngineKind, run: (q: ListQuery) => Promise<string[]>, reader: Principal, states: string[], requests: number,
  recordRead?: (ids: string[]) => Promise<void>, shape: ListShape = 'state-type-period',
) {
  const { text, params: bound, count } = bareList(kind, shape);
  const countStmt = bare.kind === 'sqlite' && count ? bare.raw.prepare(count.text) : null;
  const listQuery = (i: number, s: readonly string[], date: (d: number) => string): ListQuery => shapeQuery(shape, i, s, date);
  const stmt = bare.kind === 'sqlite' ? bare.raw.prepare(text) : null;
  const params = (q: ListQuery) => bound(q, reader);
  const bareRun = async (q: ListQuery): Promise<string[]> => {
    const rows = (bare.kind === 'sqlite' && stmt ? stmt.all(params(q)) : bare.kind === 'postgres' ? (await bare.pool.query(text, params(q))).rows : []) as { id: string; classification_level: number }[];
    const page = rows.slice(0, 50);
    // A page that asks for its total (the review queue) counts it too.
    const total = !count ? undefined : bare.kind === 'sqlite' && countStmt
      ? Number((countStmt.get(count.params(q, reader)) as { n: number }).n)
      : bare.kind === 'postgres' ? Number((await bare.pool.query<{ n: string }>(count.text, count.params(q, reader))).rows[0]?.n) : undefined;
    const classified = page.filter((r) => r.classification_level >= 2).map((r) => r.id);
    if (recordRead && classified.length) await recordRead(classified);
    JSON.stringify({ items: page, next_cursor: rows.length > 50 ? page.at(-1)?.id ?? null : null, ...(total === undefined ? {} : { total }) });
    return page.map((r) => r.id);
  };
  // The two sides must return the same page, or the comparison means nothing.
  for (let i = 0; i < 6; i++) {
    const [a, b] = [await run(listQuery(i, states, syntheticDate)), await bareRun(listQuery(i, states, syntheticDate))];
    if (a.join() !== b.join()) throw new Error(`list pages differ for ${JSON.stringify(listQuery(i, states, syntheticDate))}: ${a.length} vs ${b.length} rows`);
    if (i === 0) log(`${kind} list: ${a.length} rows on the first page`);
  }
  for (let i = 0; i < 20; i++) {
    await run(listQuery(i, states, syntheticDate));
    await bareRun(listQuery(i, states, syntheticDate));
  }
  const vigie: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < requests; i++) {
    const q = listQuery(i, states, syntheticDate);
    const vigieSide = async () => {
      const t0 = now();
      await run(q);
      vigie.push(now() - t0);
    };
    const bareSide = async () => {
      const t0 = now();
      await bareRun(q);
      baseline.push(now() - t0);
    };
    // Whichever side reads a page second finds its rows in the connection's cache (SQLite's page cache, PostgreSQL's
    // shared buffers): each side goes first every other request, so that neither always reads warm.
    if (i % 2 === 0) {
      await vigieSide();
      await bareSide();
    } else {
      await bareSide();
      await vigieSide();
    }
  }
  return { vigie, baseline };
}

/** (b) on a loaded database: the list page for a reader cleared for confidential records, then for one who is not. */
async function listFigures(t: TestVigie, kind: EngineKind, args: BenchArgs, reference: ReferenceConfig): Promise<Figure[]> {
  const driver = bareDriver(t.engine);
  // Statistics and the visibility map as autovacuum would soon leave them, so that both sides run on a settled
  // database (without the map, an index-only scan visits every row's heap page: a count of the reports under review at
  // 1,000,000 took 236 ms on a table never vacuumed).
  if (driver.kind === 'postgres') await driver.pool.query('vacuum analyze');
  // Cleared for confidential records: most pages hold some, and each such read is audited (a write per request).
  const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'analyste.bench' });
  // Cleared up to restricted: no read to audit, so the figure shows the read path alone.
  const junior = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'analyste.junior.bench' });
  const runAs = (reader: Principal) => async (q: ListQuery) => {
    const page = await listIncidents(t.ctx, reader, q);
    JSON.stringify(page);
    return page.items.map((i) => i.id);
  };
  const states = reference.states.map((s) => s.code);
  const lat = await listLatency(driver, kind, runAs(analyst), analyst, states, args.requests);
  const unaudited = await listLatency(driver, kind, runAs(junior), junior, states, args.requests);
  // The floor of an audited read: the bare page, then the bare driver recording the read of its classified rows
  // durably (one row into a plain table, committed on its own: SQLite's synchronous=FULL, PostgreSQL's synchronous commit).
  const reads = `create table bare_reads (at text not null, reader text not null, ids text not null)`;
  let recordRead: (ids: string[]) => Promise<void>;
  if (driver.kind === 'sqlite') {
    driver.raw.exec(reads);
    const insert = driver.raw.prepare('insert into bare_reads (at, reader, ids) values (?, ?, ?)');
    recordRead = async (ids) => void insert.run(new Date().toISOString(), analyst.login, JSON.stringify(ids));
  } else {
    const pool = driver.pool;
    await pool.query(reads);
    recordRead = async (ids) => void await pool.query('insert into bare_reads (at, reader, ids) values ($1, $2, $3)', [new Date().toISOString(), analyst.login, JSON.stringify(ids)]);
  }
  const floor = await listLatency(driver, kind, runAs(analyst), analyst, states, args.requests, recordRead);
  // A state alone, newest first (a state's analysts' usual view), read path alone (the reader cleared up to restricted).
  const byState = await listLatency(driver, kind, runAs(junior), junior, states, args.requests, undefined, 'state');
  // No state to seek on: a period alone, and no filter at all (the list as a confederation reader first opens it).
  const byPeriod = await listLatency(driver, kind, runAs(junior), junior, states, args.requests, undefined, 'period');
  const unfiltered = await listLatency(driver, kind, runAs(junior), junior, states, args.requests, undefined, 'all');
  // The same, highest toll first.
  const byToll = await listLatency(driver, kind, runAs(junior), junior, states, args.requests, undefined, 'fatalities');
  // The review queue as its page asks for it: the state's reports awaiting review, highest toll first, with their total.
  const review = await listLatency(driver, kind, runAs(junior), junior, states, args.requests, undefined, 'review');
  const common = { engine: kind, size: args.size };
  return [
    figure({ ...common, workload: 'list', metric: 'p50_ms', vigie: percentile(lat.vigie, 50), baseline: percentile(lat.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list', metric: 'p95_ms', vigie: percentile(lat.vigie, 95), baseline: percentile(lat.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-unaudited', metric: 'p50_ms', vigie: percentile(unaudited.vigie, 50), baseline: percentile(unaudited.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-unaudited', metric: 'p95_ms', vigie: percentile(unaudited.vigie, 95), baseline: percentile(unaudited.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-durable-bare', metric: 'p50_ms', vigie: percentile(floor.vigie, 50), baseline: percentile(floor.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-durable-bare', metric: 'p95_ms', vigie: percentile(floor.vigie, 95), baseline: percentile(floor.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-state', metric: 'p50_ms', vigie: percentile(byState.vigie, 50), baseline: percentile(byState.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-state', metric: 'p95_ms', vigie: percentile(byState.vigie, 95), baseline: percentile(byState.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-period', metric: 'p50_ms', vigie: percentile(byPeriod.vigie, 50), baseline: percentile(byPeriod.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-period', metric: 'p95_ms', vigie: percentile(byPeriod.vigie, 95), baseline: percentile(byPeriod.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-all', metric: 'p50_ms', vigie: percentile(unfiltered.vigie, 50), baseline: percentile(unfiltered.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-all', metric: 'p95_ms', vigie: percentile(unfiltered.vigie, 95), baseline: percentile(unfiltered.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-fatalities', metric: 'p50_ms', vigie: percentile(byToll.vigie, 50), baseline: percentile(byToll.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-fatalities', metric: 'p95_ms', vigie: percentile(byToll.vigie, 95), baseline: percentile(byToll.baseline, 95), unit: 'ms' }),
    figure({ ...common, workload: 'list-review', metric: 'p50_ms', vigie: percentile(review.vigie, 50), baseline: percentile(review.baseline, 50), unit: 'ms' }),
    figure({ ...common, workload: 'list-review', metric: 'p95_ms', vigie: percentile(review.vigie, 95), baseline: percentile(review.baseline, 95), unit: 'ms' }),
  ];
}

/**
 * `--list-only`: (b) alone, the incidents written by the bare loader (the list reads only the incidents table), for a
 * list figure at a size whose service ingest would take an hour on a busy machine.
 */
async function benchListOnly(kind: EngineKind, args: BenchArgs, reference: ReferenceConfig, synth: SyntheticIncidents): Promise<Figure[]> {
  const t = await testVigie(kind);
  try {
    log(`${kind}: loading ${args.size.toLocaleString('en-US')} incidents with the bare loader (--list-only)`);
    const rows = await BareRows.prepare(t.engine, reference, synth);
    await bareLoad(bareDriver(t.engine), (i, at) => rows.values(i, at), args.size);
    return await listFigures(t, kind, args, reference);
  } finally {
    await t.drop();
  }
}

async function benchEngine(kind: EngineKind, args: BenchArgs, reference: ReferenceConfig, synth: SyntheticIncidents, dateOrder = false): Promise<Figure[]> {
  const { size, batch } = args;
  const ingest = dateOrder ? 'ingest-date-order' : 'ingest';
  log(`${kind}: bare-driver ingest of ${size.toLocaleString('en-US')} rows`);
  const bare = await bareIngest(kind, reference, synth, size);
  log(`${kind}: bare ingest ${Math.round(bare.rowsPerS).toLocaleString('en-US')} rows/s`);

  settle();
  const t = await testVigie(kind);
  const interleaved = await interleavedBare(kind, reference, synth);
  try {
    const rss = new RssPeak();
    const tick = progress(`${kind} service ingest`, size);
    let importMs = 0;
    for (let from = 0; from < size; from += batch) {
      const items = synth.slice(from, Math.min(batch, size - from)).map((s) => ({
        input: s.input, options: { reportingState: s.reportingState, status: s.status, reporterId: null },
      }));
      await interleaved.chunk(from, from + items.length);
      const t0 = now();
      // The importers' bulk path (UCDP, ACLED): one audit entry per batch carrying a hash of its rows.
      const outcome = await importIncidents(t.ctx, SYSTEM, items, { batchAudit: 'synthetic' });
      importMs += now() - t0;
      if (outcome.rejected.length) throw new Error(`import rejected ${outcome.rejected.length} rows, first: ${JSON.stringify(outcome.rejected[0])}`);
      rss.sample();
      tick(from + items.length);
    }
    const vigieRowsPerS = size / (importMs / 1000);
    await interleaved.commit();
    const bareRowsPerS = size / (interleaved.ms / 1000);
    log(`${kind}: service ingest ${Math.round(vigieRowsPerS).toLocaleString('en-US')} rows/s; bare ingest interleaved with it ${Math.round(bareRowsPerS).toLocaleString('en-US')} rows/s`);
    await interleaved.drop();

    const vigieRss = rss.mib;
    const common = { engine: kind, size };
    return [
      figure({ ...common, workload: ingest, metric: 'rows_per_s', vigie: vigieRowsPerS, baseline: bareRowsPerS, unit: 'rows/s' }),
      // The list figures are the random order's (the run without --order date).
      ...(dateOrder ? [] : await listFigures(t, kind, args, reference)),
      figure({ ...common, workload: ingest, metric: 'peak_rss', vigie: vigieRss, baseline: bare.rssMiB, unit: 'MiB' }),
    ];
  } finally {
    await t.drop();
    await interleaved.drop().catch(() => undefined);
  }
}

const args = benchArgs();
const engines = benchEngines(args.engines);
const reference = loadReferenceConfig();
const synth = await SyntheticIncidents.create(reference);
const figures: Figure[] = [];
const listOnly = process.argv.includes('--list-only');
/** `--order date`: the same rows with ascending dates (SyntheticIncidents.inDateOrder), the ingest figures alone. */
const { dateOrder } = args;
for (const kind of engines) {
  const f = listOnly ? await benchListOnly(kind, args, reference, synth)
    : await benchEngine(kind, args, reference, dateOrder ? synth.inDateOrder(args.size) : synth, dateOrder);
  recordFigures(f);
  figures.push(...f);
}
printTable(`ingest-list — ${args.size.toLocaleString('en-US')} incidents (ratio = vigie / baseline)`, figures, GOALS);
