import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { BareRows, copyText, INCIDENT_COLUMNS } from './bare-rows.js';
import type { Bare } from './engines.js';

/**
 * Writes rows 0..size-1 straight into `incidents` (and SQLite's search index) in one transaction: a prepared
 * statement per row on SQLite, COPY on PostgreSQL. `each` runs every few thousand rows (progress, memory samples).
 */
export async function bareLoad(bare: Bare, rows: BareRows, size: number, each: (done: number) => void = () => undefined): Promise<void> {
  const at = new Date().toISOString();
  if (bare.kind === 'sqlite') {
    const insert = bare.raw.prepare(`insert into incidents (${INCIDENT_COLUMNS.join(', ')}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
    const index = bare.raw.prepare('insert into incident_search(rowid, body) values (?, ?)');
    const searchText = INCIDENT_COLUMNS.indexOf('search_text');
    bare.raw.transaction(() => {
      for (let i = 0; i < size; i++) {
        const values = rows.values(i, at);
        const { lastInsertRowid } = insert.run(values);
        index.run(lastInsertRowid, values[searchText]);
        if (i % 10_000 === 9_999) each(i + 1);
      }
    })();
    return;
  }
  const client = await bare.pool.connect();
  try {
    await client.query('begin');
    const chunk = 1000;
    async function* lines() {
      for (let from = 0; from < size; from += chunk) {
        let text = '';
        for (let i = from; i < Math.min(size, from + chunk); i++) text += rows.values(i, at).map(copyText).join('\t') + '\n';
        each(Math.min(size, from + chunk));
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), client.query(copyFrom(`copy incidents (${INCIDENT_COLUMNS.join(', ')}) from stdin`)));
    await client.query('commit');
  } finally {
    client.release();
  }
}
