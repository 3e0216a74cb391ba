/** Reading an OpenRosa submission (the filled instance of Vigie's XForm) into the incident API's shape. Pure. */
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { Problem } from '../../lib/problem.js';
import { FORM_ID } from './xform.js';

export interface ParsedSubmission {
  formId: string;
  version: string;
  instanceId: string;
  deprecatedId: string | null;
  /** The collecting device as the client names it (meta/deviceID), when it does. */
  deviceId: string | null;
  /** Leaf values of the form's top-level questions, by name ('' for an empty answer). */
  fields: Record<string, string>;
  sources: { source_name: string; source_kind: string; reliability: string; credibility: string }[];
  /** File names the instance refers to (photos and the document), each sent as a multipart part of that name. */
  files: string[];
}

type El = { nodeType: number; localName: string | null; childNodes: ArrayLike<El>; textContent: string | null; getAttribute(name: string): string | null };
const children = (e: El) => Array.from(e.childNodes).filter((c) => c.nodeType === 1);
const childText = (e: El, name: string) => children(e).find((c) => c.localName === name)?.textContent?.trim() ?? '';

const invalid = (message: string) => new Problem('validation_failed', message, [{ field: 'xml_submission_file', message }]);

/** Parses the submission XML; a document that is not Vigie's form (or not XML) is refused with a French message. */
export function parseSubmission(xml: string): ParsedSubmission {
  const errors: string[] = [];
  let root: El | null = null;
  try {
    const doc = new DOMParser({ errorHandler: (level: string, msg: unknown) => { if (level !== 'warning') errors.push(String(msg)); } }).parseFromString(xml, 'text/xml');
    root = doc.documentElement as unknown as El | null;
  } catch {
    errors.push('fatal');
  }
  if (errors.length || !root) throw invalid('Le fichier de soumission n’est pas un document XML valide');
  const formId = root.getAttribute('id') ?? '';
  if (formId !== FORM_ID) throw invalid(`Formulaire inconnu « ${formId} » : seul ${FORM_ID} est accepté`);
  const meta = children(root).find((c) => c.localName === 'meta');
  const instanceId = meta ? childText(meta, 'instanceID') : '';
  if (!instanceId) throw invalid('La soumission n’a pas d’instanceID (meta/instanceID)');
  const fields: Record<string, string> = {};
  const sources: ParsedSubmission['sources'] = [];
  const files: string[] = [];
  for (const c of children(root)) {
    const name = c.localName ?? '';
    if (name === 'meta') continue;
    if (name === 'source') {
      const s = { source_name: childText(c, 'source_name'), source_kind: childText(c, 'source_kind'), reliability: childText(c, 'reliability'), credibility: childText(c, 'credibility') };
      if (Object.values(s).some(Boolean)) sources.push(s);
    } else if (name === 'photo') {
      const f = childText(c, 'file');
      if (f) files.push(f);
    } else if (!children(c).length) {
      fields[name] = c.textContent?.trim() ?? '';
    }
  }
  if (fields.document) files.push(fields.document);
  return { formId, version: root.getAttribute('version') ?? '', instanceId, deprecatedId: (meta && childText(meta, 'deprecatedID')) || null, deviceId: (meta && childText(meta, 'deviceID')) || null, fields, sources, files };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The incident id of a submission: the instanceID's own UUID (`uuid:…`, as Collect and Enketo write it), so a resent
 * form is the same record; any other instanceID gets a stable UUID derived from it.
 */
export function incidentIdOf(instanceId: string): string {
  const bare = instanceId.replace(/^uuid:/i, '');
  if (UUID.test(bare)) return bare.toLowerCase();
  const h = createHash('sha256').update(instanceId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A point where one is given: "lat lon [alt acc]" (XForms geopoint). */
export function geopointOf(v: string | undefined): { latitude: number; longitude: number } | null {
  if (!v) return null;
  const [lat, lon] = v.trim().split(/\s+/).map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? { latitude: lat!, longitude: lon! } : null;
}

/** An XForms dateTime or date as an ISO instant in UTC (the API's form); the text itself when it is neither. */
export function instantOf(v: string | undefined): string {
  if (!v) return '';
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}

const int = (v: string | undefined, fallback = 0) => (v === undefined || v === '' ? fallback : Number(v));
const orNull = (v: string | undefined) => (v ? v : null);

/** The incident API's create body for a submission whose location has been resolved. */
export function incidentInput(s: ParsedSubmission, id: string, at: { latitude: number; longitude: number; place_name: string | null }): Record<string, unknown> {
  const f = s.fields;
  return {
    id, status: 'submitted',
    occurred_start: instantOf(f.occurred_start), time_precision: int(f.time_precision, 1),
    latitude: at.latitude, longitude: at.longitude, geo_precision: int(f.geo_precision, 1), place_name: at.place_name,
    event_type: f.event_type, sub_event_type: f.sub_event_type,
    actor1: orNull(f.actor1), actor2: orNull(f.actor2),
    fatalities_best: int(f.fatalities_best), civilian_fatalities: int(f.civilian_fatalities), injured: int(f.injured), abducted: int(f.abducted),
    narrative: f.narrative ?? '',
    sources: s.sources.map((x) => ({ name: x.source_name, kind: x.source_kind, reliability: x.reliability, credibility: Number(x.credibility) })),
    classification: f.classification || 'restricted', sharing_scope: f.sharing_scope || 'national',
    tags: ['odk'],
  };
}
