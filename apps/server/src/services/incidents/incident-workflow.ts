import type { z } from 'zod';
/** The review workflow of a report: submit, validate, reject, take and release. */
import { parseInput, rejectSchema, transitionSchema, type Incident, type IncidentStatus, type Permission, reviewsOwnState } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import type { IncidentsTable } from '../../db/schema.js';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { getVisibleIncident, updateIncidentAtVersion, type IncidentRow } from '../../repositories/incident.repository.js';
import { cellOf, event } from '../events.js';
import { mutate, type MutationAudit } from '../mutation.js';
import type { Ctx } from '../context.js';
import { notifyReportDecision } from '../accounts/notify.js';
import { requirePermission, type Principal } from '../principal.js';
import { writeReadIncidentVersion } from '../../repositories/incident-history.repository.js';
import { loadForChange, assertReviewer, assertVersion, fullRecord, auditScope } from './incident.service.js';

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
    // A transition moves no point: the version's coarse point is the row's, read once above.
    const coarse = [row.coarse_latitude, row.coarse_longitude] as [number, number];
    // A version (with the writer's view, read in the same statement) for a transition that bumps it; else the record as it is.
    const written = bump ? await writeReadIncidentVersion(trx, principal, id, kind, reason, Object.keys(changes), coarse) : null;
    const after = written ? written.full : await fullRecord(trx, id);
    if (kind === 'reject') await notifyReportDecision(trx, 'incident_rejected', { ...row, version: after.version }, reason);
    const audit: MutationAudit = {
      action: `incident.${kind}` as const, objectType: 'incident', objectId: id, before: toIncidentStatus(row), after: { status: after.status, version: after.version, assigned_to: after.assigned_to },
      ...auditScope(row), details: reason ? { reason } : {},
    };
    return {
      result: written ? written.visible : await getVisibleIncident(trx, principal, id), audit,
      changes: [{ type: 'incident', id, op: kind }], events: [event('incident.changed', { id, action: kind, cells: [cellOf(row)] })],
    };
  } });
  if (!rec) throw new Problem('not_found', `no incident ${id}`);
  return rec;
}

const toIncidentStatus = (r: IncidentRow) => ({ status: r.status, version: r.version, assigned_to: r.assigned_to });

export async function submitIncident(ctx: Ctx, principal: Principal, id: string, input?: z.input<typeof transitionSchema> | z.output<typeof transitionSchema>): Promise<Incident> {
  requirePermission(principal, 'incident.submit');
  const body = parseInput(transitionSchema, input ?? {});
  return transition(ctx, principal, id, 'submit', body.version, async () => ({ status: 'submitted' }), body.comment ?? null);
}

export async function validateIncident(ctx: Ctx, principal: Principal, id: string, input?: z.input<typeof transitionSchema> | z.output<typeof transitionSchema>): Promise<Incident> {
  requirePermission(principal, 'incident.validate');
  const body = parseInput(transitionSchema, input ?? {});
  return transition(ctx, principal, id, 'validate', body.version, async () => ({ status: 'validated', assigned_to: null }), body.comment ?? null);
}

export async function rejectIncident(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof rejectSchema> | z.output<typeof rejectSchema>): Promise<Incident> {
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
