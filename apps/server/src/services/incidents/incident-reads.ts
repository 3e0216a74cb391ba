import type { z } from 'zod';
/** Reading incidents: one, a filtered page, a history, with classified reads audited. */
import { AUDITED_READ_LEVEL, CLASSIFICATIONS, parseInput, incidentListQuerySchema, type Incident, type IncidentVersion } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { countVisibleIncidents, getVisibleIncident, listVisibleIncidents } from '../../repositories/incident.repository.js';
import { visibleHistory } from '../../repositories/incident-history.repository.js';
import { appendAuditDurably } from '../audit/audit.service.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';

/** Writes one audit entry for a read that returned classified records. */
async function auditClassifiedRead(ctx: Ctx, principal: Principal, items: Incident[], action: string): Promise<void> {
  const classified = items.filter((i) => CLASSIFICATIONS.indexOf(i.classification) >= AUDITED_READ_LEVEL);
  if (!classified.length || principal.kind === 'system') return;
  const top = Math.max(...classified.map((i) => CLASSIFICATIONS.indexOf(i.classification)));
  await appendAuditDurably(ctx.engine, principal, [{
    action, objectType: 'incident', objectId: classified.length === 1 ? classified[0]?.id : undefined,
    classificationLevel: top, sharingScope: classified.length === 1 ? classified[0]?.sharing_scope : 'national',
    ownerState: classified.length === 1 ? classified[0]?.reporting_state : principal.organisation,
    details: { ids: classified.map((i) => i.id) },
  }]);
}

export async function getIncident(ctx: Ctx, principal: Principal, id: string): Promise<Incident> {
  requirePermission(principal, 'incident.read');
  const rec = await getVisibleIncident(ctx.engine.db, principal, id);
  if (!rec) throw new Problem('not_found', `no incident ${id}`);
  await auditClassifiedRead(ctx, principal, [rec], 'incident.read');
  return rec;
}

export async function listIncidents(ctx: Ctx, principal: Principal, input: z.input<typeof incidentListQuerySchema> | z.output<typeof incidentListQuerySchema>): Promise<{ items: Incident[]; next_cursor: string | null; total?: number }> {
  requirePermission(principal, 'incident.read');
  const query = parseInput(incidentListQuerySchema, input);
  const page = await listVisibleIncidents(ctx.engine, ctx.engine.db, principal, query);
  await auditClassifiedRead(ctx, principal, page.items, 'incident.list');
  if (!query.with_total) return page;
  // The query itself as the count's filter (the filter reads its filters, not its sort, limit or cursor): a box's plan,
  // counted for the page, is then the count's too (bboxPlan), rather than its points being counted again.
  return { ...page, total: await countVisibleIncidents(ctx.engine, ctx.engine.db, principal, query) };
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
    const { record: snap, coarse } = r.snapshot;
    const hide = Number(r.coarsen) === 1;
    // Every version is written with its coarse point; without one, the exact point must not be shown in its place.
    if (hide && !coarse) throw new Error(`version ${r.version} of ${id} has no coarse point`);
    const snapshot: Incident = hide && coarse
      ? { ...snap, latitude: coarse[0], longitude: coarse[1], place_name: null, location_coarsened: true }
      : { ...snap, location_coarsened: false };
    return {
      version: r.version, changed_at: r.changed_at, accessible: true, changed_by: r.changed_by, changed_by_login: r.changed_by_login,
      action: r.action, reason: r.reason, changed_fields: r.changed_fields, snapshot,
      ...(r.related_id ? { related_incident: r.related_id } : {}),
    };
  });
  const seen = out.flatMap((v) => (v.accessible ? [v] : []));
  const top = Math.max(-1, ...seen.map((v) => CLASSIFICATIONS.indexOf(v.snapshot.classification)));
  const last = seen.at(-1)?.snapshot;
  if (top >= AUDITED_READ_LEVEL && last && principal.kind !== 'system') {
    await appendAuditDurably(ctx.engine, principal, [{
      action: 'incident.history', objectType: 'incident', objectId: id, classificationLevel: top,
      sharingScope: last.sharing_scope, ownerState: last.reporting_state,
      details: { versions: seen.filter((v) => CLASSIFICATIONS.indexOf(v.snapshot.classification) >= AUDITED_READ_LEVEL).map((v) => v.version) },
    }]);
  }
  return out;
}
