/** Where demo incidents happen: the areas' weights and jitter, real places inside their polygons, and which actors act where. */
import { type ReferenceConfig } from '@vigie/domain';
import { Random } from './random.js';
import { type ActorPool } from './scenarios.js';
import { type DemoGeography, type DemoIncidentOptions, type DemoPlace } from './demo-users.js';

// ---------------------------------------------------------------------------------------------
// Reference tables, keyed on the area and actor codes of the default (AES) configuration. Other
// configurations fall back to the defaults: a small uniform weight and a moderate jitter.

/** The tri-border Liptako-Gourma areas, where most of the violence is concentrated. */
export const LIPTAKO_GOURMA_AREAS: readonly string[] = ['ML05', 'ML07', 'ML10', 'BF56', 'BF52', 'BF54', 'BF49', 'BF46', 'NE006', 'NE005'];

/** Relative incident rate per admin-1 area. */
const AREA_WEIGHTS: Record<string, number> = {
  ML05: 10, ML07: 6, ML10: 6, BF56: 10, BF52: 8, BF54: 6, BF49: 8, BF46: 6, NE006: 10, NE005: 4,
  ML04: 3, ML06: 3, ML08: 1.5, ML02: 1, ML03: 0.8, ML01: 0.5, BF48: 2, BF50: 1.5, BF51: 0.8, BF53: 1.5,
  BF55: 1.5, BF47: 1.2, BF57: 1.2, NE002: 3, NE004: 1.5, NE003: 1, NE007: 0.8, NE001: 0.6, ML09: 0.6, BF13: 0.6, NE008: 0.5,
};
const DEFAULT_AREA_WEIGHT = 0.5;
const CAPITAL_AREAS = new Set(['ML09', 'BF13', 'NE008']);

/**
 * How far (degrees) places may lie from the centroid; the jitter's sd is half of it. Narrower where a centroid
 * lies near a border, so that every point stays inside the state's Natural Earth outline (the server's check).
 */
const AREA_RADIUS: Record<string, number> = {
  ML03: 0.5, ML05: 0.9, ML08: 0.7, ML10: 0.5, BF46: 0.6, BF47: 0.4, BF48: 0.3, BF50: 0.8, BF51: 0.3, BF52: 0.6,
  BF53: 0.7, BF54: 0.5, BF56: 0.6, BF57: 0.3, NE002: 1, NE003: 0.4, NE004: 0.6, NE006: 0.7,
};
const DEFAULT_RADIUS = 1.2;
const CAPITAL_RADIUS = 0.12;

/** Where each non-state group operates: weight per area, and elsewhere (0: never). Unlisted groups: 1 everywhere. */
const GROUP_AFFINITY: Record<string, { areas: Record<string, number>; elsewhere: number }> = {
  JNIM: { areas: { ML05: 6, ML04: 4, ML06: 3, BF54: 5, BF49: 5, BF46: 6, BF52: 6, BF56: 4, BF48: 4, NE006: 2, NE002: 0, NE004: 0.2, NE007: 0 }, elsewhere: 1.5 },
  EIGS: { areas: { ML10: 8, ML07: 6, NE006: 5, NE005: 6, BF56: 3 }, elsewhere: 0.2 },
  ISWAP: { areas: { NE002: 6, NE007: 1 }, elsewhere: 0 },
  JAS: { areas: { NE002: 4 }, elsewhere: 0 },
  CSP: { areas: { ML08: 6, ML06: 1.5, ML07: 1 }, elsewhere: 0 },
  'DAN-NA-AMBASSAGOU': { areas: { ML05: 6, ML04: 1 }, elsewhere: 0 },
};

/** Spread (degrees, sd) of a precise point around its place, and its maximum: ≤ 0.025° (~2.8 km). */
export const PLACE_SD = 0.01;
const PLACE_MAX = 0.025;
/** From this population a place is told as a town ("la localité de …"), not a village. */
export const TOWN = 10_000;

export const SEASON = [1.15, 1.2, 1.3, 1.3, 1.25, 1.1, 0.75, 0.6, 0.65, 0.85, 1, 1.05];
export const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Areas, places and actors.

export type Area = ReferenceConfig['admin_areas'][number];
export type Actor = ReferenceConfig['actors'][number];
interface Point { lat: number; lon: number }
/** A place incidents happen at: a real place of the area, or (no place shipped) an unnamed point in it. */
interface Place extends Point { name: string | null; admin2: string | null; population: number }

export interface AreaModel {
  area: Area;
  weight: number;
  capital: boolean;
  /** Placed by the area's polygon (points checked with DemoGeography.placeOf), or around its centroid. */
  polygon: boolean;
  /** The point of a record precise to the admin-1 area only: its centroid, or a place when the centroid is outside the polygon. */
  centre: Point;
  places: Place[];
  placeWeights: number[];
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

function nearestArea(areas: readonly Area[], p: Point): string | undefined {
  const k = Math.cos((p.lat * Math.PI) / 180);
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of areas) {
    const d = (a.centroid_lat - p.lat) ** 2 + ((a.centroid_lon - p.lon) * k) ** 2;
    if (d < bestD) [best, bestD] = [a.code, d];
  }
  return best;
}

/** A point near the area's centroid that still falls in the area (nearest centroid) and inside its state. */
export function placeInArea(r: Random, area: Area, areas: readonly Area[], accept: DemoIncidentOptions['isInside'], around?: Point, sd?: number): Point {
  const radius = AREA_RADIUS[area.code] ?? (CAPITAL_AREAS.has(area.code) ? CAPITAL_RADIUS : DEFAULT_RADIUS);
  const [spreadSd, max] = around ? [sd ?? 0.01, (sd ?? 0.01) * 2.5] : [radius / 2, radius];
  const origin = around ?? { lat: area.centroid_lat, lon: area.centroid_lon };
  for (let i = 0; i < 60; i++) {
    const dLat = r.normal() * spreadSd;
    const dLon = r.normal() * spreadSd;
    if (Math.hypot(dLat, dLon) > max) continue;
    const p = { lat: round5(origin.lat + dLat), lon: round5(origin.lon + dLon) };
    if (nearestArea(areas, p) !== area.code) continue;
    if (accept && !accept(p.lat, p.lon, area.state)) continue;
    return p;
  }
  return origin;
}

/** A point near `origin` (≤ PLACE_MAX) that the polygons place in the area, else `origin` itself. */
export function jitterInArea(r: Random, origin: Point, area: Area, geo: DemoGeography, accept: DemoIncidentOptions['isInside']): Point {
  for (let i = 0; i < 40; i++) {
    const dLat = r.normal() * PLACE_SD;
    const dLon = r.normal() * PLACE_SD;
    if (Math.hypot(dLat, dLon) > PLACE_MAX) continue;
    const p = { lat: round5(origin.lat + dLat), lon: round5(origin.lon + dLon) };
    if (geo.placeOf(p.lat, p.lon)?.admin1 !== area.code) continue;
    if (accept && !accept(p.lat, p.lon, area.state)) continue;
    return p;
  }
  return { lat: origin.lat, lon: origin.lon };
}

/** A random point of the area's bounding box that its polygon contains. */
function pointInPolygon(r: Random, area: Area, box: readonly [number, number, number, number], geo: DemoGeography): Place | undefined {
  for (let i = 0; i < 500; i++) {
    const p = { lat: round5(box[1] + r.next() * (box[3] - box[1])), lon: round5(box[0] + r.next() * (box[2] - box[0])) };
    const at = geo.placeOf(p.lat, p.lon);
    if (at?.admin1 === area.code) return { ...p, name: null, admin2: at.admin2, population: 0 };
  }
  return undefined;
}

export function buildAreaModels(r: Random, config: ReferenceConfig, options: Pick<DemoIncidentOptions, 'isInside' | 'geography'>): AreaModel[] {
  const accept = options.isInside;
  const geo = options.geography;
  const states = new Set(config.states.map((s) => s.code));
  const areas = config.admin_areas.filter((a) => a.level === 1 && states.has(a.state));
  // States drawn by admin-1 polygons: there an area without a polygon of its own (Taoudénit, a point) holds no incident,
  // since the polygons place every point of its territory in another area.
  const mapped = new Set(areas.filter((a) => geo?.bbox(a.code)).map((a) => a.state));
  const byArea = new Map<string, DemoPlace[]>();
  for (const p of geo?.places ?? []) byArea.set(p.admin1, [...(byArea.get(p.admin1) ?? []), p]);
  const models: AreaModel[] = [];
  for (const area of areas) {
    const weight = AREA_WEIGHTS[area.code] ?? DEFAULT_AREA_WEIGHT;
    const capital = CAPITAL_AREAS.has(area.code);
    const n = capital ? 8 : Math.round(4 + 2 * weight);
    const box = geo?.bbox(area.code);
    const centroid = { lat: area.centroid_lat, lon: area.centroid_lon };
    let places: Place[] = [];
    if (geo && box) {
      // Real places of the area (by polygon), in a seeded order; without any, unnamed points inside the polygon.
      const real = (byArea.get(area.code) ?? []).filter((p) => geo.placeOf(p.lat, p.lon)?.admin1 === area.code);
      const pool = [...real].sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
      while (pool.length && places.length < n) {
        const p = pool.splice(Math.floor(r.next() * pool.length), 1)[0] as DemoPlace;
        places.push({ name: p.name, lat: p.lat, lon: p.lon, admin2: p.admin2, population: p.population });
      }
      if (!places.length) {
        for (let i = 0; i < n; i++) {
          const p = pointInPolygon(r, area, box, geo);
          if (p) places.push(p);
        }
      }
      if (!places.length) continue;
      const inside = geo.placeOf(centroid.lat, centroid.lon)?.admin1 === area.code;
      models.push({ area, weight, capital, polygon: true, centre: inside ? centroid : (places[0] as Place), places, placeWeights: [] });
    } else {
      if (mapped.has(area.state)) continue;
      places = Array.from({ length: n }, () => ({ name: null, admin2: null, population: 0, ...placeInArea(r, area, areas, accept) }));
      models.push({ area, weight, capital, polygon: false, centre: centroid, places, placeWeights: [] });
    }
  }
  if (models.length === 0) throw new Error('the reference configuration has no admin-1 area of a member state to place demo incidents in');
  // A few places see most of the incidents, as in real data.
  for (const m of models) m.placeWeights = m.places.map((_, i) => 1 / (i + 1) ** 0.8);
  return models;
}

/** The actors a scenario can draw on in one area, derived from the actor kinds of the configuration. */
export function actorPool(actors: readonly Actor[], area: Area): ActorPool {
  const first = (f: (a: Actor) => boolean) => actors.find(f)?.code ?? null;
  const affinity = (a: Actor): number => {
    if (a.state && a.state !== area.state) return 0;
    const t = GROUP_AFFINITY[a.code];
    return t ? (t.areas[area.code] ?? t.elsewhere) : 1;
  };
  const weighted = (kind: number) => actors.filter((a) => a.kind === kind).map((a) => [a.code, affinity(a)] as const).filter(([, w]) => w > 0);
  return {
    forces: first((a) => a.kind === 1 && a.state === area.state),
    joint: first((a) => a.kind === 1 && !a.state),
    auxiliaries: first((a) => a.kind === 3 && a.state === area.state),
    groups: weighted(2),
    militias: weighted(4),
    unidentified: first((a) => a.kind === 3 && !a.state),
    civilians: first((a) => a.kind === 7),
    rioters: first((a) => a.kind === 5),
    protesters: first((a) => a.kind === 6),
    external: first((a) => a.kind === 8),
  };
}
