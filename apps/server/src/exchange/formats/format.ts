import type { ExportQuery } from '@vigie/domain';
import type { AcledReference } from '../acled.js';
import type { ExportLineShape, LinePage } from '../../repositories/incident-export.repository.js';
import type { ExportRecord } from '../columns.js';

/** What a writer knows about the export besides its rows. */
export interface ExportJob {
  /** The export's options (language of the headers, CSV separator and BOM). */
  options: Pick<ExportQuery, 'headers' | 'delimiter' | 'bom'>;
  /** The classification banner: one line, in the export's language (see banner.ts). */
  banner: string;
  /** Machine-readable form of the banner, for formats that carry metadata (GeoJSON, GeoPackage, XLSX properties). */
  metadata: ExportMetadata;
  /** The deployment's states, actors and area names, for the ACLED format's codes and names (set for that format only). */
  acled?: AcledReference;
}

export interface ExportMetadata {
  /** The highest classification among the exported records (public when none). */
  classification: string;
  exported_at: string;
  exported_by: string;
  organisation: string;
  clearance: number;
  /** The filters, as the query string of the list. */
  filters: Record<string, unknown>;
  /** Locations above the reader's clearance are given as the admin-2 area's point (location_coarsened = true). */
  view: 'reader';
}

/**
 * One export format: a streaming writer that pulls records as it writes (so a slow client slows the database reads,
 * and memory stays constant) and yields the file's bytes. Records come a page at a time (the database read's pages):
 * one await per page, not per record.
 */
export interface ExportFormatWriter {
  contentType: string;
  /** File name suffix, with its dot. */
  extension: string;
  write(rows: AsyncIterable<readonly ExportRecord[]>, job: ExportJob): AsyncIterable<string | Buffer>;
  /**
   * Formats whose lines the database can write (incident-export.repository.ts): the shape of those lines, and the same
   * file as `write` from them. The service takes this way when it is there; `write` stays the reference.
   */
  lines?: {
    shape(job: ExportJob): ExportLineShape;
    write(pages: AsyncIterable<LinePage>, job: ExportJob): AsyncIterable<string | Buffer>;
  };
}
