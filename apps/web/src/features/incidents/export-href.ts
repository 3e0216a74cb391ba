import { apiUrl } from '../../api/client';
import { filtersToSearch, type IncidentFilterState } from './filters';

export type ExportChoice = 'csv_excel' | 'csv' | 'hxl' | 'geojson' | 'gpkg' | 'xlsx' | 'acled';

/**
 * The export options for the filters in view: CSV for the reader's spreadsheet (semicolons in French, with the byte
 * order mark Excel needs to read accents), plain CSV, HXL, GeoJSON, GeoPackage, XLSX and ACLED-compatible CSV, headers in the page's language.
 */
export function exportHref(filters: Partial<IncidentFilterState>, choice: ExportChoice, lang: 'fr' | 'en'): string {
  const sp = filtersToSearch(filters);
  // An export holds every matching record, newest first: the list's page and order do not apply.
  sp.delete('cursor');
  sp.delete('sort');
  const format = choice === 'csv_excel' ? 'csv' : choice;
  const options = choice === 'csv_excel' ? { delimiter: lang === 'fr' ? 'semicolon' : 'comma', bom: 'true' } : {};
  return apiUrl('exports/incidents', { ...Object.fromEntries(sp), format, headers: lang, ...options });
}
