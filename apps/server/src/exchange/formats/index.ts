import type { ExportFormat } from '@vigie/domain';
import { acledFormat } from './acled.js';
import { csvFormat } from './csv.js';
import type { ExportFormatWriter } from './format.js';
import { geojsonFormat } from './geojson.js';
import { gpkgFormat } from './gpkg.js';
import { hxlFormat } from './hxl.js';
import { xlsxFormat } from './xlsx.js';

/** Every export format by id (the ids are EXPORT_FORMATS of @vigie/domain): adding one is one entry here. */
export const EXPORT_WRITERS: Record<ExportFormat, ExportFormatWriter> = {
  csv: csvFormat,
  hxl: hxlFormat,
  geojson: geojsonFormat,
  gpkg: gpkgFormat,
  xlsx: xlsxFormat,
  acled: acledFormat,
};
