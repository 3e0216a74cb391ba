import { COLUMNS, type Cell, type ExportRecord } from '../columns.js';
import type { ExportFormatWriter, ExportJob } from './format.js';
import type { LinePage } from '../../repositories/incident-export.repository.js';
import { utf8Chunk } from './utf8-chunk.js';

const CHUNK_FEATURES = 1000;

/** The properties: every column but the point's, in column order. */
const PROPERTIES = COLUMNS.filter((c) => c.key !== 'latitude' && c.key !== 'longitude');

/**
 * One feature as JSON: JSON.stringify of { type, id, geometry, properties } in that order. One call per feature writes a
 * flat string in one pass, several times faster than joining a JSON piece per value (and cheaper to encode after).
 */
export function featureJson(r: ExportRecord): string {
  const properties: Record<string, Cell> = {};
  for (const p of PROPERTIES) properties[p.key] = p.value(r) ?? null;
  return JSON.stringify({ type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.longitude, r.latitude] }, properties });
}

/**
 * GeoJSON (RFC 7946): a FeatureCollection of points in longitude, latitude order (WGS 84), properties typed as in the
 * other formats (numbers as numbers). The banner is the foreign member `metadata`, written first; the number of
 * features written is the foreign member `numberReturned`, written last.
 */

const top = (job: ExportJob) => `{"type":"FeatureCollection","metadata":${JSON.stringify({ ...job.metadata, banner: job.banner })},"features":[\n`;

export const geojsonFormat: ExportFormatWriter = {
  contentType: 'application/geo+json',
  extension: '.geojson',
  async *write(rows, job) {
    yield top(job);
    let n = 0;
    let features: string[] = [];
    for await (const page of rows) for (const r of page) {
      features.push(featureJson(r));
      if (features.length === CHUNK_FEATURES) {
        yield utf8Chunk(features, ',\n', n ? ',\n' : '');
        n += features.length;
        features = [];
      }
    }
    if (features.length) yield utf8Chunk(features, ',\n', n ? ',\n' : '');
    n += features.length;
    yield `\n],"numberReturned":${n}}\n`;
  },
  lines: {
    shape: (job) => ({
      format: 'geojson', lang: job.options.headers, properties: PROPERTIES.map((c) => ({ key: c.key, kind: c.kind })),
      // [longitude, latitude] as JSON.stringify writes numbers (null when missing); features separated by a comma and a line break.
      layout: { between: ',\n', after: '', point: { first: 'longitude', sep: ',', missing: 'null' } },
    }),
    /** The same file as write, from the features the database wrote: one chunk per page. */
    async *write(pages: AsyncIterable<LinePage>, job: ExportJob) {
      yield top(job);
      let n = 0;
      for await (const page of pages) {
        if (n) yield ',\n';
        yield page.chunk;
        n += page.count;
      }
      yield `\n],"numberReturned":${n}}\n`;
    },
  },
};
