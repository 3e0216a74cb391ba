/**
 * How far the bulk import's goal (issue 16: ≥ 0.5× the bare engine writing the same rows into a plain table) can be
 * reached at all: the bare driver, with none of Vigie's code, writing the same rows as the ingest baseline and, in the
 * same run, doing no more than the least an import must leave consistent when it ends:
 *
 * - `ingest-floor-search`: the rows and their search index (SQLite: the same FTS5 table as Vigie's, filled row by row
 *   and, as `ingest-floor-search-set`, in one statement after the rows; PostgreSQL: the same generated tsvector column,
 *   its GIN index built once after the rows, which is cheaper than keeping it up to date);
 * - `ingest-floor-minimum`: the rows, their search index, the records' unique id and one change-log entry per record
 *   (issue 12) with its entity index — every index built once, after the rows, in the one transaction.
 *
 * Nothing else Vigie keeps is counted (rollups, history, the list's and the aggregates' indexes, the audit) and no row is
 * validated or placed: each figure is an upper bound for any implementation, Vigie's included. In each figure `vigie`
 * is that bound's rate and `baseline` the plain table's, measured one after the other in the same run, twice.
 * Then the two pieces of JavaScript an import cannot skip, per row, next to the plain insert's time per row: schema
 * validation of the record (the importers report every bad row with its field) and point-in-polygon placement.
 *
 *   node --conditions=vigie-source --import tsx --expose-gc bench/ingest-floor.bench.ts --size N --engine sqlite|postgres
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { incidentCreateSchema, safeParseInput } from '@vigie/domain';
import { from as copyFrom } from 'pg-copy-streams';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { Gazetteer } from '../apps/server/src/services/geography/geo.service.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { benchArgs } from './lib/args.js';
import { BareRows, copyText, INCIDENT_COLUMNS } from './lib/bare-rows.js';
import { bareDriver, benchEngines, type Bare } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure } from './lib/results.js';
import { now, settle } from './lib/stats.js';
import { SyntheticIncidents } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const COLUMNS = INCIDENT_COLUMNS.join(', ');
const SEARCH_TEXT = INCIDENT_COLUMNS.indexOf('search_text');
const ID = INCIDENT_COLUMNS.indexOf('id');
/** Vigie's own search index on SQLite (migration 20261129T1000-core). */
const FTS = `using fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`;
const LOG = (serial: string) => `(seq ${serial} primary key, entity_type text not null, entity_id text not null, op text not null, changed_at text not null)`;

type Rows = (i: number) => (string | number | null)[];

/** SQLite: rows/s of each way, each in one transaction of prepared statements. */
function sqliteWays(bare: Extract<Bare, { kind: 'sqlite' }>, rows: Rows, size: number): Record<string, number> {
  const r = bare.raw;
  const fresh = () => {
    r.exec('drop table if exists f_rows; drop table if exists f_search; drop table if exists f_log');
    r.exec(`create table f_rows as select ${COLUMNS} from incidents where 1 = 0; create virtual table f_search ${FTS}; create table f_log ${LOG('integer')}`);
    r.exec('pragma wal_checkpoint(truncate)');
    settle();
    return r.prepare(`insert into f_rows (${COLUMNS}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
  };
  const timed = (fn: () => void) => {
    const t0 = now();
    r.transaction(fn)();
    return size / ((now() - t0) / 1000);
  };
  const out: Record<string, number> = {};
  let insert = fresh();
  out.plain = timed(() => { for (let i = 0; i < size; i++) insert.run(rows(i)); });
  insert = fresh();
  const index = r.prepare('insert into f_search (rowid, body) values (?, ?)');
  out.search = timed(() => {
    for (let i = 0; i < size; i++) {
      const v = rows(i);
      index.run(insert.run(v).lastInsertRowid, v[SEARCH_TEXT]);
    }
  });
  insert = fresh();
  out['search-set'] = timed(() => {
    for (let i = 0; i < size; i++) insert.run(rows(i));
    r.exec('insert into f_search (rowid, body) select rowid, search_text from f_rows');
  });
  insert = fresh();
  const change = r.prepare(`insert into f_log (entity_type, entity_id, op, changed_at) values ('incident', ?, 'create', ?)`);
  const at = new Date().toISOString();
  out.minimum = timed(() => {
    for (let i = 0; i < size; i++) {
      const v = rows(i);
      insert.run(v);
      change.run(v[ID], at);
    }
    r.exec('insert into f_search (rowid, body) select rowid, search_text from f_rows');
    r.exec('create unique index f_rows_id on f_rows (id)');
    r.exec('create index f_log_entity on f_log (entity_type, entity_id)');
  });
  r.exec('drop table if exists f_rows; drop table if exists f_search; drop table if exists f_log');
  return out;
}

/** PostgreSQL: rows/s of each way, COPY in one transaction, what follows it in the same transaction. */
async function postgresWays(bare: Extract<Bare, { kind: 'postgres' }>, rows: Rows, size: number): Promise<Record<string, number>> {
  const client = await bare.pool.connect();
  try {
    const way = async (search: boolean, after: string[]) => {
      await client.query(`drop table if exists f_rows; drop table if exists f_log; create table f_rows as select ${COLUMNS} from incidents where 1 = 0;
        create table f_log ${LOG('bigserial')}`);
      // Vigie's own search column (migration 20261129T1000-core).
      if (search) await client.query(`alter table f_rows add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`);
      await client.query('checkpoint');
      settle();
      const t0 = now();
      await client.query('begin');
      async function* lines() {
        for (let b = 0; b < size; b += 1000) {
          let text = '';
          for (let i = b; i < Math.min(size, b + 1000); i++) text += rows(i).map(copyText).join('\t') + '\n';
          yield text;
        }
      }
      await pipeline(Readable.from(lines()), client.query(copyFrom(`copy f_rows (${COLUMNS}) from stdin`)));
      for (const statement of after) await client.query(statement);
      await client.query('commit');
      return size / ((now() - t0) / 1000);
    };
    const gin = 'create index f_rows_search on f_rows using gin (search_vector)';
    const out: Record<string, number> = {};
    out.plain = await way(false, []);
    out.search = await way(true, [gin]);
    out.minimum = await way(true, [gin, 'create unique index f_rows_id on f_rows (id)',
      `insert into f_log (entity_type, entity_id, op, changed_at) select 'incident', id, 'create', created_at from f_rows`,
      'create index f_log_entity on f_log (entity_type, entity_id)']);
    await client.query('drop table if exists f_rows; drop table if exists f_log');
    return out;
  } finally {
    client.release();
  }
}

async function runEngine(kind: EngineKind, size: number, synth: SyntheticIncidents): Promise<Figure[]> {
  const reference = loadReferenceConfig();
  const db = await freshDatabase(kind);
  try {
    await migrateToLatest(db.engine);
    await syncReferenceData(db.engine, reference);
    const prepared = await BareRows.prepare(db.engine, reference, synth);
    const at = new Date().toISOString();
    const rows: Rows = (i) => prepared.values(i, at);
    const bare = bareDriver(db.engine);
    const figures: Figure[] = [];
    const plainRates: number[] = [];
    for (let round = 1; round <= 2; round++) {
      log(`${kind}: round ${round}, ${size.toLocaleString('en-US')} rows each way`);
      const ways = bare.kind === 'sqlite' ? sqliteWays(bare, rows, size) : await postgresWays(bare, rows, size);
      const plain = ways.plain as number;
      plainRates.push(plain);
      log(`${kind}: ${Object.entries(ways).map(([k, v]) => `${k} ${Math.round(v).toLocaleString('en-US')} rows/s (${(v / plain).toFixed(2)})`).join('; ')}`);
      for (const [way, rate] of Object.entries(ways)) {
        if (way === 'plain') continue;
        figures.push(figure({ workload: `ingest-floor-${way}`, engine: kind, metric: 'rows_per_s', vigie: rate, baseline: plain, unit: 'rows/s', size }));
      }
    }
    // The JavaScript an import cannot skip, per row, on 100,000 of the same records (or all, if fewer).
    const n = Math.min(size, 100_000);
    const inputs = synth.slice(0, n).map((s) => s.input);
    const gazetteer = new Gazetteer(db.engine);
    await gazetteer.placeAt(14, -4, '2025-01-01');
    settle();
    let t0 = now();
    let valid = 0;
    for (const x of inputs) if (safeParseInput(incidentCreateSchema, x).success) valid++;
    if (valid !== n) throw new Error(`${n - valid} synthetic records fail validation`);
    const validation = ((now() - t0) * 1000) / n;
    t0 = now();
    for (const x of inputs) await gazetteer.placeAt(x.latitude as number, x.longitude as number, x.occurred_start);
    const placement = ((now() - t0) * 1000) / n;
    const plainUs = 1e6 / Math.max(...plainRates);
    log(`${kind}: per row, validation ${validation.toFixed(1)} µs, placement ${placement.toFixed(1)} µs; the plain insert ${plainUs.toFixed(1)} µs`);
    figures.push(
      figure({ workload: 'ingest-floor-validation', engine: kind, metric: 'us_per_row', vigie: validation, baseline: plainUs, unit: 'µs', size }),
      figure({ workload: 'ingest-floor-placement', engine: kind, metric: 'us_per_row', vigie: placement, baseline: plainUs, unit: 'µs', size }),
    );
    return figures;
  } finally {
    await db.drop();
  }
}

const args = benchArgs();
const synth = await SyntheticIncidents.create(loadReferenceConfig());
const all: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const figures = await runEngine(kind, args.size, synth);
  recordFigures(figures);
  all.push(...figures);
}
printTable(`The least an import must write, by the bare driver, vs the plain table (${args.size.toLocaleString('en-US')} rows; "vigie" = the bound)`, all);
