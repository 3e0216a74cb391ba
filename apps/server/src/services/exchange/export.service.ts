import type { z } from 'zod';
import { AUDITED_READ_LEVEL, CLASSIFICATIONS, exportQuerySchema, parseInput, type ExportFormat, type IncidentFilter } from '@vigie/domain';
import { bannerText } from '../../exchange/banner.js';
import type { ExportRecord } from '../../exchange/columns.js';
import type { ExportJob, ExportMetadata } from '../../exchange/formats/format.js';
import { EXPORT_WRITERS } from '../../exchange/formats/index.js';
import { nowIso } from '../../lib/ids.js';
import { iterateExportLines, type ExportLineShape, type LinePage } from '../../repositories/incident-export.repository.js';
import { iterateVisibleIncidents, summarizeVisibleIncidents } from '../../repositories/incident.repository.js';
import { listActors, listAdminAreas } from '../../repositories/reference.repository.js';
import { acledReference } from '../imports/acled-import.service.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';

/** At most this many classified ids are named in an export's audit entry (the count is always exact). */
const AUDITED_IDS_MAX = 10_000;

export interface IncidentExport {
  format: ExportFormat;
  filename: string;
  contentType: string;
  /** How many records matched when the export started (the audit entry holds how many were written). */
  expected: number;
  /** The file, written as it is read; the audit entry is written when it ends (or is abandoned). */
  body: AsyncIterable<string | Buffer>;
  /** How many records the body has written so far. */
  written(): number;
}

/** How an export is run. */
export interface ExportOptions {
  /**
   * Aborted when the file's reader has gone (the HTTP client disconnected): no page is read after that. The body's
   * own return() cannot do it alone: it waits for the pending next() to settle, and a writer that reads several pages
   * per chunk it writes (XLSX's zip, GeoPackage's file written whole before its first byte) would read on until then.
   */
  signal?: AbortSignal;
  /** The writers by format (a test passes the record writers alone, the reference of the database-written lines). */
  writers?: typeof EXPORT_WRITERS;
  /**
   * Incidents per page read (the repositories' default when unset): a test makes it small to have a few hundred
   * incidents take dozens of reads (an abandoned export must stop reading).
   */
  windowSize?: number;
}

/**
 * An export of the incidents the reader may see that match the list's filters, in one of EXPORT_FORMATS: the same
 * SQL as the incident list (visibility and location coarsening included), read page by page as the file is written.
 * Every export is audited (`incident.export`: format, filters, count, the classified records it carried), once the
 * count is known, at the end of the stream.
 */
export async function exportIncidents(
  ctx: Ctx,
  principal: Principal,
  input: z.input<typeof exportQuerySchema> | z.output<typeof exportQuerySchema>,
  options: ExportOptions = {},
): Promise<IncidentExport> {
  const { writers = EXPORT_WRITERS, windowSize, signal } = options;
  requirePermission(principal, 'incident.export');
  const query = parseInput(exportQuerySchema, input);
  const { format, delimiter, bom, headers, ...rest } = query;
  const filter: IncidentFilter = rest;
  const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const writer = writers[format];
  const db = ctx.engine.db;
  const summary = await summarizeVisibleIncidents(ctx.engine, db, principal, filter);
  const exportedAt = nowIso();
  const metadata: ExportMetadata = {
    classification: CLASSIFICATIONS[summary.top ?? 0] ?? 'secret', exported_at: exportedAt, exported_by: principal.login,
    organisation: principal.organisation, clearance: principal.clearance, filters, view: 'reader',
  };

  let count = 0;
  let top = -1;
  let classifiedCount = 0;
  const classified: string[] = [];
  async function* records(): AsyncGenerator<ExportRecord[]> {
    const names = await referenceNames(ctx, headers);
    for await (const page of untilAborted(iterateVisibleIncidents(ctx.engine, principal, filter, windowSize), signal)) {
      for (const i of page) {
        const level = CLASSIFICATIONS.indexOf(i.classification);
        if (level > top) top = level;
        if (level >= AUDITED_READ_LEVEL && ++classifiedCount <= AUDITED_IDS_MAX) classified.push(i.id);
        // The page's objects are fresh: completed in place rather than copied (one object per row, not two).
        const r = i as ExportRecord;
        r.admin1_name = i.admin1_code ? names.areas.get(i.admin1_code) ?? null : null;
        r.admin2_name = i.admin2_code ? names.areas.get(i.admin2_code) ?? null : null;
        r.actor1_name = i.actor1 ? names.actors.get(i.actor1) ?? null : null;
        r.actor2_name = i.actor2 ? names.actors.get(i.actor2) ?? null : null;
      }
      count += page.length;
      yield page as ExportRecord[];
    }
  }
  // The database writes the lines of the formats that let it (CSV, HXL, GeoJSON): the same bytes, a few values per row.
  async function* lines(shape: ExportLineShape): AsyncGenerator<LinePage> {
    for await (const page of untilAborted(iterateExportLines(ctx.engine, principal, filter, shape, AUDITED_READ_LEVEL, windowSize), signal)) {
      if (page.top > top) top = page.top;
      for (const id of page.audited) if (++classifiedCount <= AUDITED_IDS_MAX) classified.push(id);
      count += page.count;
      yield page;
    }
  }
  const job: ExportJob = { options: { headers, delimiter, bom }, banner: bannerText(metadata, headers), metadata, ...(format === 'acled' ? { acled: await acledReference(ctx) } : {}) };
  async function* body(): AsyncGenerator<string | Buffer> {
    let complete = false;
    try {
      yield* writer.lines ? writer.lines.write(lines(writer.lines.shape(job)), job) : writer.write(records(), job);
      complete = true;
    } finally {
      await mutate(ctx, principal, {
        permission: 'incident.export',
        run: async () => ({ result: undefined, audit: {
          action: 'incident.export', objectType: 'incident', classificationLevel: Math.max(top, 0),
          sharingScope: 'national', ownerState: principal.organisation,
          details: {
            format, filters, options: { headers, delimiter, bom }, count, complete,
            classified_count: classifiedCount, classified_ids: classified,
          },
        } }),
      });
    }
  }
  const day = exportedAt.slice(0, 10);
  return { format, filename: `vigie-incidents-${day}${writer.extension}`, contentType: writer.contentType, expected: summary.count, body: body(), written: () => count };
}

/**
 * The pages of `pages` until `signal` aborts: then the abort's reason is thrown before the next page is asked for, which
 * closes `pages` (a repository iterator then reads no further page; those already under way are dropped).
 */
async function* untilAborted<T>(pages: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  signal?.throwIfAborted();
  for await (const page of pages) {
    yield page;
    signal?.throwIfAborted();
  }
}

/** Names of the admin areas and actors, in the export's language (a few hundred rows: read once per export). */
async function referenceNames(ctx: Ctx, lang: 'fr' | 'en') {
  const areas = new Map((await listAdminAreas(ctx.engine.db)).map((a) => [a.code, lang === 'fr' ? a.name_fr : a.name_en]));
  const actors = new Map((await listActors(ctx.engine.db)).map((a) => [a.code, a.name]));
  return { areas, actors };
}
