import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { COLUMNS, headersOf } from '../columns.js';
import type { ExportFormatWriter } from './format.js';

/**
 * XLSX through exceljs' streaming workbook writer: each row is committed (written to the zip) as it comes, so the
 * workbook is never held whole. The banner is the sheet's first row and the document's title, subject and category
 * (the classification); instants are real spreadsheet dates (UTC), numbers are numbers.
 */
export const xlsxFormat: ExportFormatWriter = {
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  extension: '.xlsx',
  async *write(rows, job) {
    const out = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    wb.creator = job.metadata.exported_by;
    wb.created = new Date(job.metadata.exported_at);
    wb.title = job.banner;
    wb.subject = job.banner;
    wb.category = job.metadata.classification;
    wb.description = JSON.stringify(job.metadata);
    let stopped = false;
    const writing = (async () => {
      const sheet = wb.addWorksheet('Incidents');
      sheet.addRow([job.banner]).commit();
      sheet.addRow(headersOf(job.options.headers)).commit();
      let n = 0;
      for await (const page of rows) for (const r of page) {
        if (stopped) return;
        sheet.addRow(COLUMNS.map((c) => {
          const v = c.value(r);
          return c.kind === 'instant' && typeof v === 'string' ? new Date(v) : v;
        })).commit();
        // Backpressure: wait for the reader when the response's buffer is full.
        if (++n % 200 === 0 && out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      }
      sheet.commit();
      await wb.commit();
    })().catch((e: unknown) => out.destroy(e as Error));
    try {
      yield* out as AsyncIterable<Buffer>;
    } finally {
      // The reader went away (or the writing failed): stop pulling records.
      stopped = true;
      if (!out.destroyed) out.destroy();
      await writing;
    }
  },
};
