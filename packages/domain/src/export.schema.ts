import { z } from 'zod';
import { incidentListQuerySchema } from './incident.schema.js';

/**
 * The export formats the server writes, by id. Each has one writer in apps/server/src/exchange/formats/; adding a
 * format is one id here and one entry in that registry (its writer file).
 */
export const EXPORT_FORMATS = ['csv', 'hxl', 'geojson', 'gpkg', 'xlsx', 'acled'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const flag = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());

/**
 * GET /api/v1/exports/incidents: the incident list's filters (the same schema, without paging and sort: an export
 * holds every record the reader may see that matches, newest first), the format, and the CSV options.
 */
export const exportQuerySchema = incidentListQuerySchema.omit({ sort: true, limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMATS).describe('csv, hxl (HXL-tagged CSV), geojson, gpkg (GeoPackage), xlsx or acled (ACLED-compatible CSV)'),
  delimiter: z.enum(['comma', 'semicolon']).default('comma').describe('CSV separator: semicolon for a French spreadsheet'),
  bom: flag.default(false).describe('CSV: start with a UTF-8 byte-order mark (Excel reads the accents right)'),
  headers: z.enum(['fr', 'en']).default('en').describe('Language of the column headers and of the classification banner'),
});
export type ExportQuery = z.output<typeof exportQuerySchema>;
