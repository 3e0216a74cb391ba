/**
 * Prints, as a Markdown table, how an older boundary file maps onto the shipped (current) areas of a state by area
 * overlap — the crosswalk Vigie computes when a newer set is imported (docs/geography.md, "Boundary versions").
 *
 *   node --import tsx apps/server/scripts/crosswalk-table.ts <older.geojson> <codeField> <nameField> <state> <level> [filterField=value]
 *   e.g. … ../shared/data/admin-boundaries/adm1_mli_bfa_ner_ocha_wca.geojson admin1Pcod admin1Name MLI 1 admin0Pcod=ML
 */
import fs from 'node:fs';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { computeCrosswalk } from '../src/services/geography/crosswalk.js';
import { readShippedAreas } from '../src/services/geography/reference.service.js';

const [file, codeField, nameField, state, level, filter] = process.argv.slice(2);
if (!file || !codeField || !nameField || !state || !level) throw new Error('usage: crosswalk-table.ts <file> <codeField> <nameField> <state> <level> [field=value]');
const [ff, fv] = filter?.split('=') ?? [];
const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
const older = fc.features.filter((f) => !ff || String(f.properties?.[ff]) === fv);
const names = new Map(older.map((f) => [String(f.properties?.[codeField]), String(f.properties?.[nameField])]));
const current = readShippedAreas().filter((f) => f.properties.state === state && f.properties.level === Number(level) && f.geometry.type !== 'Point');
const currentNames = new Map(current.map((f) => [f.properties.code, f.properties.name_fr]));
const links = computeCrosswalk(
  older.map((f) => ({ code: String(f.properties?.[codeField]), level: Number(level), geometry: f.geometry })),
  current.map((f) => ({ code: f.properties.code, level: f.properties.level, geometry: f.geometry as Polygon | MultiPolygon })),
);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log('| older area | current area | share of the older area | share of the current area |');
console.log('|---|---|---|---|');
for (const l of links.filter((x) => x.share_of_from >= 0.01 || x.share_of_to >= 0.01)) {
  console.log(`| ${names.get(l.from_code)} (${l.from_code}) | ${currentNames.get(l.to_code)} (${l.to_code}) | ${pct(l.share_of_from)} | ${pct(l.share_of_to)} |`);
}
