import { COLUMNS, headersOf, type Cell, type ExportRecord } from '../columns.js';
import type { ExportFormatWriter, ExportJob } from './format.js';

/** Rows per chunk handed to the response: large enough to keep the write calls few, small enough to stay constant. */
const CHUNK_ROWS = 200;

/**
 * One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break. Text that a spreadsheet
 * would run as a formula (=, +, -, @ first) is prefixed with an apostrophe (OWASP CSV injection); numbers, and plain
 * numbers written as text, are left as is.
 */
export function csvField(v: Cell, sep: string): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // A plain number written as text ("-1.63" in ACLED's columns) is not a formula: left as it is.
  const s = /^[=+\-@\t\r]/.test(v) && !/^[-+]?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (cells: readonly Cell[], sep: string) => `${cells.map((c) => csvField(c, sep)).join(sep)}\r\n`;

/** The separator chosen in the options. */
export const separatorOf = (job: ExportJob) => (job.options.delimiter === 'semicolon' ? ';' : ',');

/**
 * Writes the banner line (a bare comment line starting with "#", which csv readers skip with their comment option),
 * the given header rows, then the records, a chunk at a time.
 */
export async function* csvRows(rows: AsyncIterable<ExportRecord>, job: ExportJob, headerRows: readonly (readonly string[])[]): AsyncGenerator<string> {
  const sep = separatorOf(job);
  const comment = `# ${job.banner}`.replace(/[,;"\r\n]/g, ' ');
  let chunk = `${job.options.bom ? '\uFEFF' : ''}${comment}\r\n${headerRows.map((h) => csvLine(h, sep)).join('')}`;
  let n = 0;
  for await (const r of rows) {
    chunk += csvLine(COLUMNS.map((c) => c.value(r)), sep);
    if (++n % CHUNK_ROWS === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export const csvFormat: ExportFormatWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: '.csv',
  write: (rows, job) => csvRows(rows, job, [headersOf(job.options.headers)]),
};
