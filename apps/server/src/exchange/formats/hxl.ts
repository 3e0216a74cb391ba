import { COLUMNS, headersOf } from '../columns.js';
import { csvLines, csvLineShape, csvRows } from './csv.js';
import type { ExportFormatWriter } from './format.js';

/** The HXL hashtag row (HXL 1.1): one tag per column, empty where no core hashtag fits. */
export const hxlTags = () => COLUMNS.map((c) => c.hxl);

/**
 * HXL-tagged CSV (https://hxlstandard.org/standard/1-1final/): the text headers, then the hashtag row, then the data,
 * so HXL tools (HDX, the HXL Proxy, libhxl) read the columns by tag; the banner row above is ignored by them.
 */
export const hxlFormat: ExportFormatWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: '.hxl.csv',
  write: (rows, job) => csvRows(rows, job, [headersOf(job.options.headers), hxlTags()]),
  lines: { shape: csvLineShape, write: (rows, job) => csvLines(rows, job, [headersOf(job.options.headers), hxlTags()]) },
};
