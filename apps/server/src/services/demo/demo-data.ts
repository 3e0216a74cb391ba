/**
 * Deterministic demo data: users for every member state and synthetic incidents with plausible Sahel
 * patterns (Liptako-Gourma hotspots, dry-season peaks, escalations spreading across a border).
 * Everything is derived from the reference configuration and a seed; every incident is labelled
 * "[DÉMO]" and tagged `demo`, and no text names a person (Vigie never records individuals).
 */
import { eventTypeOf, type Classification, type Credibility, type EventTypeSlug, type IncidentCreate, type ReferenceConfig, type Reliability, type SharingScope, type Source, type SourceKind } from '@vigie/domain';
import { Random, subSeed } from './random.js';
import { SCENARIOS, tollText, type ActorPool, type Scene } from './scenarios.js';
import { type DemoEscalation, type DemoIncident, type DemoIncidentOptions } from './demo-users.js';
import { type Actor, actorPool, type Area, type AreaModel, buildAreaModels, DAY, jitterInArea, PLACE_SD, placeInArea, SEASON, TOWN } from './demo-places.js';

// ---------------------------------------------------------------------------------------------
// Escalations.

interface Burst { model: number; startDay: number; endDay: number; multiplier: number; focus: EventTypeSlug; follows: string | null }

/** Non-capital areas of other states whose centroid lies within 3.5° of this area's, nearest first. */
function foreignNeighbours(models: readonly AreaModel[], index: number): number[] {
  const from = (models[index] as AreaModel).area;
  const k = Math.cos((from.centroid_lat * Math.PI) / 180);
  return models
    .map((m, i) => ({ i, m, d: Math.hypot(m.area.centroid_lat - from.centroid_lat, (m.area.centroid_lon - from.centroid_lon) * k) }))
    .filter(({ m, d }) => m.area.state !== from.state && !m.capital && d <= 3.5)
    .sort((a, b) => a.d - b.d)
    .map(({ i }) => i);
}

/** Escalations in quiet areas would be lost in the noise: they strike the hotspots, when the configuration has any. */
const HOTSPOT_WEIGHT = 3;

function planBursts(r: Random, models: readonly AreaModel[], nDays: number): Burst[] {
  const active = models.map((m, i) => [i, m.capital ? 0 : m.weight] as const).filter(([, w]) => w > 0);
  const hot = active.filter(([, w]) => w >= HOTSPOT_WEIGHT);
  const pool = hot.length ? hot : active;
  if (pool.length === 0) return [];
  const spreading = pool.filter(([i]) => foreignNeighbours(models, i).length > 0);
  const foci: EventTypeSlug[] = ['battles', 'violence_against_civilians', 'explosions_remote_violence'];
  const bursts: Burst[] = [];
  const episodes = r.int(3, 5);
  for (let e = 0; e < episodes; e++) {
    // Two episodes spill over into a neighbouring area of another state within days.
    const spills = e < 2 && spreading.length > 0;
    const model = r.weighted(spills ? spreading : pool);
    const duration = r.int(14, 42);
    // The first episode is still running at the end date, so that a fresh demo shows live alerts.
    const startDay = e === 0 ? Math.max(0, nDays - r.int(21, 35)) : r.int(Math.min(30, nDays - 1), Math.max(30, nDays - duration - 60));
    const until = (day: number) => (e === 0 ? Math.max(nDays + 7, day) : day);
    bursts.push({ model, startDay, endDay: until(startDay + duration), multiplier: r.between(3, 5), focus: r.pick(foci), follows: null });
    if (!spills) continue;
    const next = r.weighted(foreignNeighbours(models, model).slice(0, 2).map((i) => [i, (models[i] as AreaModel).weight] as const));
    const lag = r.int(3, 10);
    bursts.push({
      model: next, startDay: startDay + lag, endDay: until(startDay + lag + r.int(14, 42)), multiplier: r.between(3, 5), focus: r.pick(foci),
      follows: (models[model] as AreaModel).area.code,
    });
  }
  return bursts;
}

interface Timeline { rangeStart: number; end: number; firstDay: number; nDays: number }

function timeline(options: DemoIncidentOptions): Timeline {
  const end = options.endDate.getTime();
  const rangeStart = end - options.years * 365.25 * DAY;
  const firstDay = Math.floor(rangeStart / DAY) * DAY;
  return { rangeStart, end, firstDay, nDays: Math.floor((end - firstDay) / DAY) + 1 };
}

/** The escalations the generator plants for these options (same seed, same plan). */
export function planDemoEscalations(config: ReferenceConfig, options: DemoIncidentOptions): DemoEscalation[] {
  const t = timeline(options);
  const models = buildAreaModels(new Random(subSeed(options.seed, 2)), config, options);
  return planBursts(new Random(subSeed(options.seed, 1)), models, t.nDays).map((b) => {
    const area = (models[b.model] as AreaModel).area;
    const iso = (day: number) => new Date(Math.min(t.end, t.firstDay + day * DAY)).toISOString();
    return { area: area.code, state: area.state, start: iso(b.startDay), end: iso(b.endDay), multiplier: b.multiplier, follows: b.follows };
  });
}

// ---------------------------------------------------------------------------------------------
// Sources, classification, ids.

const SOURCE_NAMES: Record<SourceKind, readonly string[]> = {
  field_report: ['Rapport de terrain', 'Compte rendu de patrouille', 'Rapport du poste avancé'],
  security_forces: ["Communiqué de l'état-major", 'Bulletin des forces de défense', 'Rapport de gendarmerie'],
  local_authority: ['Préfecture', 'Mairie', 'Gouvernorat de région'],
  community: ['Comité villageois', 'Association de jeunes', 'Représentants communautaires'],
  media: ['Radio communautaire', 'Presse nationale', 'Agence de presse'],
  ngo: ['ONG humanitaire', 'Cluster protection', 'Organisation de santé'],
  social_media: ['Réseaux sociaux (contenu vérifié)', 'Messagerie communautaire'],
  other: ['Autre source'],
};
const SOURCE_KIND_WEIGHTS: readonly (readonly [SourceKind, number])[] = [
  ['field_report', 25], ['security_forces', 25], ['local_authority', 15], ['community', 12], ['media', 10], ['ngo', 6], ['social_media', 5], ['other', 2],
];
const RELIABILITY: readonly (readonly [Reliability, number])[] = [['A', 3], ['B', 35], ['C', 35], ['D', 10], ['E', 3], ['F', 14]];
const CREDIBILITY: readonly (readonly [Credibility, number])[] = [[1, 8], [2, 35], [3, 35], [4, 10], [5, 2], [6, 10]];

function sources(r: Random, occurred: number, end: number): Source[] {
  const kinds = [...SOURCE_KIND_WEIGHTS];
  const n = r.weighted([[1, 50], [2, 35], [3, 15]] as const);
  const out: Source[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.weighted(kinds);
    kinds.splice(kinds.findIndex(([k]) => k === kind), 1);
    const reported = r.chance(0.6) ? new Date(Math.min(end, occurred + r.between(1, 72) * 3_600_000)).toISOString() : undefined;
    out.push({ name: r.pick(SOURCE_NAMES[kind]), kind, reliability: r.weighted(RELIABILITY), credibility: r.weighted(CREDIBILITY), ...(reported ? { reported_at: reported } : {}) });
  }
  return out;
}

/** Most records restricted and shared with the confederation; public ones may be published, secret ones mostly stay national. */
function protection(r: Random): Pick<IncidentCreate, 'classification' | 'sharing_scope' | 'exact_location_classification'> {
  const classification = r.weighted<Classification>([['public', 10], ['restricted', 60], ['confidential', 25], ['secret', 5]]);
  const scopes: Record<Classification, readonly (readonly [SharingScope, number])[]> = {
    public: [['public', 60], ['confederation', 35], ['national', 5]],
    restricted: [['confederation', 75], ['national', 20], ['public', 5]],
    confidential: [['confederation', 70], ['national', 30]],
    secret: [['national', 60], ['confederation', 40]],
  };
  // Hiding the exact point only means something on records readable below confidential.
  const hidden = (classification === 'public' || classification === 'restricted') && r.chance(0.14);
  return { classification, sharing_scope: r.weighted(scopes[classification]), exact_location_classification: hidden ? 'confidential' : null };
}

/** A UUIDv7: the occurred instant in the first 48 bits, seeded random bits after. */
function uuidv7(ms: number, r: Random): string {
  const hex = (n: number, len: number) => Math.floor(n).toString(16).padStart(len, '0');
  const ts = hex(Math.max(0, ms), 12);
  const tail = hex(r.next() * 0x1000000, 6) + hex(r.next() * 0x1000000, 6);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(r.next() * 0x1000, 3)}-${hex(8 + r.next() * 4, 1)}${hex(r.next() * 0x1000, 3)}-${tail}`;
}

// ---------------------------------------------------------------------------------------------

/** About `count` synthetic incidents over `years` years up to `endDate`, the same for the same seed. */
export function generateDemoIncidents(config: ReferenceConfig, options: DemoIncidentOptions): DemoIncident[] {
  const t = timeline(options);
  const models = buildAreaModels(new Random(subSeed(options.seed, 2)), config, options);
  const bursts = planBursts(new Random(subSeed(options.seed, 1)), models, t.nDays);
  const areas = config.admin_areas.filter((a) => a.level === 1 && config.states.some((s) => s.code === a.state));
  const actors = new Map(config.actors.map((a) => [a.code, a]));
  const pools = models.map((m) => actorPool(config.actors, m.area));

  // Daily rate per area: hotspot weight × season × weekly noise × escalation.
  const noise = new Random(subSeed(options.seed, 3));
  const cumulative = new Float64Array(models.length * t.nDays);
  let total = 0;
  models.forEach((m, mi) => {
    let weekly = 1;
    for (let d = 0; d < t.nDays; d++) {
      if (d % 7 === 0) weekly = Math.exp(0.3 * noise.normal());
      const month = new Date(t.firstDay + d * DAY).getUTCMonth();
      const burst = burstAt(bursts, mi, d);
      const usual = (SEASON[month] as number) * weekly;
      // An escalation is several times the area's usual rate, never damped by the rains or a quiet week.
      total += m.weight * (burst ? burst.multiplier * Math.max(1, usual) : usual) * dayShare(t, d);
      cumulative[mi * t.nDays + d] = total;
    }
  });

  const r = new Random(subSeed(options.seed, 4));
  const drafts: Draft[] = [];
  for (let i = 0; i < options.count; i++) {
    const cell = search(cumulative, r.next() * total);
    const mi = Math.floor(cell / t.nDays);
    const day = cell % t.nDays;
    drafts.push(buildIncident(r, t, models[mi] as AreaModel, areas, pools[mi] as ActorPool, actors, day, burstAt(bursts, mi, day), options));
  }

  // Ids in time order, so that a re-seed with the same seed is recognised as the same records.
  drafts.sort((a, b) => a.ms - b.ms);
  const ids = new Random(subSeed(options.seed, 5));
  const seen = new Set<string>();
  return drafts.map(({ ms, reportingState, status, content }) => {
    let id = uuidv7(ms, ids);
    while (seen.has(id)) id = uuidv7(ms, ids);
    seen.add(id);
    return { reportingState, status, input: { id, ...content } };
  });
}

type DemoContent = Omit<IncidentCreate, 'id'>;
interface Draft { ms: number; reportingState: string; status: DemoIncident['status']; content: DemoContent }

/** The part of a day inside the time range: the first and last days are partial. */
function dayShare(t: Timeline, day: number): number {
  const start = t.firstDay + day * DAY;
  return Math.max(0, Math.min(start + DAY, t.end) - Math.max(start, t.rangeStart)) / DAY;
}

function burstAt(bursts: readonly Burst[], model: number, day: number): Burst | undefined {
  return bursts.find((b) => b.model === model && day >= b.startDay && day < b.endDay);
}

/** Index of the first cumulative weight above u. */
function search(cumulative: Float64Array, u: number): number {
  let [lo, hi] = [0, cumulative.length - 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function buildIncident(
  r: Random, t: Timeline, model: AreaModel, areas: readonly Area[], pool: ActorPool, actors: ReadonlyMap<string, Actor>,
  day: number, burst: Burst | undefined, options: Pick<DemoIncidentOptions, 'isInside' | 'geography'>,
): Draft {
  const { area } = model;
  const scenario = r.weighted(SCENARIOS.map((s) => [s, (model.capital ? s.capitalWeight : s.weight) * (burst && eventTypeOf(s.sub) === burst.focus ? 3 : 1)] as const));

  // Where: a place of the area, at the precision the report gives.
  const geo_precision = r.weighted(model.capital ? ([[1, 60], [2, 40]] as const) : ([[1, 45], [2, 40], [3, 10], [4, 5]] as const));
  const place = r.weighted(model.places.map((p, i) => [p, model.placeWeights[i] as number] as const));
  const geo = model.polygon ? options.geography : undefined;
  const point = geo_precision <= 2
    ? (geo ? jitterInArea(r, place, area, geo, options.isInside) : placeInArea(r, area, areas, options.isInside, place, PLACE_SD))
    : geo_precision === 3 ? place : model.centre;
  // Areas as the polygons have them; a record precise to the admin-2 area lets the server match its centroid.
  const at = geo && geo_precision !== 3 ? geo.placeOf(point.lat, point.lon) : null;
  const name = geo_precision <= 2 ? place.name : null;
  const guard = protection(r);
  // A narrative must not give away a place that the record hides from lower clearances.
  const shown = guard.exact_location_classification == null ? name : null;
  const inArea = (n: string) => (n === area.name_fr ? n : `${n} (${area.name_fr})`);
  const scene: Scene = {
    r, pool,
    at: shown ? `à ${inArea(shown)}` : model.capital ? `à ${area.name_fr}` : `dans une localité non précisée (${area.name_fr})`,
    village: model.capital ? `un quartier de ${shown ?? area.name_fr}` : shown ? `${place.population >= TOWN ? 'la localité' : 'le village'} de ${inArea(shown)}` : `une localité non précisée (${area.name_fr})`,
    label: (code) => {
      if (!code) return 'non identifié';
      if (code === pool.unidentified) return 'hommes armés non identifiés';
      const name = actors.get(code)?.name ?? code;
      return /\(([^)]+)\)\s*$/.exec(name)?.[1] ?? name;
    },
  };
  const o = scenario.build(scene);
  const fatalities = o.fatalities ?? 0;
  const toll = { fatalities, civilians: Math.min(o.civilians ?? 0, fatalities), injured: o.injured ?? 0, abducted: o.abducted ?? 0 };

  // When: attacks cluster at dawn; vaguer reports get a window.
  const dayStart = t.firstDay + day * DAY;
  const [from, to] = [Math.max(dayStart, t.rangeStart), Math.min(dayStart + DAY, t.end)];
  const time_precision = r.weighted([[1, 85], [2, 12], [3, 3]] as const);
  const hours = time_precision === 1 ? r.weighted([[[4, 8], 40], [[8, 18], 45], [[18, 24], 15]] as const) : ([0, 0] as const);
  let ms = dayStart + Math.floor(r.between(hours[0], hours[1]) * 60) * 60_000;
  if (ms < from || ms > to) ms = Math.floor(r.between(from, to));
  const endMs = time_precision === 1 ? (r.chance(0.3) ? ms + r.int(1, 6) * 3_600_000 : null) : ms + (time_precision === 2 ? 6 : 29) * DAY;

  const age = (t.end - ms) / DAY;
  const status = r.weighted<DemoIncident['status']>(age < 45
    ? [['validated', 45], ['submitted', 40], ['draft', 10], ['rejected', 5]]
    : [['validated', 93], ['submitted', 3.5], ['draft', 1.5], ['rejected', 2]]);
  const event_type = eventTypeOf(scenario.sub) as EventTypeSlug;
  const violent = event_type === 'battles' || event_type === 'explosions_remote_violence' || event_type === 'violence_against_civilians';
  const hurt = toll.fatalities + toll.injured + toll.abducted > 0;
  const best = toll.fatalities;

  const content: DemoContent = {
    status: status === 'draft' ? 'draft' : 'submitted',
    occurred_start: new Date(ms).toISOString(),
    occurred_end: endMs === null ? null : new Date(Math.min(t.end, endMs)).toISOString(),
    time_precision,
    latitude: point.lat,
    longitude: point.lon,
    geo_precision,
    place_name: name,
    admin1_code: area.code,
    ...(at?.admin2 ? { admin2_code: at.admin2 } : {}),
    event_type,
    sub_event_type: scenario.sub,
    tags: ['demo', ...o.tags],
    narrative: `[DÉMO] ${o.text}${violent || hurt ? ` ; ${tollText(toll)}` : ''}.`,
    actor1: o.actor1,
    actor2: o.actor2 ?? null,
    associated_actors: o.associated ?? [],
    fatalities_best: best,
    fatalities_low: Math.floor(best * r.between(0.6, 1)),
    fatalities_high: Math.ceil(best * r.between(1, 1.8)) + (best > 0 && r.chance(0.2) ? r.int(1, 3) : 0),
    civilian_fatalities: toll.civilians,
    injured: toll.injured,
    abducted: toll.abducted,
    sources: sources(r, ms, t.end),
    ...guard,
  };
  return { ms, reportingState: area.state, status, content };
}
