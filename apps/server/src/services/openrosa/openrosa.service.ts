/**
 * OpenRosa intake (ODK Collect, KoboCollect, Enketo, ODK Web Forms): the form list, Vigie's generated XForm and its
 * media, and submissions. A submission goes through the incident create path (createInTransaction inside mutate():
 * permission, one transaction, change log, audit) and lands as a `submitted` report of the reporter's state, placed by
 * polygon; its files are kept as evidence of the record, metadata stripped. Idempotent by instanceID: the same XML again
 * is "already received" (or completes the files of a split submission), other XML under the same instanceID a conflict;
 * an edit names the instance it replaces in meta/deprecatedID.
 */
import { CLASSIFICATIONS, incidentCreateSchema, parseInput, type Incident } from '@vigie/domain';
import { listActors, listAdminAreas } from '../../repositories/reference.repository.js';
import { getVisibleIncident } from '../../repositories/incident.repository.js';
import { findSubmission, insertSubmission } from '../../repositories/openrosa.repository.js';
import { insertAttachments, storedFileNames } from '../../repositories/attachment.repository.js';
import { newId, nowIso, sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { mutate, type MutationAudit } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import { placesOf } from '../geography/geography.service.js';
import { createInTransaction, patchIncident, reportingStateOf } from '../incidents/incident.service.js';
import { incidentIdOf, incidentInput, parseSubmission, geopointOf, type ParsedSubmission } from './submission-xml.js';
import { attachmentAudit, attachmentRows, type NamedFile } from '../attachments/attachment.service.js';
import { cleanFile, MAX_FILE_BYTES } from '../attachments/clean-file.js';
import { buildXForm, csvOf, FORM_ID, md5Of, MEDIA_FILES, type MediaFile } from './xform.js';

export { MAX_FILE_BYTES };
/** Largest POST accepted (X-OpenRosa-Accept-Content-Length): the XML and a few files; Collect splits bigger sets. */
export const MAX_SUBMISSION_BYTES = 3 * MAX_FILE_BYTES;

/** Who is submitting: the user, and the token (device) they authenticated with, if any. */
export interface OpenRosaCaller { principal: Principal; tokenId: string | null; device: string | null }

/** A file part of a submission POST. */
export interface IncomingFile { name: string; contentType: string; data: Buffer }

let cachedForm: { xml: string; version: string; hash: string } | undefined;

/** The generated XForm (built once per process: it depends on the domain only). */
export function incidentForm(): { xml: string; version: string; hash: string } {
  if (!cachedForm) {
    const f = buildXForm();
    cachedForm = { ...f, hash: md5Of(f.xml) };
  }
  return cachedForm;
}

/** Only users who report incidents for a member state get the form and submit it. */
function assertReporter(ctx: Ctx, principal: Principal): string {
  requirePermission(principal, 'incident.create');
  return reportingStateOf(ctx, principal, {});
}

export function formList(ctx: Ctx, principal: Principal) {
  assertReporter(ctx, principal);
  const f = incidentForm();
  return [{ formId: FORM_ID, name: 'Vigie — signalement d’incident', version: f.version, hash: f.hash }];
}

export function formXml(ctx: Ctx, principal: Principal, formId: string): string {
  assertReporter(ctx, principal);
  if (formId !== FORM_ID) throw new Problem('not_found', `Formulaire inconnu : ${formId}`);
  return incidentForm().xml;
}

/** A media file of the form: the reference lists of the caller's state, as CSV (`name`, `label`, then data columns). */
export async function mediaFile(ctx: Ctx, principal: Principal, formId: string, file: string): Promise<string> {
  const state = assertReporter(ctx, principal);
  if (formId !== FORM_ID || !(MEDIA_FILES as readonly string[]).includes(file)) throw new Problem('not_found', `Fichier inconnu : ${file}`);
  switch (file as MediaFile) {
    case 'actors.csv': {
      const actors = (await listActors(ctx.engine.db)).filter((a) => a.state === null || a.state === state);
      return csvOf(['name', 'label', 'kind'], actors.map((a) => [a.code, a.name, a.kind]));
    }
    case 'areas.csv': {
      const areas = await listAdminAreas(ctx.engine.db, { state });
      return csvOf(['name', 'label', 'label_en', 'level', 'latitude', 'longitude'], areas.filter((a) => a.level <= 2).map((a) => [a.code, a.name_fr, a.name_en, a.level, a.centroid_lat, a.centroid_lon]));
    }
    case 'places.csv': {
      const places = await placesOf(ctx, state);
      return csvOf(['name', 'label', 'latitude', 'longitude', 'admin1'], places.map((p) => [p.id, p.admin2_name ? `${p.name} (${p.admin2_name})` : p.name, p.latitude, p.longitude, p.admin1_code]));
    }
  }
}

/** The form's manifest: every media file with its md5 hash. */
export async function manifest(ctx: Ctx, principal: Principal, formId: string): Promise<{ filename: string; hash: string }[]> {
  return Promise.all(MEDIA_FILES.map(async (f) => ({ filename: f, hash: md5Of(await mediaFile(ctx, principal, formId, f)) })));
}

/** Where the submission says the incident happened: its GPS point, else the chosen place, else the area's centroid. */
async function locationOf(ctx: Ctx, state: string, s: ParsedSubmission): Promise<{ latitude: number; longitude: number; place_name: string | null }> {
  const named = s.fields.place_name || null;
  const point = geopointOf(s.fields.location);
  if (point) return { ...point, place_name: named };
  if (s.fields.place) {
    const place = (await placesOf(ctx, state)).find((p) => p.id === s.fields.place);
    if (place) return { latitude: place.latitude, longitude: place.longitude, place_name: named ?? place.name };
  }
  if (s.fields.area) {
    const area = (await listAdminAreas(ctx.engine.db, { state })).find((a) => a.code === s.fields.area);
    if (area) return { latitude: area.centroid_lat, longitude: area.centroid_lon, place_name: named ?? area.name_fr };
  }
  throw new Problem('validation_failed', 'Position manquante : relevez le GPS ou choisissez une localité', [{ field: 'location', message: 'Position manquante : relevez le GPS ou choisissez une localité' }]);
}

const scopeOf = (r: Incident) => ({ classificationLevel: CLASSIFICATIONS.indexOf(r.classification), sharingScope: r.sharing_scope, ownerState: r.reporting_state });

/**
 * The files of this submission not yet stored, each cleaned of its metadata (or the whole submission refused, naming
 * the file, when one cannot be cleaned: nothing is stored); files the XML does not name are ignored.
 */
async function newFiles(s: ParsedSubmission, files: IncomingFile[], stored: Set<string>): Promise<NamedFile[]> {
  const named = new Set(s.files);
  const out: NamedFile[] = [];
  for (const f of files.filter((x) => named.has(x.name) && !stored.has(x.name))) out.push({ name: f.name, ...(await cleanFile(f.name, f.name, f.data)) });
  return out;
}

const notStored = (files: NamedFile[], stored: Set<string>) => files.filter((f) => !stored.has(f.name));

export interface SubmissionOutcome { status: 201 | 202; incidentId: string; message: string }

/**
 * Receives one POST of a submission: its XML and (some of) its files. Two POSTs of one submission may race (Collect
 * retrying while its first attempt is in flight, the files split over parallel requests): the one that commits second
 * meets the first one's rows (instanceID, record id or file name) and is answered as the resend it is — 202 already
 * received, 201 for files not yet stored, 409 for other content.
 */
export async function receiveSubmission(ctx: Ctx, caller: OpenRosaCaller, xml: string, files: IncomingFile[]): Promise<SubmissionOutcome> {
  for (let tries = 1; ; tries++) {
    try {
      return await receiveOnce(ctx, caller, xml, files);
    } catch (e) {
      if (!ctx.engine.isUniqueViolation(e) || tries >= 3) throw e;
    }
  }
}

async function receiveOnce(ctx: Ctx, caller: OpenRosaCaller, xml: string, files: IncomingFile[]): Promise<SubmissionOutcome> {
  const { principal } = caller;
  const state = assertReporter(ctx, principal);
  const s = parseSubmission(xml);
  const xmlHash = sha256(xml);
  const device = s.deviceId ?? caller.device;
  const prior = await findSubmission(ctx.engine.db, s.instanceId);

  if (prior) {
    const rec = await getVisibleIncident(ctx.engine.db, principal, prior.incident_id);
    if (prior.xml_hash !== xmlHash || !rec) throw new Problem('id_conflict', `Une autre soumission porte déjà l’instanceID ${s.instanceId}`);
    const fresh = await newFiles(s, files, await storedFileNames(ctx.engine.db, s.instanceId));
    if (!fresh.length) return { status: 202, incidentId: rec.id, message: 'Signalement déjà reçu' };
    await mutate(ctx, principal, { permission: 'incident.create', async run(trx) {
      const rows = attachmentRows(principal.userId, rec.id, s.instanceId, notStored(fresh, await storedFileNames(trx, s.instanceId)));
      await insertAttachments(trx, rows);
      return { result: undefined, audit: rows.length ? attachmentAudit(rec.id, scopeOf(rec), s.instanceId, rows) : undefined };
    } });
    return { status: 201, incidentId: rec.id, message: `Pièces jointes reçues (${fresh.length})` };
  }

  const at = await locationOf(ctx, state, s);
  const history = `Reçu par OpenRosa — appareil « ${device ?? 'inconnu'} », instanceID ${s.instanceId}`;

  if (s.deprecatedId) {
    // An edit: the record of the instance it replaces changes through the normal edit path (its rules and history).
    const replaced = await findSubmission(ctx.engine.db, s.deprecatedId);
    const rec = replaced && (await getVisibleIncident(ctx.engine.db, principal, replaced.incident_id));
    if (!replaced || !rec) throw new Problem('not_found', `La soumission remplacée (${s.deprecatedId}) est inconnue`);
    const { id: _id, status: _status, tags: _tags, ...fields } = incidentInput(s, rec.id, at);
    const fresh = await newFiles(s, files, new Set());
    await patchIncident(ctx, principal, rec.id, { version: rec.version, change_reason: `${history}, remplace ${s.deprecatedId}`, ...fields });
    await mutate(ctx, principal, { permission: 'incident.create', async run(trx) {
      const rows = attachmentRows(principal.userId, rec.id, s.instanceId, fresh);
      await insertSubmission(trx, { instance_id: s.instanceId, incident_id: rec.id, xml_hash: xmlHash, deprecated_id: s.deprecatedId, form_version: s.version, user_id: principal.userId, token_id: caller.tokenId, device, received_at: nowIso() });
      await insertAttachments(trx, rows);
      return { result: undefined, audit: rows.length ? attachmentAudit(rec.id, scopeOf(rec), s.instanceId, rows) : undefined };
    } });
    return { status: 201, incidentId: rec.id, message: 'Modification reçue' };
  }

  const data = parseInput(incidentCreateSchema, incidentInput(s, incidentIdOf(s.instanceId), at));
  const fresh = await newFiles(s, files, new Set());
  const id = await mutate(ctx, principal, { permission: 'incident.create', async run(trx) {
    // The same instance received meanwhile (two POSTs of one submission racing): answered as a resend, below.
    const raced = await findSubmission(trx, s.instanceId);
    if (raced) return { result: raced.xml_hash === xmlHash ? null : 'conflict' as const };
    // The other POST may have committed the record (not yet its submission row) while this one waited for the write
    // lock: its id taken with other content is the same conflict, said in the collector's terms.
    const created = await createInTransaction(ctx, trx, principal, data, state, { historyReason: history }).catch((e: unknown) => {
      if (e instanceof Problem && e.code === 'id_conflict') return null;
      throw e;
    });
    if (!created) return { result: 'conflict' as const };
    await insertSubmission(trx, { instance_id: s.instanceId, incident_id: data.id, xml_hash: xmlHash, deprecated_id: null, form_version: s.version, user_id: principal.userId, token_id: caller.tokenId, device, received_at: nowIso() });
    const rows = attachmentRows(principal.userId, data.id, s.instanceId, fresh);
    await insertAttachments(trx, rows);
    const audits = [...(created.audit ? [created.audit] : []), ...(rows.length ? [attachmentAudit(data.id, scopeOf(created.incident), s.instanceId, rows)] : [])];
    return {
      result: data.id, audit: audits,
      ...(created.created ? { changes: [{ type: 'incident' as const, id: data.id, op: 'create' }], events: [event('incident.changed', { id: data.id, action: 'create' })] } : {}),
    };
  } });
  if (id === 'conflict') throw new Problem('id_conflict', `Une autre soumission porte déjà l’instanceID ${s.instanceId}`);
  if (id === null) return receiveOnce(ctx, caller, xml, files);
  return { status: 201, incidentId: id, message: 'Signalement reçu ; il attend la validation d’un analyste' };
}
