import {
  AUDITED_READ_LEVEL, CLASSIFICATIONS, fieldErrors, parseInput, safeParseInput, foldText, incidentCreateSchema, incidentListQuerySchema, incidentPatchSchema, interactionCode,
  rejectSchema, taxonomyLabel, transitionSchema, type Incident, type IncidentCreateParsed, type IncidentStatus,
  type IncidentVersion, type Permission, reviewsOwnState,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import type { IncidentsTable } from '../../db/schema.js';
import type { NewIncidentRow } from '../../repositories/incident.repository.js';
import { canonicalJson, nowIso, sha256, toUtcIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  actorKinds, countVisibleIncidents, findIncidentRow, getVisibleIncident, getVisibleIncidents, incidentCreateHashes, insertIncident, insertIncidents,
  insertIncidentVersion, listVisibleIncidents, replaceIncidentActors, updateIncidentAtVersion, visibleHistory, type IncidentRow,
} from '../../repositories/incident.repository.js';
import { recordAudit } from '../audit/audit.service.js';
import { event } from '../events.js';
import { mutate, type MutationAudit } from '../mutation.js';
import type { Ctx } from '../context.js';
import { notifyReportDecision } from '../accounts/notify.js';
import { prioGridCentre, type Placement } from '../geography/geo.service.js';
import { requirePermission, SYSTEM, type Principal } from '../principal.js';

export type Content = Omit<IncidentCreateParsed, 'id' | 'status'>;
export const CONTENT_FIELDS = Object.keys(incidentCreateSchema.def.shape).filter((k) => k !== 'id' && k !== 'status') as (keyof Content)[];

export const fieldError = (field: string, message: string) => new Problem('validation_failed', message, [{ field, message }]);

const actorCodes = (c: Content) => [c.actor1, c.actor2, ...c.associated_actors].filter((a): a is string => !!a);

/** Where the gazetteer looks around a point it did not place in the reporting state: its border tolerance (~5.5 km). */
const BORDER_TOLERANCE = 0.05;
const DIRECTIONS: [number, number][] = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [1, -1], [-1, 1], [-1, -1]];
const AROUND = DIRECTIONS.map(([dy, dx]) => [dy * BORDER_TOLERANCE, dx * BORDER_TOLERANCE] as const);

const mismatch = (field: string, message: string) => new Problem('location_mismatch', message, [{ field, message }]);

/**
 * The admin areas of a record: the point must lie in its reporting state (or within the border tolerance of it), and
 * areas a client names must be of that state and agree with where the point falls (its polygons, or a point within the
 * tolerance when it is near a boundary); areas not named are derived from the point.
 */
async function placeInState(ctx: Ctx, trx: Trx, c: Content, state: string): Promise<{ admin1: string | null; admin2: string | null; method: Placement['method'] }> {
  const at = await ctx.gazetteer.place(c.latitude, c.longitude, trx, c.geo_precision);
  if (!at.state) {
    throw new Problem('location_outside_states', `(${c.latitude}, ${c.longitude}) lies outside every member state`, [
      { field: 'latitude', message: 'le point est hors des États membres' },
      { field: 'longitude', message: 'le point est hors des États membres' },
    ]);
  }
  let around: Placement[] | undefined;
  /** Placements of the point and of the points within the tolerance around it, in the reporting state. */
  const near = async () => {
    if (!around) {
      around = [at];
      for (const [dy, dx] of AROUND) around.push(await ctx.gazetteer.place(c.latitude + dy, c.longitude + dx, trx));
      around = around.filter((p) => p.state === state);
    }
    return around;
  };
  const home = at.state === state ? at : (await near())[0];
  if (!home) {
    const message = `le point est en dehors de l'État déclarant (${state})`;
    throw new Problem('location_mismatch', `(${c.latitude}, ${c.longitude}) lies in ${at.state}, not in the reporting state ${state}`, [
      { field: 'latitude', message }, { field: 'longitude', message },
    ]);
  }
  const known = async (field: 'admin1_code' | 'admin2_code', code: string, lvl: 1 | 2) => {
    const area = await ctx.gazetteer.area(code, trx);
    if (!area || area.level !== lvl) throw fieldError(field, `zone administrative inconnue de niveau ${lvl} : ${code}`);
    if (area.state !== state) throw mismatch(field, `la zone ${code} n’appartient pas à l’État déclarant (${state})`);
    return area;
  };
  let admin1 = home.admin1;
  let admin2 = home.admin2;
  if (c.admin1_code) {
    await known('admin1_code', c.admin1_code, 1);
    // Without a polygon, the derived admin-1 is only the nearest centroid: the client's may well be better.
    const agrees = c.admin1_code === home.admin1 || home.method === 'nearest_centroid' || (await near()).some((p) => p.admin1 === c.admin1_code);
    if (!agrees) throw mismatch('admin1_code', `le point n'est pas dans la zone ${c.admin1_code} (il est dans ${home.admin1 ?? '?'})`);
    admin1 = c.admin1_code;
    if (admin1 !== home.admin1) admin2 = (await near()).find((p) => p.admin1 === admin1)?.admin2 ?? null;
  }
  if (c.admin2_code) {
    const area = await known('admin2_code', c.admin2_code, 2);
    if (admin1 && area.parent !== admin1) throw mismatch('admin2_code', `la zone ${c.admin2_code} n'est pas dans la zone ${admin1}`);
    const agrees = c.admin2_code === admin2 || (!home.admin2 && !admin2) || (await near()).some((p) => p.admin2 === c.admin2_code);
    if (!agrees) throw mismatch('admin2_code', `le point n'est pas dans la zone ${c.admin2_code} (il est dans ${admin2 ?? home.admin2 ?? '?'})`);
    admin2 = c.admin2_code;
    admin1 = admin1 ?? area.parent;
  }
  return { admin1, admin2, method: home.method };
}

/**
 * Derived columns: admin areas from the point, the coarse point, interaction code, search text. Validates references.
 * `kinds` (actor code → kind) may be fetched once for a whole batch; absent, this record's actors are looked up.
 */
export async function deriveColumns(ctx: Ctx, trx: Trx, c: Content, state: string, kinds?: Map<string, number>) {
  const { admin1, admin2, method } = await placeInState(ctx, trx, c, state);
  const actors = actorCodes(c);
  const known = kinds ?? (await actorKinds(trx, actors));
  for (const [field, code] of [['actor1', c.actor1], ['actor2', c.actor2], ...c.associated_actors.map((a, i) => [`associated_actors.${i}`, a])] as const) {
    if (code && !known.has(code)) throw fieldError(field, `acteur inconnu : ${code}`);
  }
  const coarse = (admin2 && (await ctx.gazetteer.centroid(admin2, trx))) || prioGridCentre(c.latitude, c.longitude);
  const exactLevel = c.exact_location_classification ? CLASSIFICATIONS.indexOf(c.exact_location_classification) : null;
  // A hidden place name must not be findable by search either.
  const searchable = [c.narrative, exactLevel === null ? c.place_name : '', ...c.tags, taxonomyLabel(c.sub_event_type), taxonomyLabel(c.event_type)];
  return {
    admin1_code: admin1,
    admin2_code: admin2,
    placement_method: method,
    coarse_latitude: coarse.lat,
    coarse_longitude: coarse.lon,
    exact_location_level: exactLevel,
    interaction: interactionCode(known.get(c.actor1 ?? ''), known.get(c.actor2 ?? '')),
    search_text: foldText(searchable.filter(Boolean).join(' ')),
    actors,
  };
}

/** Columns stored from the content a client sends. */
export function contentColumns(c: Content) {
  return {
    occurred_start: toUtcIso(c.occurred_start),
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
    classification_level: CLASSIFICATIONS.indexOf(c.classification),
    sharing_scope: c.sharing_scope,
  };
}

/** The client-side content of a stored row, in the create schema's shape. */
function rowContent(r: IncidentRow): Content {
  return {
    occurred_start: r.occurred_start,
    occurred_end: r.occurred_end,
    time_precision: r.time_precision as Content['time_precision'],
    latitude: r.latitude,
    longitude: r.longitude,
    geo_precision: r.geo_precision as Content['geo_precision'],
    place_name: r.place_name,
    admin1_code: r.admin1_code,
    admin2_code: r.admin2_code,
    event_type: r.event_type as Content['event_type'],
    sub_event_type: r.sub_event_type as Content['sub_event_type'],
    tags: JSON.parse(r.tags) as string[],
    narrative: r.narrative,
    actor1: r.actor1,
    actor2: r.actor2,
    associated_actors: JSON.parse(r.associated_actors) as string[],
    fatalities_best: r.fatalities_best,
    fatalities_low: r.fatalities_low,
    fatalities_high: r.fatalities_high,
    civilian_fatalities: r.civilian_fatalities,
    injured: r.injured,
    abducted: r.abducted,
    sources: JSON.parse(r.sources) as Content['sources'],
    classification: CLASSIFICATIONS[r.classification_level] ?? 'secret',
    sharing_scope: r.sharing_scope as Content['sharing_scope'],
    exact_location_classification: r.exact_location_level === null ? null : CLASSIFICATIONS[r.exact_location_level] ?? null,
  };
}


/** The client-side content of a record (a snapshot or a combined record), in the create schema's shape. */
export function contentOf(r: Incident): Content {
  return Object.fromEntries(CONTENT_FIELDS.map((k) => [k, r[k as keyof Incident] ?? null])) as unknown as Content;
}

/** The full record (exact location) for history snapshots and audit digests. */
export async function fullRecord(trx: Trx, id: string): Promise<Incident> {
  const rec = await getVisibleIncident(trx, SYSTEM, id);
  if (!rec) throw new Problem('not_found');
  return rec;
}

/** A history entry: the full record after the change, with its coarse point for readers who see it coarsened. */
function versionRow(principal: Principal, rec: Incident, action: string, reason: string | null, changed: string[], coarse: [number, number] | null, related: string | null = null) {
  return {
    incident_id: rec.id,
    version: rec.version,
    changed_at: rec.updated_at,
    changed_by: principal.userId,
    action,
    reason,
    changed_fields: JSON.stringify(changed),
    snapshot: JSON.stringify({ ...rec, _coarse: coarse }),
    // The rule's columns as they are in this version: history is filtered on them, in SQL.
    classification_level: CLASSIFICATIONS.indexOf(rec.classification),
    sharing_scope: rec.sharing_scope,
    status: rec.status,
    reporting_state: rec.reporting_state,
    reporter_id: rec.reporter,
    exact_location_level: rec.exact_location_classification ? CLASSIFICATIONS.indexOf(rec.exact_location_classification) : null,
    ...(related ? { related_id: related } : {}),
  };
}

/** Writes the record's current state as a new history version; `related` names the other record of a merge. */
export async function writeVersion(trx: Trx, principal: Principal, id: string, action: string, reason: string | null, changed: string[], related: string | null = null): Promise<Incident> {
  const rec = await fullRecord(trx, id);
  const row = await findIncidentRow(trx, id);
  await insertIncidentVersion(trx, versionRow(principal, rec, action, reason, changed, row ? [row.coarse_latitude, row.coarse_longitude] : null, related));
  return rec;
}

export const auditScope = (r: { classification_level: number; sharing_scope: string; reporting_state: string }) => ({
  classificationLevel: r.classification_level,
  sharingScope: r.sharing_scope,
  ownerState: r.reporting_state,
});

export interface CreateOptions {
  /** Only for the local operator's imports and seeds: the state the record belongs to. */
  reportingState?: string;
  /** Only for imports and seeds: the initial status (e.g. validated). */
  status?: IncidentStatus;
  reporterId?: string | null;
  external?: { source: string; id: string };
}

/** One validated create inside a caller's transaction; returns whether a row was written. */
async function createInTransaction(
  ctx: Ctx,
  trx: Trx,
  principal: Principal,
  data: IncidentCreateParsed,
  state: string,
  options: CreateOptions,
): Promise<{ incident: Incident; created: boolean; audit?: MutationAudit }> {
  const { id, status, ...content } = data;
  assertWithinClearance(principal, content, ['classification', 'exact_location_classification']);
  const createHash = sha256(canonicalJson({ status, ...content }));
  const existing = await findIncidentRow(trx, id);
  if (existing) {
    const visible = await getVisibleIncident(trx, principal, id);
    if (existing.create_hash === createHash && visible) return { incident: visible, created: false };
    throw new Problem('id_conflict', `incident ${id} already exists with other content`);
  }
  const { actors, ...derived } = await deriveColumns(ctx, trx, content, state);
  const row = newIncidentRow(principal, data, createHash, state, options, derived);
  await insertIncident(trx, row);
  await replaceIncidentActors(trx, id, actors);
  await ctx.engine.indexSearchText(trx, [id]);
  const rec = await writeVersion(trx, principal, id, 'create', null, []);
  return { incident: (await getVisibleIncident(trx, principal, id)) ?? rec, created: true, audit: createAudit(row, rec) };
}

function newIncidentRow(
  principal: Principal, data: IncidentCreateParsed, createHash: string, state: string, options: CreateOptions,
  derived: Omit<Awaited<ReturnType<typeof deriveColumns>>, 'actors'>,
) {
  const { id, status, ...content } = data;
  const now = nowIso();
  return {
    id, reporting_state: state, reporter_id: options.reporterId !== undefined ? options.reporterId : principal.userId,
    status: options.status ?? status, version: 1, created_at: now, updated_at: now, create_hash: createHash,
    ...contentColumns(content), ...derived, rejection_reason: null, merged_into: null, assigned_to: null,
    external_source: options.external?.source ?? null, external_id: options.external?.id ?? null,
  } satisfies NewIncidentRow;
}

const createAudit = (row: ReturnType<typeof newIncidentRow>, rec: Incident | undefined): MutationAudit => (
  { action: 'incident.create', objectType: 'incident', objectId: row.id, after: rec, ...auditScope(row) }
);

interface ParsedItem { index: number; data: IncidentCreateParsed; state: string; options: CreateOptions }

/**
 * Creates a batch of parsed records inside one transaction with the same checks, history and audit as one create
 * each, in a few statements for the whole batch rather than a dozen per record: actors, existing ids and the audit
 * chain are read once, rows, history and audit links are written together. A record failing a check is added to
 * `outcome.rejected` and skipped; an id seen again (in the database or earlier in the batch) is unchanged when its
 * content is the same, else a conflict.
 */
async function createManyInTransaction(ctx: Ctx, trx: Trx, principal: Principal, parsed: ParsedItem[], outcome: ImportOutcome): Promise<{ ids: string[]; audits: MutationAudit[] }> {
  const kinds = await actorKinds(trx, [...new Set(parsed.flatMap((p) => actorCodes(p.data)))]);
  const hashes = await incidentCreateHashes(trx, parsed.map((p) => p.data.id));
  const fresh = new Set<string>();
  const rows: ReturnType<typeof newIncidentRow>[] = [];
  const links: { incident_id: string; actor_code: string }[] = [];
  for (const p of parsed) {
    const { id, status, ...content } = p.data;
    try {
      assertWithinClearance(principal, content, ['classification', 'exact_location_classification']);
      const createHash = sha256(canonicalJson({ status, ...content }));
      const prior = hashes.get(id);
      if (prior !== undefined) {
        if (prior === createHash && (fresh.has(id) || (await getVisibleIncident(trx, principal, id)))) {
          outcome.unchanged++;
          continue;
        }
        throw new Problem('id_conflict', `incident ${id} already exists with other content`);
      }
      const { actors, ...derived } = await deriveColumns(ctx, trx, content, p.state, kinds);
      rows.push(newIncidentRow(principal, p.data, createHash, p.state, p.options, derived));
      for (const a of new Set(actors)) links.push({ incident_id: id, actor_code: a });
      hashes.set(id, createHash);
      fresh.add(id);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      outcome.rejected.push({ index: p.index, id, errors: e.errors ?? [{ field: '(record)', message: e.detail ?? e.code }] });
    }
  }
  if (!rows.length) return { ids: [], audits: [] };
  const ids = rows.map((r) => r.id);
  await insertIncidents(trx, rows, links);
  await ctx.engine.indexSearchText(trx, ids);
  const records = await getVisibleIncidents(trx, SYSTEM, ids);
  const created = rows.map((r) => ({ row: r, rec: records.get(r.id) }));
  await insertIncidentVersion(trx, created.flatMap(({ row, rec }) => (rec ? [versionRow(principal, rec, 'create', null, [], [row.coarse_latitude, row.coarse_longitude])] : [])));
  outcome.created += rows.length;
  return { ids, audits: created.map(({ row, rec }) => createAudit(row, rec)) };
}

function reportingStateOf(ctx: Ctx, principal: Principal, options: CreateOptions): string {
  const state = principal.kind === 'system' ? options.reportingState : principal.organisation;
  if (!state || !ctx.reference.states.some((s) => s.code === state)) {
    throw new Problem('forbidden', 'only users of a member state report incidents');
  }
  return state;
}

/**
 * Creates an incident with a client-chosen id. The same id with the same content again returns the stored
 * record (created: false) and writes nothing; the same id with other content is a conflict.
 */
export async function createIncident(
  ctx: Ctx,
  principal: Principal,
  input: unknown,
  options: CreateOptions = {},
): Promise<{ incident: Incident; created: boolean }> {
  requirePermission(principal, 'incident.create');
  const data = parseInput(incidentCreateSchema, input);
  const state = reportingStateOf(ctx, principal, options);
  return mutate(ctx, principal, {
    permission: 'incident.create',
    async run(trx) {
      const { audit, ...result } = await createInTransaction(ctx, trx, principal, data, state, options);
      if (!result.created) return { result };
      return { result, audit, changes: [{ type: 'incident', id: data.id, op: 'create' }], events: [event('incident.changed', { id: data.id, action: 'create' })] };
    },
  });
}

export interface ImportItem {
  input: unknown;
  options?: CreateOptions;
}

export interface ImportOutcome {
  created: number;
  unchanged: number;
  rejected: { index: number; id?: string; errors: { field: string; message: string }[] }[];
}

/**
 * Creates many incidents, a batch per transaction, through the same validation and derivation as one create.
 * A bad item is reported with its reason and skipped; the others of its batch still commit.
 */
export async function importIncidents(ctx: Ctx, principal: Principal, items: ImportItem[]): Promise<ImportOutcome> {
  requirePermission(principal, 'incident.create');
  const outcome: ImportOutcome = { created: 0, unchanged: 0, rejected: [] };
  const parsed: ParsedItem[] = [];
  items.forEach((item, index) => {
    const res = safeParseInput(incidentCreateSchema, item.input);
    const id = (item.input as { id?: string } | null)?.id;
    if (!res.success) {
      outcome.rejected.push({ index, id, errors: fieldErrors(res.error, 'fr') });
      return;
    }
    try {
      parsed.push({ index, data: res.data, state: reportingStateOf(ctx, principal, item.options ?? {}), options: item.options ?? {} });
    } catch (e) {
      outcome.rejected.push({ index, id, errors: [{ field: 'reporting_state', message: (e as Error).message }] });
    }
  });
  if (!parsed.length) return outcome;
  return mutate(ctx, principal, {
    permission: 'incident.create',
    async run(trx) {
      const { ids, audits } = await createManyInTransaction(ctx, trx, principal, parsed, outcome);
      if (!ids.length) return { result: outcome };
      return {
        result: outcome, audit: audits, changes: ids.map((id) => ({ type: 'incident', id, op: 'create' })),
        events: [event('incident.changed', { action: 'import', count: ids.length })],
      };
    },
  });
}

/** Loads a record for a mutation: it must exist for the reader, or it is "not found" (never "forbidden", which would reveal it). */
export async function loadForChange(trx: Trx, principal: Principal, id: string): Promise<IncidentRow> {
  const visible = await getVisibleIncident(trx, principal, id);
  const row = visible ? await findIncidentRow(trx, id) : undefined;
  if (!row) throw new Problem('not_found', `no incident ${id}`);
  return row;
}

/** Reviewers act on their own state's records only (the local operator on any). */
export function assertReviewer(principal: Principal, row: IncidentRow): void {
  if (principal.kind === 'system') return;
  if (row.reporting_state !== principal.organisation) throw new Problem('forbidden', "only the reporting state's analysts review this record");
}

export function assertVersion(row: IncidentRow, version: number | undefined): void {
  if (version !== undefined && version !== row.version) {
    throw new Problem('version_conflict', `version ${version} is stale; the current version is ${row.version}`, undefined, { current_version: row.version });
  }
}

/** The fields that reveal or move a protected location. */
const LOCATION_FIELDS = ['exact_location_classification', 'latitude', 'longitude', 'geo_precision', 'place_name', 'admin2_code'] as const;

const levelOf = (c: string | null | undefined) => (c ? CLASSIFICATIONS.indexOf(c as (typeof CLASSIFICATIONS)[number]) : null);
const forbiddenField = (field: string, message: string) => new Problem('forbidden', message, [{ field, message }]);

/** Nobody marks a record, or its location, above their own clearance: they could no longer read what they wrote. */
function assertWithinClearance(principal: Principal, c: Pick<Content, 'classification' | 'exact_location_classification'>, fields: readonly string[]): void {
  if (principal.kind === 'system') return;
  for (const field of ['classification', 'exact_location_classification'] as const) {
    const level = levelOf(c[field]);
    if (fields.includes(field) && level !== null && level > principal.clearance) {
      throw forbiddenField(field, `niveau ${c[field]} au-dessus de votre habilitation`);
    }
  }
}

/**
 * Who may change what in a record's protection: a location protected above the editor's clearance (which they see
 * coarsened) is changed only by someone cleared for it; lowering a classification or a location protection needs a reason.
 */
function assertProtectionChange(principal: Principal, row: IncidentRow, next: Content, changed: readonly string[], reason: string | undefined): { lowered: boolean } {
  if (principal.kind !== 'system' && row.exact_location_level !== null && row.exact_location_level > principal.clearance) {
    const field = LOCATION_FIELDS.find((f) => changed.includes(f));
    if (field) throw forbiddenField(field, 'la localisation est protégée au-dessus de votre habilitation');
  }
  assertWithinClearance(principal, next, changed);
  const nextExact = levelOf(next.exact_location_classification);
  const lowered = CLASSIFICATIONS.indexOf(next.classification) < row.classification_level
    || (row.exact_location_level !== null && (nextExact === null || nextExact < row.exact_location_level));
  if (lowered && !reason) throw new Problem('reason_required', 'lowering a classification needs a reason', [{ field: 'change_reason', message: 'motif requis pour abaisser une classification' }]);
  return { lowered };
}

/** Edits fields with optimistic concurrency; the change and its reason go into the history. */
export async function patchIncident(ctx: Ctx, principal: Principal, id: string, input: unknown): Promise<Incident> {
  requirePermission(principal, 'incident.update');
  const patch = parseInput(incidentPatchSchema, input);
  const { version, change_reason, ...fields } = patch;
  const out = await mutate(ctx, principal, { permission: 'incident.update', async run(trx) {
    const row = await loadForChange(trx, principal, id);
    const isReviewer = principal.kind === 'system' || reviewsOwnState(principal);
    if (isReviewer) assertReviewer(principal, row);
    else if (row.reporter_id !== principal.userId || row.status !== 'draft') throw new Problem('forbidden', 'a reporter amends only their own drafts');
    if (row.status === 'merged') throw new Problem('invalid_transition', 'a merged record is closed');
    assertVersion(row, version);
    const before = rowContent(row);
    const provided = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Content>;
    // Moving the point re-derives the admin areas unless the client names them.
    const moved = provided.latitude !== undefined || provided.longitude !== undefined;
    const next = parseInput(incidentCreateSchema, {
      id, status: 'draft', ...before, ...(moved ? { admin1_code: null, admin2_code: null } : {}), ...provided,
    });
    const { id: _i, status: _s, ...content } = next;
    const changed = CONTENT_FIELDS.filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(content[k] ?? null));
    if (!changed.length) return { result: { rec: await getVisibleIncident(trx, principal, id), changed } };
    const { lowered } = assertProtectionChange(principal, row, content, changed, change_reason);
    const { actors, ...derived } = await deriveColumns(ctx, trx, content, row.reporting_state);
    const ok = await updateIncidentAtVersion(trx, id, row.version, { ...contentColumns(content), ...derived, version: row.version + 1, updated_at: nowIso() });
    if (!ok) throw new Problem('version_conflict', 'the record was changed meanwhile', undefined, { current_version: row.version + 1 });
    await replaceIncidentActors(trx, id, actors);
    await ctx.engine.indexSearchText(trx, [id]);
    const rec = await writeVersion(trx, principal, id, 'update', change_reason ?? null, changed);
    const audit: MutationAudit = {
      action: 'incident.update', objectType: 'incident', objectId: id, before: before, after: rec,
      // The entry is about both versions: readable only by whoever was cleared for the higher of the two.
      ...auditScope({ ...row, classification_level: Math.max(row.classification_level, CLASSIFICATIONS.indexOf(content.classification)), sharing_scope: content.sharing_scope }),
      details: {
        changed_fields: changed, reason: change_reason ?? null,
        ...(lowered ? { lowered: { classification: [before.classification, content.classification], exact_location_classification: [before.exact_location_classification ?? null, content.exact_location_classification ?? null] } } : {}),
      },
    };
    return {
      result: { rec: await getVisibleIncident(trx, principal, id), changed }, audit,
      changes: [{ type: 'incident', id, op: 'update' }], events: [event('incident.changed', { id, action: 'update' })],
    };
  } });
  if (!out.rec) throw new Problem('not_found', `no incident ${id}`);
  return out.rec;
}

type Transition = 'submit' | 'validate' | 'reject' | 'assign' | 'unassign';

const TRANSITION_PERMISSION: Record<Transition, Permission> = {
  submit: 'incident.submit', validate: 'incident.validate', reject: 'incident.reject', assign: 'incident.assign', unassign: 'incident.assign',
};

const ALLOWED_FROM: Record<Transition, IncidentStatus[]> = {
  submit: ['draft'],
  validate: ['submitted'],
  reject: ['submitted'],
  assign: ['submitted'],
  unassign: ['submitted'],
};

async function transition(
  ctx: Ctx,
  principal: Principal,
  id: string,
  kind: Transition,
  version: number | undefined,
  apply: (trx: Trx, row: IncidentRow) => Promise<Partial<Omit<IncidentsTable, 'seq'>>>,
  reason: string | null,
): Promise<Incident> {
  const rec = await mutate(ctx, principal, { permission: TRANSITION_PERMISSION[kind], async run(trx) {
    const row = await loadForChange(trx, principal, id);
    if (kind === 'submit') {
      if (principal.kind !== 'system' && row.reporter_id !== principal.userId && !(reviewsOwnState(principal) && row.reporting_state === principal.organisation)) {
        throw new Problem('forbidden', 'only its reporter or an analyst of its state submits a draft');
      }
    } else assertReviewer(principal, row);
    if (!ALLOWED_FROM[kind].includes(row.status as IncidentStatus)) {
      throw new Problem('invalid_transition', `cannot ${kind} a record that is ${row.status}`, undefined, { current_status: row.status });
    }
    assertVersion(row, version);
    const changes = await apply(trx, row);
    const bump = kind !== 'assign' && kind !== 'unassign';
    const ok = await updateIncidentAtVersion(trx, id, row.version, { ...changes, ...(bump ? { version: row.version + 1, updated_at: nowIso() } : {}) });
    if (!ok) throw new Problem('version_conflict', 'the record was changed meanwhile');
    const after = bump ? await writeVersion(trx, principal, id, kind, reason, Object.keys(changes)) : await fullRecord(trx, id);
    if (kind === 'reject') await notifyReportDecision(trx, 'incident_rejected', { ...row, version: after.version }, reason);
    const audit: MutationAudit = {
      action: `incident.${kind}` as const, objectType: 'incident', objectId: id, before: toIncidentStatus(row), after: { status: after.status, version: after.version, assigned_to: after.assigned_to },
      ...auditScope(row), details: reason ? { reason } : {},
    };
    return {
      result: await getVisibleIncident(trx, principal, id), audit,
      changes: [{ type: 'incident', id, op: kind }], events: [event('incident.changed', { id, action: kind })],
    };
  } });
  if (!rec) throw new Problem('not_found', `no incident ${id}`);
  return rec;
}

const toIncidentStatus = (r: IncidentRow) => ({ status: r.status, version: r.version, assigned_to: r.assigned_to });

export async function submitIncident(ctx: Ctx, principal: Principal, id: string, input: unknown = {}): Promise<Incident> {
  requirePermission(principal, 'incident.submit');
  const body = parseInput(transitionSchema, input ?? {});
  return transition(ctx, principal, id, 'submit', body.version, async () => ({ status: 'submitted' }), body.comment ?? null);
}

export async function validateIncident(ctx: Ctx, principal: Principal, id: string, input: unknown = {}): Promise<Incident> {
  requirePermission(principal, 'incident.validate');
  const body = parseInput(transitionSchema, input ?? {});
  return transition(ctx, principal, id, 'validate', body.version, async () => ({ status: 'validated', assigned_to: null }), body.comment ?? null);
}

export async function rejectIncident(ctx: Ctx, principal: Principal, id: string, input: unknown): Promise<Incident> {
  requirePermission(principal, 'incident.reject');
  const body = parseInput(rejectSchema, input);
  return transition(ctx, principal, id, 'reject', body.version, async () => ({ status: 'rejected', rejection_reason: body.reason, assigned_to: null }), body.reason);
}

/** "Take it": assigns a submitted report to the calling analyst so two analysts don't review the same one. */
export async function assignIncident(ctx: Ctx, principal: Principal, id: string, take: boolean): Promise<Incident> {
  requirePermission(principal, 'incident.assign');
  return transition(ctx, principal, id, take ? 'assign' : 'unassign', undefined, async (_trx, row) => {
    if (take && row.assigned_to && row.assigned_to !== principal.userId) {
      throw new Problem('conflict', 'another analyst has taken this report', undefined, { assigned_to: row.assigned_to });
    }
    return { assigned_to: take ? principal.userId : null };
  }, null);
}

/** Writes one audit entry for a read that returned classified records. */
async function auditClassifiedRead(ctx: Ctx, principal: Principal, items: Incident[], action: string): Promise<void> {
  const classified = items.filter((i) => CLASSIFICATIONS.indexOf(i.classification) >= AUDITED_READ_LEVEL);
  if (!classified.length || principal.kind === 'system') return;
  const top = Math.max(...classified.map((i) => CLASSIFICATIONS.indexOf(i.classification)));
  await ctx.engine.writeTransaction((trx) =>
    recordAudit(ctx.engine, trx, principal, {
      action, objectType: 'incident', objectId: classified.length === 1 ? classified[0]?.id : undefined,
      classificationLevel: top, sharingScope: classified.length === 1 ? classified[0]?.sharing_scope : 'national',
      ownerState: classified.length === 1 ? classified[0]?.reporting_state : principal.organisation,
      details: { ids: classified.map((i) => i.id) },
    }),
  );
}

export async function getIncident(ctx: Ctx, principal: Principal, id: string): Promise<Incident> {
  requirePermission(principal, 'incident.read');
  const rec = await getVisibleIncident(ctx.engine.db, principal, id);
  if (!rec) throw new Problem('not_found', `no incident ${id}`);
  await auditClassifiedRead(ctx, principal, [rec], 'incident.read');
  return rec;
}

export async function listIncidents(ctx: Ctx, principal: Principal, input: unknown) {
  requirePermission(principal, 'incident.read');
  const query = parseInput(incidentListQuerySchema, input);
  const page = await listVisibleIncidents(ctx.engine, ctx.engine.db, principal, query);
  await auditClassifiedRead(ctx, principal, page.items, 'incident.list');
  if (!query.with_total) return page;
  const { sort: _s, limit: _l, cursor: _c, with_total: _w, ...filter } = query;
  return { ...page, total: await countVisibleIncidents(ctx.engine, ctx.engine.db, principal, filter) };
}

/**
 * Every version, oldest first, with the fields each changed, as the reader may see them: a version only if it was
 * visible to the reader on its own values (else its number and date), its location coarsened when that version
 * protected it above the reader. A read that returns confidential or secret content is audited like a detail read.
 */
export async function incidentHistory(ctx: Ctx, principal: Principal, id: string): Promise<IncidentVersion[]> {
  requirePermission(principal, 'incident.read');
  const rows = await visibleHistory(ctx.engine.db, principal, id);
  if (!rows.length) throw new Problem('not_found', `no incident ${id}`);
  const out = rows.map((r): IncidentVersion => {
    if (Number(r.accessible) !== 1 || r.snapshot === null || r.action === null || r.changed_fields === null) {
      return { version: r.version, changed_at: r.changed_at, accessible: false };
    }
    const { _coarse, ...snap } = JSON.parse(r.snapshot) as Incident & { _coarse: [number, number] | null };
    const hide = Number(r.coarsen) === 1;
    // Every version is written with its coarse point; without one, the exact point must not be shown in its place.
    if (hide && !_coarse) throw new Error(`version ${r.version} of ${id} has no coarse point`);
    const snapshot: Incident = hide && _coarse
      ? { ...snap, latitude: _coarse[0], longitude: _coarse[1], place_name: null, location_coarsened: true }
      : { ...snap, location_coarsened: false };
    return {
      version: r.version, changed_at: r.changed_at, accessible: true, changed_by: r.changed_by, changed_by_login: r.changed_by_login,
      action: r.action, reason: r.reason, changed_fields: JSON.parse(r.changed_fields) as string[], snapshot,
      ...(r.related_id ? { related_incident: r.related_id } : {}),
    };
  });
  const seen = out.flatMap((v) => (v.accessible ? [v] : []));
  const top = Math.max(-1, ...seen.map((v) => CLASSIFICATIONS.indexOf(v.snapshot.classification)));
  const last = seen.at(-1)?.snapshot;
  if (top >= AUDITED_READ_LEVEL && last && principal.kind !== 'system') {
    await ctx.engine.writeTransaction((trx) =>
      recordAudit(ctx.engine, trx, principal, {
        action: 'incident.history', objectType: 'incident', objectId: id, classificationLevel: top,
        sharingScope: last.sharing_scope, ownerState: last.reporting_state,
        details: { versions: seen.filter((v) => CLASSIFICATIONS.indexOf(v.snapshot.classification) >= AUDITED_READ_LEVEL).map((v) => v.version) },
      }),
    );
  }
  return out;
}
