/** The incident form's state (strings, as inputs hold them) and its conversion to and from the API's JSON. */
import { CLASSIFICATIONS, type Classification } from '@vigie/domain/classification';
import type { Incident } from '../../api/types';

export interface SourceForm {
  name: string;
  kind: string;
  reliability: string;
  credibility: string;
}

export interface IncidentForm {
  occurred_start: string;
  occurred_end: string;
  time_precision: string;
  latitude: string;
  longitude: string;
  geo_precision: string;
  place_name: string;
  admin1_code: string;
  admin2_code: string;
  event_type: string;
  sub_event_type: string;
  tags: string;
  narrative: string;
  actor1: string;
  actor2: string;
  associated_actors: string[];
  fatalities_best: string;
  fatalities_low: string;
  fatalities_high: string;
  civilian_fatalities: string;
  injured: string;
  abducted: string;
  sources: SourceForm[];
  classification: string;
  sharing_scope: string;
  exact_location_classification: string;
}

export const newSource = (): SourceForm => ({ name: '', kind: 'field_report', reliability: 'F', credibility: '6' });

export function emptyForm(): IncidentForm {
  return {
    occurred_start: '', occurred_end: '', time_precision: '1', latitude: '', longitude: '', geo_precision: '1', place_name: '',
    admin1_code: '', admin2_code: '', event_type: '', sub_event_type: '', tags: '', narrative: '', actor1: '', actor2: '',
    associated_actors: [], fatalities_best: '0', fatalities_low: '', fatalities_high: '', civilian_fatalities: '0', injured: '0',
    abducted: '0', sources: [newSource()], classification: 'restricted', sharing_scope: 'national', exact_location_classification: '',
  };
}

/** "2025-03-14T08:00:00.000Z" → "2025-03-14T08:00" for a datetime-local input (the form works in UTC). */
export const isoToLocalInput = (iso: string | null) => (iso ? iso.slice(0, 16) : '');
/** "2025-03-14T08:00" (UTC) → "2025-03-14T08:00:00Z"; anything else is passed on for the schema to refuse. */
export const localInputToIso = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v);

const num = (v: string): number | string => {
  const s = v.trim().replace(',', '.'); // a French decimal comma is fine
  return s === '' ? '' : Number.isFinite(Number(s)) ? Number(s) : v;
};
const optNum = (v: string): number | string | null => (v.trim() === '' ? null : num(v));
const opt = (v: string): string | null => (v.trim() === '' ? null : v.trim());

export function incidentToForm(i: Incident): IncidentForm {
  return {
    occurred_start: isoToLocalInput(i.occurred_start), occurred_end: isoToLocalInput(i.occurred_end), time_precision: String(i.time_precision),
    latitude: String(i.latitude), longitude: String(i.longitude), geo_precision: String(i.geo_precision), place_name: i.place_name ?? '',
    admin1_code: i.admin1_code ?? '', admin2_code: i.admin2_code ?? '', event_type: i.event_type, sub_event_type: i.sub_event_type,
    tags: i.tags.join(', '), narrative: i.narrative, actor1: i.actor1 ?? '', actor2: i.actor2 ?? '', associated_actors: i.associated_actors,
    fatalities_best: String(i.fatalities_best), fatalities_low: i.fatalities_low == null ? '' : String(i.fatalities_low),
    fatalities_high: i.fatalities_high == null ? '' : String(i.fatalities_high), civilian_fatalities: String(i.civilian_fatalities),
    injured: String(i.injured), abducted: String(i.abducted),
    sources: i.sources.map((s) => ({ name: s.name, kind: s.kind, reliability: s.reliability, credibility: String(s.credibility) })),
    classification: i.classification, sharing_scope: i.sharing_scope, exact_location_classification: i.exact_location_classification ?? '',
  };
}

/** The JSON body of the form's fields, with the types the schema expects; bad input is kept for the schema to name. */
export function formToBody(f: IncidentForm): Record<string, unknown> {
  return {
    occurred_start: localInputToIso(f.occurred_start),
    occurred_end: f.occurred_end ? localInputToIso(f.occurred_end) : null,
    time_precision: Number(f.time_precision),
    latitude: num(f.latitude),
    longitude: num(f.longitude),
    geo_precision: Number(f.geo_precision),
    place_name: opt(f.place_name),
    admin1_code: opt(f.admin1_code),
    admin2_code: opt(f.admin2_code),
    event_type: f.event_type,
    sub_event_type: f.sub_event_type,
    tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean),
    narrative: f.narrative,
    actor1: opt(f.actor1),
    actor2: opt(f.actor2),
    associated_actors: f.associated_actors,
    fatalities_best: num(f.fatalities_best),
    fatalities_low: optNum(f.fatalities_low),
    fatalities_high: optNum(f.fatalities_high),
    civilian_fatalities: num(f.civilian_fatalities),
    injured: num(f.injured),
    abducted: num(f.abducted),
    sources: f.sources.filter((s) => s.name.trim() !== '' || f.sources.length === 1 ? s.name.trim() !== '' : true)
      .map((s) => ({ name: s.name.trim(), kind: s.kind, reliability: s.reliability, credibility: Number(s.credibility) })),
    classification: f.classification,
    sharing_scope: f.sharing_scope,
    exact_location_classification: opt(f.exact_location_classification),
  };
}

/** Only the fields that differ from the record being edited: what a PATCH should carry. */
export function changedFields(base: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (JSON.stringify(v ?? null) !== JSON.stringify(base[k] ?? null)) out[k] = v;
  return out;
}

/** Whether an edit lowers the record's classification or its location protection (which then needs a reason). */
export function lowersProtection(base: Pick<Incident, 'classification' | 'exact_location_classification'>, changes: Record<string, unknown>): boolean {
  const level = (c: unknown) => (typeof c === 'string' ? CLASSIFICATIONS.indexOf(c as Classification) : -1);
  if ('classification' in changes && level(changes.classification) < level(base.classification)) return true;
  if ('exact_location_classification' in changes && base.exact_location_classification) {
    return level(changes.exact_location_classification) < level(base.exact_location_classification);
  }
  return false;
}
