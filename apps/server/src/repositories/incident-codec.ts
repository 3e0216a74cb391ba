/**
 * The one place an incident's row is encoded and decoded: a client's content ↔ its stored columns, a stored row ↔ the
 * API's record (also read as an array, for bulk reads), and the history's snapshots (incident-history.repository.ts
 * writes and reads them through here). Services hand content in and get records out; none handles a column's encoding.
 */
import { CLASSIFICATIONS, foldText, incidentCreateSchema, taxonomyLabel, type Classification, type Incident, type IncidentCreateParsed } from '@vigie/domain';
import { toUtcIso } from '../lib/ids.js';

/** An incident's content as a client sends it, parsed: the create schema's fields less id and status. */
export type Content = Omit<IncidentCreateParsed, 'id' | 'status'>;
/** The content fields, in the create schema's order (the fields a change compares). */
export const CONTENT_FIELDS = Object.keys(incidentCreateSchema.def.shape).filter((k) => k !== 'id' && k !== 'status') as (keyof Content)[];
/** The same fields as a stored record holds them (the API's types: text where the create schema has an enum). */
export type IncidentContent = Pick<Incident, keyof Content>;

/** The stored columns selectVisible reads as they are; the point, its coarsening flag and the place name follow. */
export const STORED_FIELDS = [
  'id', 'reporting_state', 'reporter_id', 'status', 'version', 'created_at', 'updated_at', 'occurred_start', 'occurred_end',
  'time_precision', 'geo_precision', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type', 'interaction', 'tags', 'narrative',
  'actor1', 'actor2', 'associated_actors', 'fatalities_best', 'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured',
  'abducted', 'sources', 'classification_level', 'sharing_scope', 'exact_location_level', 'rejection_reason', 'merged_into', 'assigned_to',
  'origin_node',
] as const;

/** selectVisible's columns in its select list's order: a row read as an array (Engine.selectArrays) has its values in this order. */
const VISIBLE_FIELDS = [...STORED_FIELDS, 'latitude', 'longitude', 'location_coarsened', 'place_name'] as const;
/** How many columns selectVisible selects: a query's own selections come after them, from this index on. */
export const VISIBLE_COLUMNS = VISIBLE_FIELDS.length;
const at = Object.fromEntries(VISIBLE_FIELDS.map((f, k) => [f, k])) as Record<(typeof VISIBLE_FIELDS)[number], number>;

const level = (n: number | null) => (n === null ? null : CLASSIFICATIONS[n] ?? null);

/** A database row as the API's incident. */
export function toIncident(r: VisibleValues): Incident {
  return incidentFromArray(VISIBLE_FIELDS.map((f) => r[f]));
}

/**
 * A row of selectVisible read as an array (VISIBLE_FIELDS order) as the API's incident: bulk reads skip the driver's
 * object per row. The one mapping from stored values to the API's record (toIncident goes through it).
 */
export function incidentFromArray(row: readonly unknown[]): Incident {
  // Each value is the column's as stored (the driver's types); read by index, no helper call per field.
  const a = row as readonly never[];
  return {
    id: a[at.id],
    reporting_state: a[at.reporting_state],
    reporter: a[at.reporter_id],
    status: a[at.status],
    version: a[at.version],
    created_at: a[at.created_at],
    updated_at: a[at.updated_at],
    occurred_start: a[at.occurred_start],
    occurred_end: a[at.occurred_end],
    time_precision: a[at.time_precision],
    latitude: a[at.latitude],
    longitude: a[at.longitude],
    location_coarsened: Number(a[at.location_coarsened]) === 1,
    geo_precision: a[at.geo_precision],
    place_name: a[at.place_name],
    admin1_code: a[at.admin1_code],
    admin2_code: a[at.admin2_code],
    event_type: a[at.event_type],
    sub_event_type: a[at.sub_event_type],
    interaction: a[at.interaction],
    tags: JSON.parse(a[at.tags]) as string[],
    narrative: a[at.narrative],
    actor1: a[at.actor1],
    actor2: a[at.actor2],
    associated_actors: JSON.parse(a[at.associated_actors]) as string[],
    fatalities_best: a[at.fatalities_best],
    fatalities_low: a[at.fatalities_low],
    fatalities_high: a[at.fatalities_high],
    civilian_fatalities: a[at.civilian_fatalities],
    injured: a[at.injured],
    abducted: a[at.abducted],
    sources: JSON.parse(a[at.sources]) as Incident['sources'],
    classification: CLASSIFICATIONS[a[at.classification_level] as number] ?? 'secret',
    sharing_scope: a[at.sharing_scope],
    exact_location_classification: level(a[at.exact_location_level]),
    rejection_reason: a[at.rejection_reason],
    merged_into: a[at.merged_into],
    assigned_to: a[at.assigned_to],
    ...(a[at.origin_node] ? { origin_node: a[at.origin_node] as string } : {}),
  };
}

/** selectVisible's values by name (a row read as an object, or a row just written with its visibility flag). */
export type VisibleValues = { readonly [K in (typeof VISIBLE_FIELDS)[number]]: unknown };

/** A row just inserted, as its first history version holds it: the exact point, from this node. */
export const recordOfNewRow = (row: Omit<VisibleValues, 'origin_node' | 'location_coarsened'>): Incident =>
  // Read field by field from the row (a copy of it with the two flags added cost as much as the rest: imports build one per record).
  incidentFromArray(VISIBLE_FIELDS.map((f) => (f === 'origin_node' ? null : f === 'location_coarsened' ? 0 : (row as Partial<VisibleValues>)[f])));

/** The content of a record (a stored row decoded, a snapshot, a combined record), field by field. */
export function contentOfRecord(r: Incident): IncidentContent {
  return {
    occurred_start: r.occurred_start, occurred_end: r.occurred_end ?? null, time_precision: r.time_precision, latitude: r.latitude,
    longitude: r.longitude, geo_precision: r.geo_precision, place_name: r.place_name ?? null, admin1_code: r.admin1_code ?? null,
    admin2_code: r.admin2_code ?? null, event_type: r.event_type, sub_event_type: r.sub_event_type, tags: r.tags, narrative: r.narrative,
    actor1: r.actor1 ?? null, actor2: r.actor2 ?? null, associated_actors: r.associated_actors, fatalities_best: r.fatalities_best,
    fatalities_low: r.fatalities_low ?? null, fatalities_high: r.fatalities_high ?? null, civilian_fatalities: r.civilian_fatalities,
    injured: r.injured, abducted: r.abducted, sources: r.sources, classification: r.classification, sharing_scope: r.sharing_scope,
    exact_location_classification: r.exact_location_classification ?? null,
  };
}

/** The content of a stored row, exact point and all (the row as its writer edits it). */
export const contentOfRow = (row: Omit<VisibleValues, 'location_coarsened'>): IncidentContent => contentOfRecord(toIncident({ ...row, location_coarsened: 0 }));

/** The sources' names as the exports write them (exchange/columns.ts: joined by ' | '), stored with the sources. */
export const sourceNames = (sources: readonly { name?: string }[]): string => sources.map((s) => s.name ?? '').join(' | ');

/** The columns an incident's content is stored in: what a client sends (parsed), or a record's content (a merge, a received record). */
export function contentColumns(c: Content | IncidentContent) {
  return {
    // A received record is not re-parsed: a start that is missing must reach the NOT NULL constraint (and the dead
    // letters), never become 1970-01-01 through new Date(null).
    occurred_start: typeof c.occurred_start === 'string' ? toUtcIso(c.occurred_start) : (c.occurred_start as never),
    occurred_end: c.occurred_end ? toUtcIso(c.occurred_end) : null,
    time_precision: c.time_precision,
    latitude: c.latitude,
    longitude: c.longitude,
    geo_precision: c.geo_precision,
    place_name: c.place_name ?? null,
    event_type: c.event_type,
    sub_event_type: c.sub_event_type,
    tags: JSON.stringify(c.tags),
    narrative: c.narrative,
    actor1: c.actor1 ?? null,
    actor2: c.actor2 ?? null,
    associated_actors: JSON.stringify(c.associated_actors),
    fatalities_best: c.fatalities_best,
    fatalities_low: c.fatalities_low ?? null,
    fatalities_high: c.fatalities_high ?? null,
    civilian_fatalities: c.civilian_fatalities,
    injured: c.injured,
    abducted: c.abducted,
    sources: JSON.stringify(c.sources),
    source_names: sourceNames(c.sources),
    classification_level: CLASSIFICATIONS.indexOf(c.classification),
    sharing_scope: c.sharing_scope,
  };
}

/** The stored level of a location protection (its index in CLASSIFICATIONS), null when the point is not protected. */
export const exactLocationLevel = (c: Classification | null | undefined): number | null => (c ? CLASSIFICATIONS.indexOf(c) : null);

/** The folded text search runs over; a place name protected with the location must not be findable by search either. */
export function searchText(c: Pick<IncidentContent, 'narrative' | 'tags' | 'event_type' | 'sub_event_type'> & { place_name?: string | null }, exactLevel: number | null): string {
  const searchable = [c.narrative, exactLevel === null ? c.place_name : '', ...c.tags, taxonomyLabel(c.sub_event_type), taxonomyLabel(c.event_type)];
  return foldText(searchable.filter(Boolean).join(' '));
}

/** A history snapshot as stored: the full record after the change, and the coarse point for readers who see it coarsened. */
export const encodeSnapshot = (rec: Incident, coarse: [number, number] | null): string =>
  // The text of `{ ...rec, _coarse: coarse }` without the copy of the record: its JSON with the member appended.
  `${JSON.stringify(rec).slice(0, -1)},"_coarse":${JSON.stringify(coarse)}}`;

/** A stored history snapshot: the record it holds and its coarse point. */
export function decodeSnapshot(snapshot: string): { record: Incident; coarse: [number, number] | null } {
  const { _coarse, ...record } = JSON.parse(snapshot) as Incident & { _coarse?: [number, number] | null };
  return { record, coarse: _coarse ?? null };
}
