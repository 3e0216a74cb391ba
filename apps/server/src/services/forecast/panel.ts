/** The area × month panel the probabilistic forecasts work on, and the features each area has at an origin (docs/forecast.md). */
import { admin1Key, monthIndex, type ForecastEvent, type Month } from './forecast.js';

export type Target = 'fatalities' | 'incidents';

/** Number of quantiles that describe a model forecast. */
export const SAMPLES = 200;
/** Time scales of the weighted levels (fast, middle, slow): all three enter the model, none is chosen. */
export const LEVEL_DECAYS: readonly number[] = [0.5, 0.8, 0.95];
/** Ridge penalties among which each origin chooses (nested, on data before it). */
export const PENALTIES: readonly number[] = [1, 10, 100];
/** Decay of the log-EWM baseline (fixed: it is a baseline). */
export const EWM_BASELINE_DECAY = 0.8;
/** Areas whose centroids are at most this far apart are neighbours, whatever their state. */
export const NEIGHBOUR_KM = 250;

export interface Centroid {
  readonly lat: number;
  readonly lon: number;
}

/** Area × month counts, zeros included; columns from the first event's month. */
export interface ProbPanel {
  readonly start: number;
  readonly width: number;
  readonly areas: readonly string[];
  readonly states: readonly string[];
  readonly firstEvent: readonly number[];
  readonly fatalities: readonly Float64Array[];
  readonly incidents: readonly Float64Array[];
  /** `byType[k][a][t]`: events of UCDP type k + 1 (1 state-based, 2 non-state, 3 one-sided). */
  readonly byType: readonly (readonly Float64Array[])[];
  /** Indices of each area's neighbours. */
  readonly neighbours: readonly (readonly number[])[];
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

export function monthOfInstant(iso: string, position: number): number {
  // Fast path for UTC instants and plain dates (what every caller passes): digits read in place, no Date, no regex.
  if (iso.length >= 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45 && (iso.length === 10 || iso.charCodeAt(iso.length - 1) === 90)) {
    const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
    const month = digit(iso, 5) * 10 + digit(iso, 6);
    if (month >= 1 && month <= 12 && year >= 0 && year <= 9999 && Number.isInteger(year)) return year * 12 + month - 1;
  }
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`event ${position}: dateStart is not an ISO date: ${JSON.stringify(iso)}`);
  return instant.getUTCFullYear() * 12 + instant.getUTCMonth();
}

/** Haversine distance in km. */
export function distanceKm(a: Centroid, b: Centroid): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Centroids keyed by `admin1Key(state, name)` for each name of each configured admin-1 area. */
export function centroidTable(areas: ReadonlyArray<{ state: string; names: readonly string[]; lat: number | null; lon: number | null }>): Map<string, Centroid> {
  const table = new Map<string, Centroid>();
  for (const area of areas) {
    if (area.lat === null || area.lon === null) continue;
    for (const name of area.names) table.set(admin1Key(area.state, name), { lat: area.lat, lon: area.lon });
  }
  return table;
}

/**
 * Builds the panel from events up to month `to` (inclusive; default the last event's month).
 * An area without a configured centroid is placed at the mean of its events' coordinates (if
 * they have any); an area with neither has no neighbours.
 */
export function buildProbPanel(events: readonly ForecastEvent[], options: { to?: Month; centroids?: ReadonlyMap<string, Centroid> } = {}): ProbPanel {
  const end = options.to === undefined ? Number.POSITIVE_INFINITY : monthIndex(options.to);
  const row = new Map<string, number>();
  const stateOf: string[] = [];
  const keys: string[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const months = new Int32Array(events.length);
  const rowOf = new Int32Array(events.length);
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i];
    if (!(e.fatalities >= 0) || e.fatalities === Number.POSITIVE_INFINITY) throw new RangeError(`event ${i}: fatalities must be a number ≥ 0, got ${e.fatalities}`);
    const m = monthOfInstant(e.dateStart, i);
    months[i] = m;
    if (m > end) continue;
    let r = row.get(e.admin1);
    if (r === undefined) {
      const colon = e.admin1.indexOf(':');
      if (colon <= 0) throw new RangeError(`event ${i}: admin1 must be a key from admin1Key ("STATE:name"), got ${JSON.stringify(e.admin1)}`);
      r = keys.length;
      row.set(e.admin1, r);
      keys.push(e.admin1);
      stateOf.push(e.admin1.slice(0, colon));
    }
    rowOf[i] = r;
    if (m < first) first = m;
    if (m > last) last = m;
  }
  if (keys.length === 0) return { start: 0, width: 0, areas: [], states: [], firstEvent: [], fatalities: [], incidents: [], byType: [[], [], []], neighbours: [] };
  const lastCol = Number.isFinite(end) ? end : last;
  const width = lastCol - first + 1;
  // Sorted area order, so that results do not depend on event order.
  const order = keys.map((k, i) => [k, i] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const position = new Int32Array(keys.length);
  order.forEach(([, i], p) => {
    position[i] = p;
  });
  const n = keys.length;
  const fatalities = Array.from({ length: n }, () => new Float64Array(width));
  const incidents = Array.from({ length: n }, () => new Float64Array(width));
  const byType = [0, 1, 2].map(() => Array.from({ length: n }, () => new Float64Array(width)));
  const firstEvent = new Array<number>(n).fill(width);
  const latSum = new Float64Array(n);
  const lonSum = new Float64Array(n);
  const located = new Float64Array(n);
  for (let i = 0; i < events.length; i += 1) {
    const m = months[i];
    if (m > end) continue;
    const e = events[i];
    const a = position[rowOf[i]];
    const t = m - first;
    fatalities[a][t] += e.fatalities;
    incidents[a][t] += e.count ?? 1;
    if (e.typeOfViolence !== undefined) byType[e.typeOfViolence - 1][a][t] += 1;
    if (t < firstEvent[a]) firstEvent[a] = t;
    if (e.latitude !== undefined && e.longitude !== undefined) {
      latSum[a] += e.latitude;
      lonSum[a] += e.longitude;
      located[a] += 1;
    }
  }
  const areas = order.map(([k]) => k);
  const states = order.map(([, i]) => stateOf[i]);
  const centroid = areas.map((k, a) => options.centroids?.get(k) ?? (located[a] > 0 ? { lat: latSum[a] / located[a], lon: lonSum[a] / located[a] } : null));
  const neighbours = areas.map((_, a) => {
    const own = centroid[a];
    if (!own) return [];
    return areas.flatMap((__, b) => {
      const other = centroid[b];
      return b !== a && other && distanceKm(own, other) <= NEIGHBOUR_KM ? [b] : [];
    });
  });
  return { start: first, width, areas, states, firstEvent, fatalities, incidents, byType, neighbours };
}

// ---------------------------------------------------------------------------------------------
// Features

export const FEATURE_NAMES = [
  'intercept', 'level (fast)', 'level', 'level (slow)', 'last month',
  'other measure (fast)', 'other measure', 'other measure (slow)',
  'neighbours level', 'state level', 'state trend',
  'state-based events', 'non-state events', 'one-sided events',
  'months since last event', 'highest month of the last 12', 'season (sine)', 'season (cosine)',
] as const;
export const K = FEATURE_NAMES.length;

const MIDDLE = 1;

/**
 * Features of every area at every origin o = 0…width (o = width: the month after the panel),
 * from columns < o only. `features[a][o]` has `FEATURE_NAMES.length` values. The "other measure" is the
 * incident count when the target is fatalities and the fatalities when it is incidents.
 */
export function featuresOf(panel: ProbPanel, target: Target): Float64Array[][] {
  const { width } = panel;
  const n = panel.areas.length;
  const series = target === 'fatalities' ? panel.fatalities : panel.incidents;
  const otherSeries = target === 'fatalities' ? panel.incidents : panel.fatalities;
  const logs = series.map((s) => s.map((v) => Math.log1p(v)));
  const otherLogs = otherSeries.map((s) => s.map((v) => Math.log1p(v)));
  const typeLogs = panel.byType.map((k) => k.map((s) => s.map((v) => Math.log1p(v))));
  const out = Array.from({ length: n }, () => new Array<Float64Array>(width + 1));
  const scales = LEVEL_DECAYS.length;
  // level[k][a], other[k][a]: weighted sums at time scale k; weights[k] their normalisers.
  const level = LEVEL_DECAYS.map(() => new Float64Array(n));
  const other = LEVEL_DECAYS.map(() => new Float64Array(n));
  const weights = new Float64Array(scales);
  const typeLevel = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const lastEvent = new Array<number>(n).fill(-1);
  const stateNames = [...new Set(panel.states)];
  const stateIndex = panel.states.map((s) => stateNames.indexOf(s));
  const stateLevel = new Float64Array(stateNames.length);
  const recent = new Float64Array(stateNames.length);
  const year = new Float64Array(stateNames.length);
  const known = new Float64Array(stateNames.length);
  for (let o = 0; o <= width; o += 1) {
    const norm = (x: number, k: number) => (weights[k] > 0 ? x / weights[k] : 0);
    // State-wide: mean level of the state's known areas; trend = mean log of the last 3 months minus the last 12.
    stateLevel.fill(0);
    recent.fill(0);
    year.fill(0);
    known.fill(0);
    for (let a = 0; a < n; a += 1) {
      if (panel.firstEvent[a] >= o) continue;
      const s = stateIndex[a];
      known[s] += 1;
      stateLevel[s] += norm(level[MIDDLE][a], MIDDLE);
      let r = 0;
      let y = 0;
      let rn = 0;
      let yn = 0;
      for (let k = 1; k <= 12 && o - k >= 0; k += 1) {
        y += logs[a][o - k];
        yn += 1;
        if (k <= 3) {
          r += logs[a][o - k];
          rn += 1;
        }
      }
      recent[s] += rn ? r / rn : 0;
      year[s] += yn ? y / yn : 0;
    }
    const season = (2 * Math.PI * ((panel.start + o) % 12)) / 12;
    for (let a = 0; a < n; a += 1) {
      const f = new Float64Array(K);
      f[0] = 1;
      for (let k = 0; k < scales; k += 1) {
        f[1 + k] = norm(level[k][a], k);
        f[5 + k] = norm(other[k][a], k);
      }
      f[4] = o > 0 ? logs[a][o - 1] : 0;
      let nb = 0;
      for (const b of panel.neighbours[a]) nb += norm(level[MIDDLE][b], MIDDLE);
      f[8] = panel.neighbours[a].length ? nb / panel.neighbours[a].length : 0;
      const s = stateIndex[a];
      f[9] = known[s] ? stateLevel[s] / known[s] : 0;
      f[10] = known[s] ? (recent[s] - year[s]) / known[s] : 0;
      for (let k = 0; k < 3; k += 1) f[11 + k] = norm(typeLevel[k][a], MIDDLE);
      f[14] = Math.log1p(lastEvent[a] < 0 ? 36 : Math.min(36, o - 1 - lastEvent[a]));
      let highest = 0;
      for (let k = 1; k <= 12 && o - k >= 0; k += 1) if (logs[a][o - k] > highest) highest = logs[a][o - k];
      f[15] = highest;
      f[16] = Math.sin(season);
      f[17] = Math.cos(season);
      out[a][o] = f;
    }
    if (o === width) break;
    for (let a = 0; a < n; a += 1) {
      for (let k = 0; k < scales; k += 1) {
        level[k][a] = LEVEL_DECAYS[k] * level[k][a] + logs[a][o];
        other[k][a] = LEVEL_DECAYS[k] * other[k][a] + otherLogs[a][o];
      }
      for (let k = 0; k < 3; k += 1) typeLevel[k][a] = LEVEL_DECAYS[MIDDLE] * typeLevel[k][a] + typeLogs[k][a][o];
      if (panel.incidents[a][o] > 0) lastEvent[a] = o;
    }
    for (let k = 0; k < scales; k += 1) weights[k] = LEVEL_DECAYS[k] * weights[k] + 1;
  }
  return out;
}
