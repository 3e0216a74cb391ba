import { COLUMNS } from '../columns.js';
import type { ExportFormatWriter } from './format.js';

const CHUNK_FEATURES = 200;

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
    for await (const r of rows) {
      const properties = Object.fromEntries(COLUMNS.filter((c) => c.key !== 'latitude' && c.key !== 'longitude').map((c) => [c.key, c.value(r)]));
      const feature = { type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.longitude, r.latitude] }, properties };
      chunk += `${n ? ',\n' : ''}${JSON.stringify(feature)}`;
      if (++n % CHUNK_FEATURES === 0) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}\n],"numberReturned":${n}}\n`;
  },
};
