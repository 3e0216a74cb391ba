import type { z } from 'zod';
import { CLASSIFICATIONS, fieldErrors, parseInput, safeParseInput, incidentCreateSchema, incidentPatchSchema, type Incident, type ProblemCode, type IncidentCreateParsed, type IncidentStatus, reviewsOwnState } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import type { NewIncidentRow } from '../../repositories/incident.repository.js';
import { canonicalJson, nowIso, sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { actorKinds, findIncidentRow, getVisibleIncident, getVisibleIncidents, incidentCreateHashes, insertIncident, insertIncidents, insertIncidentVersions, replaceIncidentActors, updateIncidentAtVersion, type IncidentRow } from '../../repositories/incident.repository.js';
import { historyVersionRow as versionRow, writeFirstIncidentVersion, writeIncidentVersion as writeVersion } from '../../repositories/incident-history.repository.js';
import { cellOf, event, type IncidentCell } from '../events.js';
import { mutate, type MutationAudit } from '../mutation.js';
import type { Ctx } from '../context.js';
import { requirePermission, SYSTEM, type Principal } from '../principal.js';
import { CONTENT_FIELDS, contentColumns, contentOfRow, recordOfNewRow, type Content } from '../../repositories/incident-codec.js';
import { actorCodes, deriveColumns, fieldError } from './incident-columns.js';

/** The full record (exact location) and the history versions live in the incident-history repository. */
export { fullIncidentRecord as fullRecord, writeIncidentVersion as writeVersion } from '../../repositories/incident-history.repository.js';

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
  /** Written as the reason of the record's first version (the OpenRosa intake names the device and instanceID). */
  historyReason?: string;
}

/** One validated create inside a caller's transaction; returns whether a row was written. */
export async function createInTransaction(
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
    throw new Problem('id_conflict', `l’incident ${id} existe déjà avec un autre contenu`);
  }
  const { actors, ...derived } = await deriveColumns(ctx, trx, content, state);
  const row = newIncidentRow(principal, data, createHash, state, options, derived);
  await insertIncident(trx, row);
  await replaceIncidentActors(trx, id, actors, true);
  await ctx.engine.indexSearchText(trx, [id]);
  // The new row is read back once: the history's first version (full record) and the writer's view come from that read.
  const { full, visible } = await writeFirstIncidentVersion(trx, principal, id, options.historyReason ?? null, [row.coarse_latitude, row.coarse_longitude]);
  return { incident: visible ?? full, created: true, audit: createAudit(row, full) };
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

export interface ParsedItem { index: number; data: IncidentCreateParsed; state: string; options: CreateOptions }

/**
 * Creates a batch of parsed records inside one transaction with the same checks, history and audit as one create
 * each, in a few statements for the whole batch rather than a dozen per record: actors, existing ids and the audit
 * chain are read once, rows, history and audit links are written together. A record failing a check is added to
 * `outcome.rejected` and skipped; an id seen again (in the database or earlier in the batch) is unchanged when its
 * content is the same, else a conflict.
 */
export async function createManyInTransaction(
  ctx: Ctx, trx: Trx, principal: Principal, parsed: ParsedItem[], outcome: ImportOutcome, mode: ImportMode,
): Promise<{ ids: string[]; audits: MutationAudit[]; cells: IncidentCell[] }> {
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
        throw new Problem('id_conflict', `l’incident ${id} existe déjà avec un autre contenu`);
      }
      const { actors, ...derived } = await deriveColumns(ctx, trx, content, p.state, kinds);
      rows.push(newIncidentRow(principal, p.data, createHash, p.state, p.options, derived));
      for (const a of new Set(actors)) links.push({ incident_id: id, actor_code: a });
      hashes.set(id, createHash);
      fresh.add(id);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      outcome.rejected.push({ index: p.index, id, code: e.code, errors: e.errors ?? [{ field: '(record)', message: e.detail ?? e.code }] });
    }
  }
  if (!rows.length) return { ids: [], audits: [], cells: [] };
  const ids = rows.map((r) => r.id);
  await insertIncidents(ctx.engine, trx, rows, links);
  await ctx.engine.indexSearchText(trx, ids);
  // The first version is the row just written, as the operator sees it (exact point): no read back.
  const created = rows.map((row) => ({ row, rec: recordOfNewRow(row) }));
  await insertIncidentVersions(ctx.engine, trx, created.map(({ row, rec }) => versionRow(principal, rec, 'create', null, [], [row.coarse_latitude, row.coarse_longitude])));
  outcome.created += rows.length;
  const audits = mode.batchAudit ? [batchAudit(rows, mode.batchAudit)] : created.map(({ row, rec }) => createAudit(row, rec));
  return { ids, audits, cells: rows.map(cellOf) };
}

/**
 * The one audit entry of a bulk batch: how many records, which ids, and a SHA-256 over each record's id and create
 * digest in order (the digest covers its content), so the entry proves what the batch held without a link per record.
 * Classified as the highest record in it, owned by its state when it holds one state's records only.
 */
function batchAudit(rows: readonly ReturnType<typeof newIncidentRow>[], source: string): MutationAudit {
  const states = [...new Set(rows.map((r) => r.reporting_state))];
  const scopes = [...new Set(rows.map((r) => r.sharing_scope))];
  return {
    action: 'incident.import', objectType: 'incident',
    classificationLevel: Math.max(...rows.map((r) => r.classification_level)),
    sharingScope: scopes.length === 1 ? scopes[0] : 'national',
    ownerState: states.length === 1 ? states[0] : null,
    details: {
      source, count: rows.length, first_id: rows[0]?.id, last_id: rows.at(-1)?.id,
      rows_sha256: sha256(rows.map((r) => `${r.id}:${r.create_hash}\n`).join('')),
    },
  };
}

export function reportingStateOf(ctx: Ctx, principal: Principal, options: CreateOptions): string {
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
  input: z.input<typeof incidentCreateSchema> | z.output<typeof incidentCreateSchema>,
  options: CreateOptions = {},
): Promise<{ incident: Incident; created: boolean }> {
  requirePermission(principal, 'incident.create');
  const data = parseInput(incidentCreateSchema, input);
  const state = reportingStateOf(ctx, principal, options);
  const attempt = () => mutate(ctx, principal, {
    permission: 'incident.create',
    async run(trx) {
      const { audit, ...result } = await createInTransaction(ctx, trx, principal, data, state, options);
      if (!result.created) return { result };
      return { result, audit, changes: [{ type: 'incident', id: data.id, op: 'create' }], events: [event('incident.changed', { id: data.id, action: 'create', cells: [cellOf(result.incident)] })] };
    },
  });
  try {
    return await attempt();
  } catch (e) {
    // Two copies of one report raced (a retry while the first was in flight): the loser's insert hit the id's key.
    // Run again: it now finds the winner's row, same content → "already received", other content → id_conflict.
    if (ctx.engine.isUniqueViolation(e)) return attempt();
    throw e;
  }
}

export interface ImportItem {
  input: unknown;
  options?: CreateOptions;
}

export interface ImportOutcome {
  created: number;
  unchanged: number;
  /** `code`: the problem that refused the record (id_conflict, forbidden…) when a check after parsing refused it. */
  rejected: { index: number; id?: string; code?: ProblemCode; errors: { field: string; message: string }[] }[];
}

/** How a batch is audited. */
export interface ImportMode {
  /**
   * The bulk importers (UCDP, ACLED, seeds): one `incident.import` entry for the whole batch, naming this source and
   * carrying a hash of its rows, instead of one `incident.create` entry per record.
   */
  batchAudit?: string;
}

/**
 * Creates many incidents, a batch per transaction, through the same validation and derivation as one create.
 * A bad item is reported with its reason and skipped; the others of its batch still commit.
 */
export async function importIncidents(ctx: Ctx, principal: Principal, items: ImportItem[], mode: ImportMode = {}): Promise<ImportOutcome> {
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
      const { ids, audits } = await createManyInTransaction(ctx, trx, principal, parsed, outcome, mode);
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
export async function patchIncident(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof incidentPatchSchema> | z.output<typeof incidentPatchSchema>): Promise<Incident> {
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
    const before = contentOfRow(row);
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
      changes: [{ type: 'incident', id, op: 'update' }], events: [event('incident.changed', { id, action: 'update', cells: [cellOf(row), cellOf(rec)] })],
    };
  } });
  if (!out.rec) throw new Problem('not_found', `no incident ${id}`);
  return out.rec;
}
