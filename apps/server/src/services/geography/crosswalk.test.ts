import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { computeCrosswalk, crosswalkTarget } from './crosswalk.js';
import { readShippedAreas } from './reference.service.js';

type Shape = Polygon | MultiPolygon;
const DATA = path.resolve(import.meta.dirname, '../../../../../../shared/data/admin-boundaries');
const ADM1 = path.join(DATA, 'adm1_mli_bfa_ner_ocha_wca.geojson');
const MLI_ADM2 = path.join(DATA, 'mli_adm2_ocha_2015.geojson');
const present = fs.existsSync(ADM1) && fs.existsSync(MLI_ADM2);
if (!present) console.warn(`crosswalk tests on the 2015 files skipped: the shared boundary files are absent (${DATA})`);
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as FeatureCollection<Shape, Record<string, string>>;
const shippedMali = () => readShippedAreas()
  .filter((f) => f.properties.state === 'MLI' && f.properties.level === 1 && f.geometry.type !== 'Point')
  .map((f) => ({ code: f.properties.code, level: 1, geometry: f.geometry as Shape }));

describe('crosswalk by area overlap', () => {
  const square = (x: number, y: number, w: number, h: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] });

  it('splits an area by the share of it each newer area holds', () => {
    const links = computeCrosswalk([{ code: 'OLD', level: 1, geometry: square(0, 0, 2, 1) }], [
      { code: 'WEST', level: 1, geometry: square(0, 0, 1.5, 1) },
      { code: 'EAST', level: 1, geometry: square(1.5, 0, 0.5, 1) },
      { code: 'AWAY', level: 1, geometry: square(5, 5, 1, 1) },
    ]);
    expect(links.map((l) => [l.to_code, Number(l.share_of_from.toFixed(3)), Number(l.share_of_to.toFixed(3))])).toEqual([['WEST', 0.75, 1], ['EAST', 0.25, 1]]);
    expect(crosswalkTarget(links, 'OLD', 1)?.to_code).toBe('WEST');
    // A split area: the record's own point decides among the areas it went to, never elsewhere.
    expect(crosswalkTarget(links, 'OLD', 1, 'EAST')?.to_code).toBe('EAST');
    expect(crosswalkTarget(links, 'OLD', 1, 'AWAY')?.to_code).toBe('WEST');
  });

  it.skipIf(!present)('derives Ménaka region: the 2015 admin-2 file’s Ménaka cercle is the shipped Ménaka region (UCDP’s Ménaka)', () => {
    const cercle = read(MLI_ADM2).features.filter((f) => f.properties.admin2Name === 'Menaka');
    const links = computeCrosswalk(cercle.map((f) => ({ code: f.properties.admin2Pcod!, level: 2, geometry: f.geometry })), shippedMali());
    const best = links.reduce((a, b) => (b.share_of_from > a.share_of_from ? b : a));
    expect(best.to_code).toBe('ML10');
    expect(best.share_of_from).toBeGreaterThan(0.97);
    expect(best.share_of_to).toBeGreaterThan(0.97);
  }, 300_000);

  it.skipIf(!present)('maps the 2015 regions onto the current frame: Gao of 2015 is today’s Gao and Ménaka', () => {
    const regions = read(ADM1).features.filter((f) => f.properties.admin0Pcod === 'ML');
    const links = computeCrosswalk(regions.map((f) => ({ code: f.properties.admin1Pcod!, level: 1, geometry: f.geometry })), shippedMali());
    const gao = links.filter((l) => l.from_code === 'ML07' && l.share_of_from > 0.01);
    expect(gao.map((l) => l.to_code).sort()).toEqual(['ML07', 'ML10']);
    expect(gao.reduce((s, l) => s + l.share_of_from, 0)).toBeGreaterThan(0.98);
    expect(gao.find((l) => l.to_code === 'ML10')!.share_of_to).toBeGreaterThan(0.99);
    // Every other 2015 region maps onto one current region for at least 96 % of its area.
    for (const code of ['ML01', 'ML02', 'ML03', 'ML04', 'ML05', 'ML06', 'ML08', 'ML09']) expect(crosswalkTarget(links, code, 1)!.share_of_from).toBeGreaterThan(0.96);
   }, 300_000);
});
