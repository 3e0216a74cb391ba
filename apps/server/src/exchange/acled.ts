/**
 * ACLED ⇄ Vigie: one row of ACLED's CSV export and the incident it describes, both ways (docs/acled-mapping.md).
 *
 * `fromAcledRow` reads a row into the body of an incident (validated later, like any incident); `toAcledRow` writes an
 * incident as the reader sees it into a row of ACLED's columns, in ACLED's order (`ACLED_COLUMNS`). What ACLED can
 * carry survives the trip incidents → rows → CSV → import unchanged; what it cannot (source grading, injured and
 * abducted, the low/high toll) takes the import's defaults, listed in the mapping document.
 */
import { EVENT_TYPES, acledGeoPrecision, eventTypeOf, foldText, interactionCode, type IncidentCreate } from '@vigie/domain';
import { v5 as uuidv5 } from 'uuid';

/** ACLED's export columns, in ACLED's order. */
export const ACLED_COLUMNS = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type', 'actor1',
  'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting', 'iso', 'region',
  'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision', 'source', 'source_scale',
  'notes', 'fatalities', 'tags', 'timestamp',
] as const;
export type AcledColumn = (typeof ACLED_COLUMNS)[number];
export type AcledRow = Record<AcledColumn, string>;

/** Columns without which a file is not an ACLED export. */
export const ACLED_REQUIRED_COLUMNS: readonly AcledColumn[] = [
  'event_id_cnty', 'event_date', 'event_type', 'sub_event_type', 'actor1', 'actor2', 'country', 'latitude', 'longitude', 'fatalities',
];

/** What the mapping needs to know of the deployment: its states, actors and area names (from the reference data). */
export interface AcledReference {
  states: readonly { code: string; name_en: string; name_fr: string; iso_numeric?: string }[];
  actors: readonly { code: string; name: string; kind: number; state: string | null }[];
  /** Admin-area names by code (admin-1 and admin-2), for the export. */
  areaNames?: ReadonlyMap<string, string>;
}

/** An incident as a reader sees it (GET /api/v1/incidents), plus where it came from when the caller knows it. */
export interface AcledExportable {
  id: string;
  reporting_state: string;
  updated_at: string;
  occurred_start: string;
  time_precision: number;
  latitude: number;
  longitude: number;
  geo_precision: number;
  place_name: string | null;
  admin1_code: string | null;
  admin2_code: string | null;
  event_type: string;
  sub_event_type: string;
  tags: readonly string[];
  narrative: string;
  actor1: string | null;
  actor2: string | null;
  associated_actors: readonly string[];
  fatalities_best: number;
  civilian_fatalities: number;
  sources: readonly { name: string }[];
  external_source?: string | null;
  external_id?: string | null;
}

/** Namespace of the incident ids derived from ACLED's event_id_cnty. */
const ACLED_NAMESPACE = uuidv5('https://acleddata.com/', uuidv5.URL);
const VIGIE_EVENT_ID = /^[A-Z]{3,4}-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The incident id of an ACLED event: the same on every import. An event Vigie exported itself (`MLI-<uuid>`) keeps
 * its own id, so an export imported into another node is the same record there.
 */
export function acledIncidentId(eventIdCnty: string): string {
  return VIGIE_EVENT_ID.exec(eventIdCnty)?.[1] ?? uuidv5(`acled:${eventIdCnty}`, ACLED_NAMESPACE);
}

/** ACLED's actor-kind labels ("inter" codes 1–8), as in its exports since 2024. */
const INTER_LABELS: Record<number, string> = {
  1: 'State forces', 2: 'Rebel group', 3: 'Political militia', 4: 'Identity militia', 5: 'Rioters', 6: 'Protesters', 7: 'Civilians', 8: 'External/Other forces',
};
const interOf = (label: string): number | undefined => {
  const n = Number(label);
  if (label.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 8) return n;
  const f = foldText(label);
  return Object.entries(INTER_LABELS).map(([k, v]) => [Number(k), foldText(v)] as const).find(([, v]) => v === f)?.[0];
};

/**
 * ACLED's names for the actors of the default reference data (matched accent- and case-blind, a trailing "(Country)"
 * or "(2021-)" left out). State forces are "Military/Police Forces of <member state>", resolved from the configuration.
 */
const ACLED_ACTORS: { code: string; name: string; match: RegExp }[] = [
  { code: 'JNIM', name: 'JNIM: Group for Support of Islam and Muslims', match: /^jnim\b|group for support of islam and muslims/ },
  { code: 'EIGS', name: 'Islamic State (Sahel)', match: /^islamic state (\()?(sahel|greater sahara)|^isgs\b|^is sahel/ },
  { code: 'ISWAP', name: 'Islamic State West Africa Province (ISWAP)', match: /^islamic state west africa|^iswap\b|^islamic state \(west africa\)/ },
  { code: 'JAS', name: 'Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad', match: /^boko haram|jamaatu ahli/ },
  { code: 'CSP', name: 'CSP-PSD: Permanent Strategic Framework for Peace, Security and Development', match: /^csp\b|permanent strategic framework/ },
  { code: 'VDP', name: 'VDP: Volunteers for the Defense of the Homeland', match: /^vdp\b|volunteers for the defen[cs]e of the homeland/ },
  { code: 'DAN-NA-AMBASSAGOU', name: 'Dan Na Ambassagou', match: /dan na a?mbassagou/ },
  { code: 'KOGLWEOGO', name: 'Koglweogo Militia', match: /koglweogo/ },
  { code: 'MIL-COMM', name: 'Communal Militia', match: /(communal|ethnic) militia|^dozo/ },
  { code: 'GAN', name: 'Unidentified Armed Group', match: /^unidentified armed group/ },
  { code: 'EMEUTIERS', name: 'Rioters', match: /^rioters\b/ },
  { code: 'MANIFESTANTS', name: 'Protesters', match: /^protesters\b/ },
  { code: 'CIVILS', name: 'Civilians', match: /^civilians\b/ },
  { code: 'FORCES-EXT', name: 'Wagner Group', match: /^wagner\b|^africa corps|^minusma\b|^operation barkhane|^(military|police) forces of (france|russia|chad)/ },
];
/** Actors ACLED names after the country of the event: "Civilians (Mali)". */
const NAMED_WITH_COUNTRY = new Set(['MIL-COMM', 'GAN', 'EMEUTIERS', 'MANIFESTANTS', 'CIVILS']);
/** When ACLED names an actor Vigie does not know, the generic actor of its kind stands in (state forces: the state's). */
const GENERIC_BY_KIND: Record<number, string> = { 2: 'GAN', 3: 'GAN', 4: 'MIL-COMM', 5: 'EMEUTIERS', 6: 'MANIFESTANTS', 7: 'CIVILS', 8: 'FORCES-EXT' };

const stripQualifier = (name: string) => foldText(name.replace(/\s*\([^)]*\)\s*$/, '').replace(/\s*\([^)]*\)\s*$/, ''));

/** The actor code an ACLED actor name stands for, or undefined when the name is not known. */
export function actorCodeOf(ref: AcledReference, name: string): string | undefined {
  const folded = foldText(name.trim());
  if (!folded) return undefined;
  const codes = new Set(ref.actors.map((a) => a.code));
  const own = ref.actors.find((a) => foldText(a.code) === folded || foldText(a.name) === folded);
  if (own) return own.code;
  const forces = /^(military|police|gendarmerie) forces of (.+)$/.exec(stripQualifier(name));
  if (forces?.[2]) {
    const state = ref.states.find((s) => foldText(s.name_en) === forces[2] || foldText(s.name_fr) === forces[2]);
    const stateForces = state && ref.actors.find((a) => a.kind === 1 && a.state === state.code);
    if (stateForces) return stateForces.code;
  }
  const known = ACLED_ACTORS.find((a) => a.match.test(folded) || a.match.test(stripQualifier(name)));
  return known && codes.has(known.code) ? known.code : undefined;
}

/** The name ACLED gives an actor of the reference data in an event of `state`. */
export function acledActorName(ref: AcledReference, code: string, state: string): string {
  const actor = ref.actors.find((a) => a.code === code);
  const stateName = (c: string | null) => ref.states.find((s) => s.code === c)?.name_en;
  if (actor?.kind === 1 && actor.state && stateName(actor.state)) return `Military Forces of ${stateName(actor.state)}`;
  const known = ACLED_ACTORS.find((a) => a.code === code);
  if (!known) return actor?.name ?? code;
  const country = stateName(state);
  return NAMED_WITH_COUNTRY.has(code) && country ? `${known.name} (${country})` : known.name;
}

const splitList = (s: string) => s.split(';').map((x) => x.trim()).filter(Boolean);
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** ACLED's event_date: `YYYY-MM-DD` (API and recent exports) or `D Month YYYY` (older exports); a date that exists. */
export function parseAcledDate(text: string): string | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (long) [y, m, d] = [Number(long[3]), MONTHS.indexOf((long[2] ?? '').toLowerCase()) + 1, Number(long[1])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString();
}

const CIVILIAN_FATALITIES_TAG = /^civilian fatalities=(\d+)$/;

export type AcledReading =
  | { ok: true; eventId: string; state: string; incident: IncidentCreate; unknownActors: { name: string; code: string }[] }
  | { ok: false; eventId: string; field: AcledColumn; reason: string };

/**
 * One ACLED row → the body of an incident (not yet validated as an incident: that is the import's job), or the first
 * reason it cannot be one. Unknown actor names are returned, and stand in as the generic actor of their kind.
 */
export function fromAcledRow(row: Partial<Record<string, string>>, ref: AcledReference): AcledReading {
  const get = (c: AcledColumn) => (row[c] ?? '').trim();
  const eventId = get('event_id_cnty');
  const bad = (field: AcledColumn, reason: string): AcledReading => ({ ok: false, eventId, field, reason });
  if (!eventId) return bad('event_id_cnty', 'event_id_cnty manquant');
  const state = ref.states.find((s) => [s.name_en, s.name_fr].some((n) => foldText(n) === foldText(get('country'))) || (s.iso_numeric && s.iso_numeric === get('iso')));
  if (!state) return bad('country', `« ${get('country')} » n'est pas un État membre`);
  const start = parseAcledDate(get('event_date'));
  if (!start) return bad('event_date', `date impossible ou illisible : « ${get('event_date')} » (attendu AAAA-MM-JJ)`);
  if (get('year') && get('year') !== start.slice(0, 4)) return bad('year', `year ${get('year')} ne correspond pas à event_date ${get('event_date')}`);
  const lat = Number(get('latitude'));
  const lon = Number(get('longitude'));
  if (get('latitude') === '' || !Number.isFinite(lat) || lat < -90 || lat > 90) return bad('latitude', `latitude hors de −90…90 : « ${get('latitude')} »`);
  if (get('longitude') === '' || !Number.isFinite(lon) || lon < -180 || lon > 180) return bad('longitude', `longitude hors de −180…180 : « ${get('longitude')} »`);
  const type = EVENT_TYPES.find((t) => foldText(t.label.en) === foldText(get('event_type')));
  if (!type) return bad('event_type', `type d'événement ACLED inconnu : « ${get('event_type')} »`);
  const sub = type.subTypes.find((s) => foldText(s.label.en) === foldText(get('sub_event_type')));
  if (!sub) return bad('sub_event_type', `sous-type « ${get('sub_event_type')} » inconnu pour ${type.label.en}`);
  const fatalities = Number(get('fatalities') || '0');
  if (!Number.isInteger(fatalities) || fatalities < 0) return bad('fatalities', `nombre de morts invalide : « ${get('fatalities')} »`);
  const precision = Number(get('time_precision') || '1');
  if (![1, 2, 3].includes(precision)) return bad('time_precision', `time_precision doit valoir 1, 2 ou 3 : « ${get('time_precision')} »`);
  const geo = Number(get('geo_precision') || '1');
  if (![1, 2, 3].includes(geo)) return bad('geo_precision', `geo_precision doit valoir 1, 2 ou 3 : « ${get('geo_precision')} »`);

  const unknownActors: { name: string; code: string }[] = [];
  const stateForces = ref.actors.find((a) => a.kind === 1 && a.state === state.code)?.code;
  const actor = (name: string, inter: string): string | null => {
    if (!name) return null;
    const code = actorCodeOf(ref, name);
    if (code) return code;
    const kind = interOf(inter);
    const stand = (kind === 1 ? stateForces : kind ? GENERIC_BY_KIND[kind] : undefined) ?? 'GAN';
    unknownActors.push({ name, code: stand });
    return stand;
  };
  const actor1 = actor(get('actor1'), get('inter1'));
  const actor2 = actor(get('actor2'), get('inter2'));
  const associated = [...splitList(get('assoc_actor_1')), ...splitList(get('assoc_actor_2'))].map((n) => actor(n, ''));
  const tags = splitList(get('tags'));
  const civilianTag = tags.map((t) => CIVILIAN_FATALITIES_TAG.exec(t)).find(Boolean);
  const civilianTargeting = foldText(get('civilian_targeting')) === 'civilian targeting';
  const civilians = civilianTag ? Math.min(Number(civilianTag[1]), fatalities) : civilianTargeting ? fatalities : 0;
  const unknownNote = unknownActors.length ? `\nActeurs ACLED non reconnus : ${unknownActors.map((a) => a.name).join(' ; ')}.` : '';

  const incident: IncidentCreate = {
    id: acledIncidentId(eventId),
    status: 'submitted',
    occurred_start: start,
    occurred_end: null,
    time_precision: precision as 1 | 2 | 3,
    latitude: lat,
    longitude: lon,
    geo_precision: geo === 3 ? 4 : (geo as 1 | 2),
    place_name: get('location') || null,
    event_type: type.slug,
    sub_event_type: sub.slug,
    tags: tags.filter((t) => !CIVILIAN_FATALITIES_TAG.test(t)).map((t) => t.slice(0, 50)).slice(0, 30),
    narrative: `${get('notes')}${unknownNote}`.slice(0, 20_000),
    actor1,
    actor2,
    associated_actors: [...new Set(associated.filter((c): c is string => c !== null))],
    fatalities_best: fatalities,
    fatalities_low: null,
    fatalities_high: null,
    civilian_fatalities: civilians,
    sources: splitList(get('source')).slice(0, 50).map((name) => ({ name: name.slice(0, 200), kind: 'media', reliability: 'B', credibility: 2 })),
    // ACLED's data may not be redistributed: never public, shared with the member states' cleared readers.
    classification: 'restricted',
    sharing_scope: 'confederation',
  };
  return { ok: true, eventId, state: state.code, incident, unknownActors };
}

/** ACLED's disorder type of a Vigie event type / sub-type. */
function disorderType(eventType: string, subType: string): string {
  if (eventType === 'strategic_developments') return 'Strategic developments';
  if (subType === 'excessive_force_against_protesters') return 'Political violence; Demonstrations';
  if (eventType === 'protests' || subType === 'violent_demonstration') return 'Demonstrations';
  return 'Political violence';
}

const label = (slug: string) => EVENT_TYPES.flatMap((t) => [t, ...t.subTypes]).find((x) => x.slug === slug)?.label.en ?? slug;

/** An incident as the reader sees it → one ACLED row (every column of ACLED_COLUMNS, as text). */
export function toAcledRow(incident: AcledExportable, ref: AcledReference): AcledRow {
  const i = incident;
  const state = ref.states.find((s) => s.code === i.reporting_state);
  const kindOf = (code: string | null) => ref.actors.find((a) => a.code === code)?.kind ?? null;
  const name = (code: string) => acledActorName(ref, code, i.reporting_state);
  const [k1, k2] = [kindOf(i.actor1), kindOf(i.actor2)];
  const interaction = interactionCode(k1, k2);
  const interLabel = (k: number | null) => (k ? INTER_LABELS[k] ?? '' : '');
  const interactionLabel = interaction === null ? '' : interaction % 10 === 0
    ? `${interLabel(interaction / 10)} only`
    : `${interLabel(Math.floor(interaction / 10))}-${interLabel(interaction % 10)}`;
  const civilianTargeting = i.civilian_fatalities > 0 || k2 === 7 || eventTypeOf(i.sub_event_type) === 'violence_against_civilians';
  const tags = [...i.tags, ...(civilianTargeting && i.civilian_fatalities !== i.fatalities_best ? [`civilian fatalities=${i.civilian_fatalities}`] : [])];
  const eventId = i.external_source === 'acled' && i.external_id ? i.external_id : `${i.reporting_state}-${i.id}`;
  return {
    event_id_cnty: eventId,
    event_date: i.occurred_start.slice(0, 10),
    year: i.occurred_start.slice(0, 4),
    time_precision: String(i.time_precision),
    disorder_type: disorderType(i.event_type, i.sub_event_type),
    event_type: label(i.event_type),
    sub_event_type: label(i.sub_event_type),
    actor1: i.actor1 ? name(i.actor1) : '',
    assoc_actor_1: i.associated_actors.map(name).join('; '),
    inter1: interLabel(k1),
    actor2: i.actor2 ? name(i.actor2) : '',
    assoc_actor_2: '',
    inter2: interLabel(k2),
    interaction: interactionLabel,
    civilian_targeting: civilianTargeting ? 'Civilian targeting' : '',
    iso: state?.iso_numeric ?? '',
    region: 'Western Africa',
    country: state?.name_en ?? i.reporting_state,
    admin1: (i.admin1_code && ref.areaNames?.get(i.admin1_code)) ?? '',
    admin2: (i.admin2_code && ref.areaNames?.get(i.admin2_code)) ?? '',
    admin3: '',
    location: i.place_name ?? '',
    latitude: String(i.latitude),
    longitude: String(i.longitude),
    geo_precision: String(acledGeoPrecision(i.geo_precision)),
    source: i.sources.map((s) => s.name).join('; '),
    source_scale: i.sources.length ? 'Other' : '',
    notes: i.narrative,
    fatalities: String(i.fatalities_best),
    tags: tags.join('; '),
    timestamp: String(Math.floor(Date.parse(i.updated_at) / 1000)),
  };
}
