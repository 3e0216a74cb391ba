import type { z } from 'zod';
import {
  CLASSIFICATIONS, MERGE_FIELD_COLUMNS, MERGE_FIELDS, incidentCreateSchema, mergeSchema, parseInput, unmergeSchema,
  type Incident, type IncidentStatus, type MergePreview,
} from '@vigie/domain';
import { ZodError } from 'zod';
import type { Trx } from '../../db/engine.js';
import { canonicalJson, newId, nowIso, sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { findIncidentRow, getVisibleIncident, replaceIncidentActors, updateIncidentAtVersion, type IncidentRow } from '../../repositories/incident.repository.js';
import { insertMerge, lastMergeOf, markMergeUndone, versionRecord } from '../../repositories/merge.repository.js';
import { auditClassifiedReads } from '../audit/audit.service.js';
import type { Ctx } from '../context.js';
import { CONTENT_FIELDS, contentColumns, contentOfRecord, type Content } from '../../repositories/incident-codec.js';
import { deriveColumns, fieldError } from './incident-columns.js';
import { assertReviewer, assertVersion, fullRecord, loadForChange, writeVersion } from './incident.service.js';
import { cellOf, event, type IncidentCell } from '../events.js';
import { combine, resolveChoices } from './merge.logic.js';
import { mutate, type MutationAudit, type Outcome } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';

/** A merge request: as sent, or as the HTTP layer already parsed it (parseInput does not parse it twice). */
type MergeInput = z.input<typeof mergeSchema> | z.output<typeof mergeSchema>;

const MERGEABLE: IncidentStatus[] = ['submitted', 'validated'];
/** The merge field a record column belongs to, to name the analyst's choice in an error. */
const FIELD_OF = new Map(MERGE_FIELDS.flatMap((f) => MERGE_FIELD_COLUMNS[f].map((c) => [c, f] as const)));

const forbidden = (field: string, message: string) => new Problem('forbidden', message, [{ field, message }]);

interface Pair {
  row: IncidentRow;
  intoRow: IncidentRow;
  body: ReturnType<typeof mergeSchema.parse>;
}

/**
 * The two records of a merge, checked: both visible to the analyst and of the analyst's state, both submitted or
 * validated, and a location the analyst sees only coarsened is not chosen (it would leak into the kept record).
 */
async function loadPair(trx: Trx, principal: Principal, id: string, input: unknown): Promise<Pair> {
  const body = parseInput(mergeSchema, input);
  if (body.into === id) throw fieldError('into', 'un incident ne peut pas être fusionné dans lui-même');
  const row = await loadForChange(trx, principal, id);
  assertReviewer(principal, row);
  const target = await getVisibleIncident(trx, principal, body.into);
  const intoRow = target && (await findIncidentRow(trx, body.into));
  if (!target || !intoRow) throw fieldError('into', `incident cible introuvable : ${body.into}`);
  if (principal.kind !== 'system' && intoRow.reporting_state !== principal.organisation) {
    throw forbidden('into', "l'incident cible relève d'un autre État");
  }
  if (!MERGEABLE.includes(intoRow.status as IncidentStatus)) throw fieldError('into', `l'incident cible est ${intoRow.status}`);
  const mine = await getVisibleIncident(trx, principal, id);
  if (body.choices.location === 'this' && mine?.location_coarsened) {
    throw forbidden('choices.location', 'la localisation de ce rapport est protégée au-dessus de votre habilitation');
  }
  return { row, intoRow, body };
}

/** The kept record after the merge, validated as a whole; an error names the analyst's choice that caused it. */
async function combined(trx: Trx, p: Pair) {
  const into = await fullRecord(trx, p.intoRow.id);
  const other = await fullRecord(trx, p.row.id);
  const choices = resolveChoices(into, other, p.body.choices);
  const { result } = combine(into, other, choices);
  try {
    const { id: _i, status: _s, ...content } = parseInput(incidentCreateSchema, { id: into.id, status: 'draft', ...contentOfRecord(result) });
    const before = contentOfRecord(into);
    const changed = CONTENT_FIELDS.filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(content[k] ?? null));
    return { into, other, choices, content: content as Content, changed };
  } catch (e) {
    if (!(e instanceof ZodError)) throw e;
    throw new ZodError(e.issues.map((issue) => {
      const group = FIELD_OF.get(String(issue.path[0] ?? ''));
      return group ? { ...issue, path: ['choices', group] } : issue;
    }));
  }
}

/**
 * What a merge would give, without writing: both records as the analyst may see them, the kept one after the merge,
 * and field by field which value it takes. Reads of classified records are audited.
 */
export async function previewMerge(ctx: Ctx, principal: Principal, id: string, input: MergeInput): Promise<MergePreview> {
  requirePermission(principal, 'incident.merge');
  const trx = ctx.engine.db;
  const p = await loadPair(trx, principal, id, input);
  const { choices } = await combined(trx, p);
  const into = await getVisibleIncident(trx, principal, p.intoRow.id);
  const other = await getVisibleIncident(trx, principal, id);
  if (!into || !other) throw new Problem('not_found');
  // Shown as the analyst sees them: a location protected above them stays coarsened in the preview too.
  const { result, fields } = combine(into, other, choices);
  const read = [into, other].map((i) => ({ id: i.id, classification_level: CLASSIFICATIONS.indexOf(i.classification), sharing_scope: i.sharing_scope, reporting_state: i.reporting_state }));
  await auditClassifiedReads(ctx.engine, principal, read, 'incident.merge_preview');
  return { into, this: other, result: { ...result, version: into.version + 1 }, fields };
}

const scopeOf = (...levels: number[]) => Math.max(...levels);

/**
 * Merges a record into another it duplicates, in one transaction: the kept record takes the chosen values (sources
 * united, tolls as chosen, both narratives by default), the merged one is closed, both get a history version naming the
 * other, and both are audited. The same request again returns the merged record unchanged.
 */
export async function mergeIncident(ctx: Ctx, principal: Principal, id: string, input: MergeInput): Promise<Incident> {
  const out = await mutate(ctx, principal, { permission: 'incident.merge', async run(trx): Promise<Outcome<{ rec: Incident | undefined; into: string }>> {
    const first = await loadForChange(trx, principal, id);
    assertReviewer(principal, first);
    // A retry after success: the record is already merged into the same one with the same request.
    const again = first.status === 'merged' ? await retried(trx, principal, first, input) : null;
    if (again) return { result: again };
    const p = await loadPair(trx, principal, id, input);
    const { row, intoRow, body } = p;
    const hash = sha256(canonicalJson({ into: body.into, choices: body.choices, comment: body.comment ?? null }));
    if (!MERGEABLE.includes(row.status as IncidentStatus)) {
      throw new Problem('invalid_transition', `cannot merge a record that is ${row.status}`, undefined, { current_status: row.status });
    }
    assertVersion(row, body.version);
    if (body.into_version !== undefined && body.into_version !== intoRow.version) {
      throw new Problem('version_conflict', `into_version ${body.into_version} is stale; the current version is ${intoRow.version}`, [{ field: 'into_version', message: 'version périmée' }], { current_version: intoRow.version });
    }
    const c = await combined(trx, p);
    const now = nowIso();
    const { actors, ...derived } = await deriveColumns(ctx, trx, c.content, intoRow.reporting_state);
    if (!(await updateIncidentAtVersion(trx, intoRow.id, intoRow.version, { ...contentColumns(c.content), ...derived, version: intoRow.version + 1, updated_at: now }))) {
      throw new Problem('version_conflict', 'the record was changed meanwhile');
    }
    await replaceIncidentActors(trx, intoRow.id, actors);
    await ctx.engine.indexSearchText(trx, [intoRow.id]);
    const kept = await writeVersion(trx, principal, intoRow.id, 'absorb', body.comment ?? null, c.changed, id);
    if (!(await updateIncidentAtVersion(trx, id, row.version, { status: 'merged', merged_into: intoRow.id, assigned_to: null, version: row.version + 1, updated_at: now }))) {
      throw new Problem('version_conflict', 'the record was changed meanwhile');
    }
    const closed = await writeVersion(trx, principal, id, 'merge', body.comment ?? null, ['status', 'merged_into'], intoRow.id);
    await insertMerge(trx, {
      id: newId(), merged_id: id, into_id: intoRow.id, request_hash: hash, choices: JSON.stringify(c.choices), merged_status: row.status,
      into_version_before: intoRow.version, into_version_after: kept.version, merged_by: principal.userId, merged_at: now, undone_by: null, undone_at: null,
    });
    const level = scopeOf(row.classification_level, intoRow.classification_level);
    const entries: MutationAudit[] = [
      { action: 'incident.merge', objectType: 'incident', objectId: id, before: { status: row.status, version: row.version }, after: { status: closed.status, version: closed.version, merged_into: intoRow.id }, classificationLevel: level, sharingScope: closed.sharing_scope, ownerState: row.reporting_state, details: { into: intoRow.id, choices: c.choices } },
      { action: 'incident.absorb', objectType: 'incident', objectId: intoRow.id, before: c.into, after: kept, classificationLevel: level, sharingScope: kept.sharing_scope, ownerState: intoRow.reporting_state, details: { merged: id, changed_fields: c.changed } },
    ];
    return {
      result: { rec: await getVisibleIncident(trx, principal, id), into: intoRow.id }, audit: entries,
      changes: [{ type: 'incident', id, op: 'merge' }, { type: 'incident', id: intoRow.id, op: 'absorb' }],
      events: [event('incident.changed', { id, action: 'merge', cells: [cellOf(row)] }), event('incident.changed', { id: intoRow.id, action: 'update', cells: [cellOf(intoRow), cellOf(kept)] })],
    };
  } });
  if (!out.rec) throw new Problem('not_found', `no incident ${id}`);
  return out.rec;
}

/** The answer to a merge request already applied (same target, same choices), or null. */
async function retried(trx: Trx, principal: Principal, row: IncidentRow, input: unknown) {
  const body = mergeSchema.safeParse(input);
  if (!body.success || row.merged_into !== body.data.into) return null;
  const id = row.id;
  const last = await lastMergeOf(trx, id);
  const hash = sha256(canonicalJson({ into: body.data.into, choices: body.data.choices, comment: body.data.comment ?? null }));
  if (!last || last.undone_at || last.request_hash !== hash) return null;
  return { rec: await getVisibleIncident(trx, principal, id), into: body.data.into };
}

/**
 * Undoes a merge, in one transaction: the merged record gets its status back, the kept one its content from before the
 * merge — if nobody changed it since (else 409: undo by hand). Both get a history version and an audit entry. A record
 * merged before merges were recorded gets its status back and leaves the other untouched. Again on an undone merge:
 * the record unchanged.
 */
export async function unmergeIncident(ctx: Ctx, principal: Principal, id: string, input?: z.input<typeof unmergeSchema> | z.output<typeof unmergeSchema>): Promise<Incident> {
  requirePermission(principal, 'incident.merge');
  const body = parseInput(unmergeSchema, input ?? {});
  const out = await mutate(ctx, principal, { permission: 'incident.merge', async run(trx): Promise<Outcome<{ rec: Incident | undefined }>> {
    const row = await loadForChange(trx, principal, id);
    assertReviewer(principal, row);
    const last = await lastMergeOf(trx, id);
    if (row.status !== 'merged') {
      if (last?.undone_at) return { result: { rec: await getVisibleIncident(trx, principal, id) } };
      throw new Problem('invalid_transition', `cannot undo the merge of a record that is ${row.status}`, undefined, { current_status: row.status });
    }
    assertVersion(row, body.version);
    const active = last && !last.undone_at && last.into_id === row.merged_into ? last : undefined;
    const now = nowIso();
    const entries: MutationAudit[] = [];
    const cells: IncidentCell[] = [cellOf(row)];
    let level = row.classification_level;
    if (active) {
      const intoRow = await findIncidentRow(trx, active.into_id);
      const visible = intoRow && (await getVisibleIncident(trx, principal, intoRow.id));
      if (!intoRow || !visible) throw forbidden('merged_into', "l'incident conservé n'est pas visible pour vous");
      assertReviewer(principal, intoRow);
      if (intoRow.version !== active.into_version_after) {
        throw new Problem('version_conflict', "the kept record was changed after the merge: undo those changes by hand first", [{ field: 'merged_into', message: "l'incident conservé a été modifié depuis la fusion" }], { current_version: intoRow.version });
      }
      const snap = await versionRecord(trx, intoRow.id, active.into_version_before);
      if (!snap) throw new Error(`version ${active.into_version_before} of ${intoRow.id} is missing`);
      // The content from before the merge, validated again like any content written (a snapshot holds the record's types).
      const { id: _i, status: _s, ...beforeMerge } = parseInput(incidentCreateSchema, { id: intoRow.id, status: 'draft', ...contentOfRecord(snap) });
      const current = await fullRecord(trx, intoRow.id);
      const changed = CONTENT_FIELDS.filter((k) => canonicalJson(contentOfRecord(current)[k] ?? null) !== canonicalJson(beforeMerge[k] ?? null));
      const { actors, ...derived } = await deriveColumns(ctx, trx, beforeMerge, intoRow.reporting_state);
      await updateIncidentAtVersion(trx, intoRow.id, intoRow.version, { ...contentColumns(beforeMerge), ...derived, version: intoRow.version + 1, updated_at: now });
      await replaceIncidentActors(trx, intoRow.id, actors);
      await ctx.engine.indexSearchText(trx, [intoRow.id]);
      const restored = await writeVersion(trx, principal, intoRow.id, 'unabsorb', body.reason ?? null, changed, id);
      cells.push(cellOf(intoRow), cellOf(restored));
      await markMergeUndone(trx, active.id, principal.userId, now);
      level = Math.max(level, intoRow.classification_level);
      entries.push({ action: 'incident.unabsorb', objectType: 'incident', objectId: intoRow.id, before: current, after: restored, classificationLevel: level, sharingScope: current.sharing_scope, ownerState: intoRow.reporting_state, details: { merged: id, changed_fields: changed } });
    }
    const status = active?.merged_status ?? (await previousStatus(trx, id, row.version));
    await updateIncidentAtVersion(trx, id, row.version, { status, merged_into: null, version: row.version + 1, updated_at: now });
    const reopened = await writeVersion(trx, principal, id, 'unmerge', body.reason ?? null, ['status', 'merged_into'], row.merged_into);
    entries.unshift({ action: 'incident.unmerge', objectType: 'incident', objectId: id, before: { status: row.status, merged_into: row.merged_into }, after: { status: reopened.status, version: reopened.version }, classificationLevel: level, sharingScope: reopened.sharing_scope, ownerState: row.reporting_state, details: { from: row.merged_into, reason: body.reason ?? null } });
    const into = active?.into_id ?? null;
    return {
      result: { rec: await getVisibleIncident(trx, principal, id) }, audit: entries,
      changes: [{ type: 'incident', id, op: 'unmerge' }, ...(into ? [{ type: 'incident' as const, id: into, op: 'unabsorb' }] : [])],
      events: [event('incident.changed', { id, action: 'unmerge', cells }), ...(into ? [event('incident.changed', { id: into, action: 'update', cells })] : [])],
    };
  } });
  if (!out.rec) throw new Problem('not_found', `no incident ${id}`);
  return out.rec;
}

/** A record merged before merges were recorded: the status of its version before the merge (validated if unknown). */
async function previousStatus(trx: Trx, id: string, version: number): Promise<IncidentStatus> {
  for (let v = version - 1; v >= 1; v--) {
    const status = (await versionRecord(trx, id, v))?.status;
    if (status && MERGEABLE.includes(status)) return status;
  }
  return 'validated';
}
