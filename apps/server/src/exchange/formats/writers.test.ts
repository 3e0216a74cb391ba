import { describe, expect, it } from 'vitest';
import { COLUMNS, type ExportRecord } from '../columns.js';
import { csvField, csvRows } from './csv.js';
import type { ExportJob } from './format.js';
import { featureJson } from './geojson.js';

/** A record with the awkward values a writer must get right: quotes, separators, line breaks, formulas, nulls, unicode. */
const awkward = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  id: '0193a1b2-0000-7000-8000-000000000001', reporting_state: 'MLI', reporter: null, status: 'validated', version: 3,
  created_at: '2026-03-14T08:00:00.000Z', updated_at: '2026-03-15T09:30:00.000Z', occurred_start: '2026-03-13T00:00:00.000Z',
  occurred_end: null, time_precision: 1, latitude: 14.35, longitude: -3.61, location_coarsened: false, geo_precision: 2,
  place_name: 'Ségou, "centre"; marché', admin1_code: 'ML04', admin2_code: null, event_type: 'violence_against_civilians',
  sub_event_type: 'attack', interaction: 27, tags: ['route', 'marché'], narrative: '=HYPERLINK("x")\nsecond line, with a comma\t',
  actor1: 'JNIM', actor2: null, associated_actors: [], fatalities_best: 4, fatalities_low: 2, fatalities_high: -0, civilian_fatalities: 0,
  injured: 0, abducted: 1, sources: [{ name: 'Radio +locale', kind: 'media', reliability: 'C', credibility: 3 }], classification: 'restricted',
  sharing_scope: 'confederation', exact_location_classification: null, rejection_reason: null, merged_into: null, assigned_to: null,
  admin1_name: 'Ségou', admin2_name: null, actor1_name: 'Jama’at Nusrat al-Islam wal-Muslimin', actor2_name: null, ...over,
});

const job = (delimiter: 'comma' | 'semicolon'): ExportJob => ({
  options: { headers: 'fr', delimiter, bom: false }, banner: 'DIFFUSION RESTREINTE', metadata: {} as ExportJob['metadata'],
});

async function text(it: AsyncIterable<string | Buffer>): Promise<string> {
  let s = '';
  for await (const c of it) s += c.toString();
  return s;
}

async function* pages(...p: ExportRecord[][]) {
  yield* p;
}

describe('export writers', () => {
  const records = [awkward(), awkward({ id: 'b', place_name: null, latitude: 13.1, longitude: 2.1, narrative: '-5', tags: [] }), awkward({ narrative: '-x', place_name: '@y' })];

  it('a GeoJSON feature is exactly the JSON of the feature object, properties in column order', () => {
    for (const r of records) {
      const properties = Object.fromEntries(COLUMNS.filter((c) => c.key !== 'latitude' && c.key !== 'longitude').map((c) => [c.key, c.value(r)]));
      expect(featureJson(r)).toBe(JSON.stringify({ type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.longitude, r.latitude] }, properties }));
      expect(JSON.parse(featureJson(r))).toMatchObject({ properties: { narrative: r.narrative, place_name: r.place_name } });
    }
  });

  it.each(['comma', 'semicolon'] as const)('a CSV line (%s) is each column through csvField, formulas neutralised, fields quoted where needed', async (delimiter) => {
    const sep = delimiter === 'semicolon' ? ';' : ',';
    const out = await text(csvRows(pages(records.slice(0, 2), records.slice(2)), job(delimiter), [['h']]));
    const expected = records.map((r) => `${COLUMNS.map((c) => csvField(c.value(r), sep)).join(sep)}\r\n`).join('');
    expect(out).toBe(`# DIFFUSION RESTREINTE\r\nh\r\n${expected}`);
    expect(out).toContain(`"'=HYPERLINK(""x"")\nsecond line, with a comma\t"`);
    expect(out).toContain(`${sep}-5${sep}`);
    expect(out).toContain(`'-x`);
    expect(out).toContain(`'@y`);
  });
});
