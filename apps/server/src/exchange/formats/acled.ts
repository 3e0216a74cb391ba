import { ACLED_COLUMNS, toAcledRow } from '../acled.js';
import { csvLine, separatorOf } from './csv.js';
import type { ExportFormatWriter } from './format.js';

/** Rows per chunk handed to the response (as the other CSV writers). */
const CHUNK_ROWS = 200;

/**
 * ACLED-compatible CSV: ACLED's column names, order and codes (exchange/acled.ts, docs/acled-mapping.md), after the
 * classification banner as a `#` comment line (which `vigie import acled` and csv readers with a comment option skip).
 */
export const acledFormat: ExportFormatWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: '.acled.csv',
  async *write(rows, job) {
    if (!job.acled) throw new Error('the ACLED export needs the reference data (job.acled)');
    const sep = separatorOf(job);
    let chunk = `${job.options.bom ? '\uFEFF' : ''}${`# ${job.banner}`.replace(/[,;"\r\n]/g, ' ')}\r\n${csvLine(ACLED_COLUMNS, sep)}`;
    let n = 0;
    for await (const page of rows) for (const r of page) {
      const row = toAcledRow(r, job.acled);
      chunk += csvLine(ACLED_COLUMNS.map((c) => row[c]), sep);
      if (++n % CHUNK_ROWS === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  },
};
