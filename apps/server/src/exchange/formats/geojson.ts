import { COLUMNS, type Cell, type ExportRecord } from '../columns.js';
import type { ExportFormatWriter } from './format.js';

const CHUNK_FEATURES = 1000;

/** A cell as JSON, exactly as JSON.stringify writes it. */
function jsonCell(v: Cell): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return v ? 'true' : 'false';
}

/** Each property's `"key":` written once; a feature is then the concatenation of its values (no object per row). */
const PROPERTIES = COLUMNS.filter((c) => c.key !== 'latitude' && c.key !== 'longitude')
  .map((c, k) => ({ prefix: `${k ? ',' : ''}${JSON.stringify(c.key)}:`, value: c.value }));

/** One feature as JSON: the same text as JSON.stringify of { type, id, geometry, properties } in that order. */
export function featureJson(r: ExportRecord): string {
  let s = `{"type":"Feature","id":${jsonCell(r.id)},"geometry":{"type":"Point","coordinates":[${jsonCell(r.longitude)},${jsonCell(r.latitude)}]},"properties":{`;
  for (const p of PROPERTIES) s += p.prefix + jsonCell(p.value(r));
  return `${s}}}`;
}

/**
 * GeoJSON (RFC 7946): a FeatureCollection of points in longitude, latitude order (WGS 84), properties typed as in the
 * other formats (numbers as numbers). The banner is the foreign member `metadata`, written first; the number of
 * features written is the foreign member `numberReturned`, written last.
 */
export const geojsonFormat: ExportFormatWriter = {
  contentType: 'application/geo+json',
  extension: '.geojson',
  async *write(rows, job) {
    let chunk = `{"type":"FeatureCollection","metadata":${JSON.stringify({ ...job.metadata, banner: job.banner })},"features":[\n`;
    let n = 0;
    for await (const page of rows) for (const r of page) {
      chunk += (n ? ',\n' : '') + featureJson(r);
      if (++n % CHUNK_FEATURES === 0) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}\n],"numberReturned":${n}}\n`;
  },
};
