import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLASSIFICATIONS, CONFEDERATION_ORG, SHARING_SCOPES, incidentCreateSchema, referenceConfigSchema, userCreateSchema,
  type ReferenceConfig,
} from '@vigie/domain';
import { ENGINES } from '../../test-support/engines.js';
import { testVigie } from '../../test-support/factories.js';
import { LIPTAKO_GOURMA_AREAS } from './demo-places.js';
import { generateDemoIncidents, planDemoEscalations } from './demo-data.js';
import { generateDemoUsers, type DemoIncident } from './demo-users.js';
import { demoGeography } from './demo-geography.js';
import { seedDemo } from './demo-seed.service.js';

const config = referenceConfigSchema.parse(JSON.parse(readFileSync(new URL('../../../config/aes.json', import.meta.url), 'utf8')));
const DAY = 86_400_000;
// The geography in force on a fresh installation: the shipped boundaries and places, through the gazetteer.
const world = await testVigie('sqlite');
afterAll(() => world.drop());
const geography = await demoGeography(world.ctx);
const options = { count: 5000, endDate: new Date('2025-06-30T12:00:00Z'), years: 3, seed: 42, geography };
const incidents = generateDemoIncidents(config, options);

/** The shipped boundaries and places, read straight from the files (not through the code under test). */
const shippedAreas = new Map(
  (JSON.parse(readFileSync(new URL('../../../geo/admin-areas.geojson', import.meta.url), 'utf8')) as { features: { geometry: { type: string }; properties: { code: string; state: string } }[] }).features
    .map((f) => [f.properties.code, f] as const),
);
const placesFile = JSON.parse(readFileSync(new URL('../../../geo/places.json', import.meta.url), 'utf8')) as { fields: string[]; rows: unknown[][] };
const shippedPlaces = placesFile.rows.map((r) => Object.fromEntries(placesFile.fields.map((f, i) => [f, r[i]])) as { name: string; latitude: number; longitude: number; admin1_code: string | null });
const inPolygon = (code: string, lat: number, lon: number) => {
  const g = shippedAreas.get(code)?.geometry;
  return !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon') && booleanPointInPolygon([lon, lat], g as Polygon | MultiPolygon);
};
const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot((a.lat - b.lat) * 110.57, (a.lon - b.lon) * 111.32 * Math.cos((a.lat * Math.PI) / 180));

const sum = (xs: readonly DemoIncident[], f: (i: DemoIncident) => number | null | undefined) => xs.reduce((s, i) => s + (f(i) ?? 0), 0);
const areaOf = (i: DemoIncident) => i.input.admin1_code as string;

/** A small alliance that shares no code with the default configuration. */
const otherAlliance: ReferenceConfig = {
  alliance: { code: 'LCB', name_fr: 'Bassin du lac Tchad', name_en: 'Lake Chad Basin' },
  languages: ['fr'],
  states: [
    { code: 'TCD', iso2: 'TD', name_fr: 'Tchad', name_en: 'Chad', time_zone: 'Africa/Ndjamena' },
    { code: 'CMR', iso2: 'CM', name_fr: 'Cameroun', name_en: 'Cameroon', time_zone: 'Africa/Douala' },
  ],
  admin_areas: [
    { code: 'TD-LC', state: 'TCD', level: 1, parent_code: null, name_fr: 'Lac', name_en: 'Lac', centroid_lat: 13.6, centroid_lon: 14.3 },
    { code: 'TD-ND', state: 'TCD', level: 1, parent_code: null, name_fr: "N'Djamena", name_en: "N'Djamena", centroid_lat: 12.1, centroid_lon: 15.05 },
    { code: 'CM-EN', state: 'CMR', level: 1, parent_code: null, name_fr: 'Extrême-Nord', name_en: 'Far North', centroid_lat: 10.8, centroid_lon: 14.3 },
  ],
  actors: [
    { code: 'ANT', name: 'Armée nationale tchadienne (ANT)', kind: 1, state: 'TCD' },
    { code: 'BIR', name: "Bataillon d'intervention rapide (BIR)", kind: 1, state: 'CMR' },
    { code: 'ISWAP', name: "État islamique en Afrique de l'Ouest (ISWAP)", kind: 2, state: null },
    { code: 'CIVILS', name: 'Civils', kind: 7, state: null },
  ],
};

describe('generateDemoUsers', () => {
  it('gives each member state a reporter, an analyst and a focal point, and the confederation an analyst and a decision maker', () => {
    const users = generateDemoUsers(config);
    const byLogin = new Map(users.map((u) => [u.login, u]));
    for (const s of config.states) {
      const code = s.code.toLowerCase();
      expect(byLogin.get(`rapporteur.${code}`)).toMatchObject({ organisation: s.code, role: 'reporter', clearance: 1 });
      expect(byLogin.get(`analyste.${code}`)).toMatchObject({ organisation: s.code, role: 'analyst', clearance: 2 });
      expect(byLogin.get(`point-focal.${code}`)).toMatchObject({ organisation: s.code, role: 'focal_point', clearance: 3 });
    }
    expect(byLogin.get('analyste.conf')).toMatchObject({ organisation: CONFEDERATION_ORG, role: 'confederation_analyst', clearance: 3 });
    expect(byLogin.get('decideur.conf')).toMatchObject({ organisation: CONFEDERATION_ORG, role: 'decision_maker', clearance: 2 });
    expect(users).toHaveLength(config.states.length * 3 + 2);
    for (const u of users) expect(userCreateSchema.safeParse(u).success, u.login).toBe(true);
  });

  it('follows the configured states, not the default three', () => {
    const logins = generateDemoUsers(otherAlliance).map((u) => u.login);
    expect(logins).toContain('point-focal.tcd');
    expect(logins).toContain('rapporteur.cmr');
    expect(logins.some((l) => l.endsWith('.mli'))).toBe(false);
  });
});

describe('generateDemoIncidents', () => {
  it('produces inputs that the incident schema accepts', () => {
    const failures = incidents.flatMap((i) => {
      const r = incidentCreateSchema.safeParse(i.input);
      return r.success ? [] : [{ id: i.input.id, issues: r.error.issues }];
    });
    expect(failures).toEqual([]);
  });

  it('produces about the requested number of incidents', () => {
    expect(Math.abs(incidents.length - options.count)).toBeLessThanOrEqual(options.count * 0.05);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(generateDemoIncidents(config, options)).toEqual(incidents);
    const other = generateDemoIncidents(config, { ...options, seed: 43 });
    expect(other.map((i) => i.input.id)).not.toEqual(incidents.map((i) => i.input.id));
  });

  it('gives unique UUIDv7 ids that carry the occurred time', () => {
    const ids = incidents.map((i) => i.input.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of incidents) {
      expect(i.input.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(i.input.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(i.input.occurred_start));
    }
  });

  it('keeps every time inside the requested years, in UTC, never after the end date', () => {
    const end = options.endDate.getTime();
    const start = end - options.years * 365.25 * DAY;
    for (const i of incidents) {
      const t = Date.parse(i.input.occurred_start);
      expect(i.input.occurred_start.endsWith('Z')).toBe(true);
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThanOrEqual(end);
      if (i.input.occurred_end) {
        expect(Date.parse(i.input.occurred_end)).toBeGreaterThanOrEqual(t);
        expect(Date.parse(i.input.occurred_end)).toBeLessThanOrEqual(end);
      }
    }
  });

  it('concentrates the fatalities in the Liptako-Gourma areas and keeps the capitals quiet', () => {
    const lg = new Set(LIPTAKO_GOURMA_AREAS);
    const total = sum(incidents, (i) => i.input.fatalities_best);
    const inLg = sum(incidents.filter((i) => lg.has(areaOf(i))), (i) => i.input.fatalities_best);
    expect(inLg / total).toBeGreaterThan(0.5);
    for (const capital of ['ML09', 'BF13', 'NE008']) {
      expect(incidents.filter((i) => areaOf(i) === capital).length).toBeLessThan(incidents.filter((i) => areaOf(i) === 'ML05').length / 5);
    }
  });

  it('has more incidents a day in the dry season (Jan–Jun) than in the rainy season (Jul–Sep)', () => {
    const end = options.endDate.getTime();
    const days = { dry: 0, rainy: 0 };
    for (let t = end - options.years * 365.25 * DAY; t < end; t += DAY) {
      const m = new Date(t).getUTCMonth();
      if (m <= 5) days.dry++;
      else if (m <= 8) days.rainy++;
    }
    const month = (i: DemoIncident) => new Date(i.input.occurred_start).getUTCMonth();
    const dry = incidents.filter((i) => month(i) <= 5).length / days.dry;
    const rainy = incidents.filter((i) => month(i) >= 6 && month(i) <= 8).length / days.rainy;
    expect(dry).toBeGreaterThan(rainy * 1.3);
  });

  it('represents every classification and sharing scope, mostly restricted and shared with the confederation', () => {
    const count = <T>(f: (i: DemoIncident) => T, v: T) => incidents.filter((i) => f(i) === v).length;
    for (const c of CLASSIFICATIONS) expect(count((i) => i.input.classification, c), c).toBeGreaterThan(0);
    for (const s of SHARING_SCOPES) expect(count((i) => i.input.sharing_scope, s), s).toBeGreaterThan(0);
    expect(count((i) => i.input.classification, 'restricted')).toBeGreaterThan(incidents.length / 2);
    expect(count((i) => i.input.sharing_scope, 'confederation')).toBeGreaterThan(incidents.length / 2);
    const hidden = count((i) => i.input.exact_location_classification, 'confidential') / incidents.length;
    expect(hidden).toBeGreaterThan(0.05);
    expect(hidden).toBeLessThan(0.15);
  });

  it('leaves most incidents validated, with some submitted, drafts and rejected', () => {
    const share = (s: DemoIncident['status']) => incidents.filter((i) => i.status === s).length / incidents.length;
    expect(share('validated')).toBeGreaterThan(0.85);
    expect(share('submitted')).toBeGreaterThan(0.02);
    expect(share('draft')).toBeGreaterThan(0);
    expect(share('rejected')).toBeGreaterThan(0);
    for (const i of incidents) expect(i.input.status).toBe(i.status === 'draft' ? 'draft' : 'submitted');
  });

  it('labels every incident as demo data', () => {
    expect(incidents.filter((i) => !i.input.narrative?.startsWith('[DÉMO] '))).toEqual([]);
    expect(incidents.filter((i) => !i.input.tags?.includes('demo'))).toEqual([]);
  });

  it('keeps tolls consistent: low ≤ best ≤ high, civilians counted in attacks on civilians, abductions counted', () => {
    for (const { input: i } of incidents) {
      const best = i.fatalities_best ?? 0;
      expect(i.fatalities_low ?? 0).toBeLessThanOrEqual(best);
      expect(i.fatalities_high ?? best).toBeGreaterThanOrEqual(best);
      expect(i.civilian_fatalities ?? 0).toBeLessThanOrEqual(best);
      if (i.sub_event_type === 'attack') expect(i.civilian_fatalities).toBeGreaterThan(0);
      if (i.sub_event_type === 'abduction_forced_disappearance') expect(i.abducted).toBeGreaterThan(0);
      expect(i.sources?.length).toBeGreaterThanOrEqual(1);
      expect(i.sources?.length).toBeLessThanOrEqual(3);
    }
  });

  it('does not name a hidden place in the narrative', () => {
    const hidden = incidents.filter((i) => i.input.exact_location_classification && i.input.place_name);
    expect(hidden.length).toBeGreaterThan(0);
    const areaName = new Map(config.admin_areas.map((a) => [a.code, a.name_fr]));
    // The area may be named: a town named like its region (Ménaka, Bamako) gives nothing away beyond the area.
    for (const { input: i } of hidden) expect(i.narrative?.split(areaName.get(i.admin1_code as string) as string).join('')).not.toContain(i.place_name as string);
  });

  it('puts every point inside the admin-1 polygon it claims, of its reporting state, and in the admin-2 polygon it claims', () => {
    const outside = incidents.filter((i) => !inPolygon(areaOf(i), i.input.latitude, i.input.longitude));
    expect(outside.map((i) => `${areaOf(i)} ${i.input.latitude},${i.input.longitude}`)).toEqual([]);
    for (const i of incidents) expect(shippedAreas.get(areaOf(i))?.properties.state).toBe(i.reportingState);
    const withAdmin2 = incidents.filter((i) => i.input.admin2_code);
    expect(withAdmin2.length).toBeGreaterThan(incidents.length / 2);
    const wrong2 = withAdmin2.filter((i) => !inPolygon(i.input.admin2_code as string, i.input.latitude, i.input.longitude));
    expect(wrong2.map((i) => `${i.input.admin2_code} ${i.input.latitude},${i.input.longitude}`)).toEqual([]);
  });

  it('names only real places of the area, the point within 3 km of the place', () => {
    const named = incidents.filter((i) => i.input.place_name);
    expect(named.length).toBeGreaterThan(incidents.length / 2);
    expect(new Set(named.map((i) => i.input.place_name)).size).toBeGreaterThan(100);
    const wrong = named.filter((i) => !shippedPlaces.some((p) =>
      p.name === i.input.place_name && p.admin1_code === areaOf(i) && km({ lat: p.latitude, lon: p.longitude }, { lat: i.input.latitude, lon: i.input.longitude }) <= 3));
    expect(wrong.map((i) => `${i.input.place_name} in ${areaOf(i)}`)).toEqual([]);
    // "Bossé Bangou" is a village of Tillabéri (Niger): never in a region of Mali or Burkina Faso.
    expect(named.filter((i) => i.input.place_name === 'Bossé Bangou' && areaOf(i) !== 'NE006')).toEqual([]);
  });

  it('places nothing in an area without a polygon of its own (Taoudénit is a point, inside Tombouctou\'s polygon)', () => {
    expect(incidents.filter((i) => areaOf(i) === 'ML11')).toEqual([]);
  });

  it('falls back to unnamed points inside the polygon for an area with no shipped place', () => {
    const bare = { ...geography, places: geography.places.filter((p) => p.admin1 !== 'NE006') };
    const tillaberi = generateDemoIncidents(config, { ...options, count: 1500, geography: bare }).filter((i) => areaOf(i) === 'NE006');
    expect(tillaberi.length).toBeGreaterThan(20);
    for (const i of tillaberi) {
      expect(i.input.place_name).toBeNull();
      expect(inPolygon('NE006', i.input.latitude, i.input.longitude)).toBe(true);
    }
    // Spread over the area, not stacked on one point.
    expect(new Set(tillaberi.map((i) => `${Math.round(i.input.latitude)},${Math.round(i.input.longitude)}`)).size).toBeGreaterThan(3);
  });

  it("without polygons, puts every point in its area (nearest centroid) inside its reporting state's Natural Earth outline", () => {
    const plain = generateDemoIncidents(config, { ...options, count: 1000, geography: undefined });
    const require = createRequire(import.meta.url);
    const topo = require('world-atlas/countries-50m.json') as Topology<{ countries: GeometryCollection }>;
    const outlines = new Map<string, Polygon | MultiPolygon>();
    for (const f of feature(topo, topo.objects.countries).features) {
      const s = config.states.find((st) => st.iso_numeric === String(f.id));
      if (s && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')) outlines.set(s.code, f.geometry);
    }
    const areas = new Map(config.admin_areas.map((a) => [a.code, a]));
    const nearest = (lat: number, lon: number) =>
      config.admin_areas.reduce((best, a) =>
        (a.centroid_lat - lat) ** 2 + ((a.centroid_lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2 <
        (best.centroid_lat - lat) ** 2 + ((best.centroid_lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2 ? a : best);
    const outside = plain.filter((i) => {
      const outline = outlines.get(i.reportingState);
      return !outline || !booleanPointInPolygon([i.input.longitude, i.input.latitude], outline);
    });
    expect(outside.map((i) => `${areaOf(i)} ${i.input.latitude},${i.input.longitude}`)).toEqual([]);
    for (const i of plain) {
      expect(areas.get(areaOf(i))?.state).toBe(i.reportingState);
      expect(nearest(i.input.latitude, i.input.longitude).code).toBe(areaOf(i));
      // No real place is known there: no invented village name either.
      expect(i.input.place_name).toBeNull();
    }
  });

  it('plants escalations, two of them spreading to a neighbouring area of another state within days', () => {
    const plan = planDemoEscalations(config, options);
    const followers = plan.filter((e) => e.follows);
    expect(plan.length - followers.length).toBeGreaterThanOrEqual(3);
    expect(plan.length - followers.length).toBeLessThanOrEqual(5);
    expect(followers).toHaveLength(2);
    for (const f of followers) {
      const origin = plan.find((e) => e.area === f.follows && Date.parse(e.start) <= Date.parse(f.start)) as (typeof plan)[number];
      expect(origin.state).not.toBe(f.state);
      expect(Date.parse(f.start) - Date.parse(origin.start)).toBeLessThanOrEqual(10 * DAY);
    }
    // An escalation shows in the data: the area's daily rate during it is well above its usual rate.
    for (const e of plan) {
      const [from, to] = [Date.parse(e.start), Date.parse(e.end)];
      const inArea = incidents.filter((i) => areaOf(i) === e.area);
      const during = inArea.filter((i) => Date.parse(i.input.occurred_start) >= from && Date.parse(i.input.occurred_start) < to).length;
      const span = options.years * 365.25 * DAY;
      const usual = (inArea.length - during) / ((span - (to - from)) / DAY);
      expect(during / ((to - from) / DAY), e.area).toBeGreaterThan(usual * 1.5);
    }
  });

  it('falls back gracefully on a configuration with other states, areas and actors (no place, no polygon shipped for them)', () => {
    const other = generateDemoIncidents(otherAlliance, { ...options, count: 300 });
    expect(other.filter((i) => i.input.place_name)).toEqual([]);
    const codes = otherAlliance.actors.map((a) => a.code);
    expect(other).toHaveLength(300);
    for (const { input, reportingState } of other) {
      expect(incidentCreateSchema.safeParse(input).success).toBe(true);
      expect(['TCD', 'CMR']).toContain(reportingState);
      for (const actor of [input.actor1, input.actor2, ...(input.associated_actors ?? [])]) if (actor) expect(codes).toContain(actor);
    }
  });

  it('draws points again when a given inside-the-state check rejects them', () => {
    const isInside = (lat: number, _lon: number, state: string) => state !== 'CMR' || lat <= 10.8;
    const other = generateDemoIncidents(otherAlliance, { ...options, count: 300, isInside });
    const cmr = other.filter((i) => i.reportingState === 'CMR');
    expect(cmr.length).toBeGreaterThan(0);
    for (const i of cmr) expect(i.input.latitude).toBeLessThanOrEqual(10.8);
  });
});

describe.each(ENGINES)('seedDemo (%s)', (kind) => {
  it('stores every demo incident: the service rejects none, and places each in the admin-1 area it was generated in', async () => {
    const t = await testVigie(kind);
    try {
      const endDate = new Date('2026-11-20T00:00:00Z');
      const expected = generateDemoIncidents(t.ctx.reference, { count: 1500, years: 3, endDate, seed: 42, geography: await demoGeography(t.ctx) });
      const seeded = await seedDemo(t.ctx, { count: 1500, endDate, seed: 42 });
      expect(seeded.incidents.rejected).toEqual([]);
      expect(seeded.incidents.created).toBe(expected.length);
      const rows = await t.ctx.engine.db.selectFrom('incidents').select(['id', 'admin1_code', 'placement_method']).execute();
      const stored = new Map(rows.map((r) => [r.id, r]));
      const moved = expected.filter((i) => stored.get(i.input.id)?.admin1_code !== i.input.admin1_code);
      expect(moved.map((i) => i.input.id)).toEqual([]);
      expect(rows.filter((r) => r.placement_method !== 'polygon' && r.placement_method !== 'centroid_precision')).toEqual([]);
    } finally {
      await t.drop();
    }
  }, 120_000);

  it("seeds only the incidents of the states it is given (a federated national node: its own state's)", async () => {
    const t = await testVigie(kind);
    try {
      const endDate = new Date('2026-11-20T00:00:00Z');
      const seeded = await seedDemo(t.ctx, { count: 150, endDate, seed: 42, states: ['BFA'] });
      expect(seeded.incidents.created).toBeGreaterThan(0);
      const states = await t.ctx.engine.db.selectFrom('incidents').select('reporting_state').distinct().execute();
      expect(states.map((r) => r.reporting_state)).toEqual(['BFA']);
    } finally {
      await t.drop();
    }
  }, 120_000);
});
