import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText, INCIDENT_COLUMNS, type BareValue } from './bare-rows.js';
import type { Bare } from './engines.js';

export interface BareLoadOptions {
  /** Rows per transaction: all of them in one by default (the ingest baseline); bulk set-ups commit every chunk. */
  chunk?: number;
  /** Also fill SQLite's search index, as the service does (default); set-ups for aggregate queries may skip it. */
  searchIndex?: boolean;
  /** The table written to: `incidents` (default: set-ups that the service then reads) or a plain table of the baseline's. */
  table?: string;
  /** Called with each row's values once written (e.g. to copy it into DuckDB). */
  onRow?: (values: BareValue[]) => void;
  /** Called every 10,000 rows and at the end (progress, memory samples). */
  each?: (done: number) => void;
}

const EVERY = 10_000;

/**
 * Writes rows 0..size-1 straight into `incidents` (or `options.table`): a prepared statement per row on SQLite, COPY on PostgreSQL.
 * `values(i, at)` gives row i's column values (INCIDENT_COLUMNS order); `at` is the load's timestamp.
 */
export async function bareLoad(
  bare: Bare,
  values: (i: number, at: string) => BareValue[],
  size: number,
  options: BareLoadOptions = {},
): Promise<void> {
  const { chunk = size, table = 'incidents', onRow, each = () => undefined } = options;
  const searchIndex = table === 'incidents' && (options.searchIndex ?? true);
  const at = new Date().toISOString();
  const row = (i: number) => {
    const v = values(i, at);
    onRow?.(v);
    if ((i + 1) % EVERY === 0 || i + 1 === size) each(i + 1);
    return v;
  };
  if (bare.kind === 'sqlite') {
    const insert = bare.raw.prepare(`insert into ${table} (${INCIDENT_COLUMNS.join(', ')}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
    const index = bare.raw.prepare('insert into incident_search(rowid, body) values (?, ?)');
    const searchText = INCIDENT_COLUMNS.indexOf('search_text');
    for (let from = 0; from < size; from += chunk) {
      bare.raw.transaction(() => {
        for (let i = from; i < Math.min(size, from + chunk); i++) {
          const v = row(i);
          const { lastInsertRowid } = insert.run(v);
          if (searchIndex) index.run(lastInsertRowid, v[searchText]);
        }
      })();
    }
    return;
  }
  const client = await bare.pool.connect();
  try {
    for (let from = 0; from < size; from += chunk) {
      const to = Math.min(size, from + chunk);
      await client.query('begin');
      async function* lines() {
        for (let b = from; b < to; b += 1000) {
          let text = '';
          for (let i = b; i < Math.min(to, b + 1000); i++) text += row(i).map(copyText).join('\t') + '\n';
          yield text;
        }
      }
      await pipeline(Readable.from(lines()), client.query(copyFrom(`copy ${table} (${INCIDENT_COLUMNS.join(', ')}) from stdin`)));
      await client.query('commit');
    }
  } finally {
    client.release();
  }
}
