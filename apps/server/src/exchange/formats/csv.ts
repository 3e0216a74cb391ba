import { COLUMNS, headersOf, type Cell, type ExportRecord } from '../columns.js';
import type { ExportFormatWriter, ExportJob } from './format.js';
import type { ExportLineShape, LinePage } from '../../repositories/incident-export.repository.js';
import { utf8Chunk } from './utf8-chunk.js';

/** Rows per chunk handed to the response: large enough to keep the write calls few, small enough to stay constant. */
const CHUNK_ROWS = 1000;

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;
const NEEDS_QUOTES: Record<string, RegExp> = { ',': /[",\r\n]/, ';': /[";\r\n]/ };

/** A text field: apostrophe before a would-be formula, quoted when it holds the separator, a quote or a line break. */
function csvText(v: string, sep: string): string {
  // A plain number written as text ("-1.63" in ACLED's columns) is not a formula: left as it is.
  const s = v.length && FORMULA_START.has(v[0] as string) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
  return (NEEDS_QUOTES[sep] ?? new RegExp(`["${sep}\r\n]`)).test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break. Text that a spreadsheet
 * would run as a formula (=, +, -, @ first) is prefixed with an apostrophe (OWASP CSV injection); numbers, and plain
 * numbers written as text, are left as is.
 */
export function csvField(v: Cell, sep: string): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvText(v, sep);
}

export const csvLine = (cells: readonly Cell[], sep: string) => `${cells.map((c) => csvField(c, sep)).join(sep)}\r\n`;

/** The separator chosen in the options. */
export const separatorOf = (job: ExportJob) => (job.options.delimiter === 'semicolon' ? ';' : ',');

/**
 * A function writing one record's line (without its line break), built once per export: each column's value read and
 * written by the path its kind needs (numbers and booleans skip the text checks), into one reused array of cells joined
 * once (a flat string: no string built per field, nothing allocated per row but the cells' own text).
 */
function lineWriter(sep: string): (r: ExportRecord) => string {
  const cols = COLUMNS.map((c) => ({ value: c.value, text: c.kind === 'text' || c.kind === 'instant' }));
  const cells: string[] = cols.map(() => '');
  return (r) => {
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k] as (typeof cols)[number];
      const v = c.value(r);
      cells[k] = v === null ? '' : c.text && typeof v === 'string' ? csvText(v, sep) : csvField(v, sep);
    }
    return cells.join(sep);
  };
}

/** The banner line (a bare comment line starting with "#", which csv readers skip with their comment option) and the header rows. */
function csvTop(job: ExportJob, headerRows: readonly (readonly string[])[]): string {
  const sep = separatorOf(job);
  const comment = `# ${job.banner}`.replace(/[,;"\r\n]/g, ' ');
  return `${job.options.bom ? '\uFEFF' : ''}${comment}\r\n${headerRows.map((h) => csvLine(h, sep)).join('')}`;
}

/**
 * Writes the banner line, the given header rows, then the records, a chunk at a time.
 */
export async function* csvRows(rows: AsyncIterable<readonly ExportRecord[]>, job: ExportJob, headerRows: readonly (readonly string[])[]): AsyncGenerator<string | Buffer> {
  const line = lineWriter(separatorOf(job));
  yield csvTop(job, headerRows);
  // A chunk is its lines joined by line breaks, and one more after the last (the empty piece ending each chunk).
  let lines: string[] = [];
  for await (const page of rows) for (const r of page) {
    lines.push(line(r));
    if (lines.length === CHUNK_ROWS) {
      lines.push('');
      yield utf8Chunk(lines, '\r\n');
      lines = [];
    }
  }
  if (lines.length) {
    lines.push('');
    yield utf8Chunk(lines, '\r\n');
  }
}

/** The lines the database wrote for COLUMNS (incident-export.repository.ts), separated as the options say. */
export const csvLineShape = (job: ExportJob): ExportLineShape =>
  ({
    format: 'csv', sep: separatorOf(job), lang: job.options.headers, columns: COLUMNS.map((c) => ({ key: c.key, kind: c.kind })),
    // Latitude then longitude as csvField writes numbers (empty when missing); a line break after every line.
    layout: { between: '\r\n', after: '\r\n', point: { first: 'latitude', sep: separatorOf(job), missing: '' } },
  });

/** The same file as csvRows, from the lines the database wrote (csvLineShape): one chunk per page. */
export async function* csvLines(pages: AsyncIterable<LinePage>, job: ExportJob, headerRows: readonly (readonly string[])[]): AsyncGenerator<string | Buffer> {
  yield csvTop(job, headerRows);
  for await (const page of pages) yield page.chunk;
}

export const csvFormat: ExportFormatWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: '.csv',
  write: (rows, job) => csvRows(rows, job, [headersOf(job.options.headers)]),
  lines: { shape: csvLineShape, write: (rows, job) => csvLines(rows, job, [headersOf(job.options.headers)]) },
};
