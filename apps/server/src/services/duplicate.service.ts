import type { Incident } from '@vigie/domain';
import { Problem } from '../lib/problem.js';
import { duplicateCandidates, haversineKm } from '../repositories/duplicate.repository.js';
import { getVisibleIncident } from '../repositories/incident.repository.js';
import { auditClassifiedReads } from './audit.service.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';

/** What counts as a likely duplicate: close in place, in time, and of the same event type. */
export const DUPLICATE_WINDOW = { km: 25, days: 3 } as const;

export interface DuplicateCandidate {
  incident: Incident;
  distance_km: number;
  days_apart: number;
}

/** Likely duplicates of an incident among what the reader may see, nearest first; reads of classified ones are audited. */
export async function findDuplicates(ctx: Ctx, principal: Principal, id: string): Promise<DuplicateCandidate[]> {
  requirePermission(principal, 'incident.read');
  const target = await getVisibleIncident(ctx.engine.db, principal, id);
  if (!target) throw new Problem('not_found', `no incident ${id}`);
  const candidates = await duplicateCandidates(ctx.engine, ctx.engine.db, principal, target, DUPLICATE_WINDOW);
  const t = Date.parse(target.occurred_start);
  const found = candidates
    .map((incident) => ({
      incident,
      distance_km: Math.round(haversineKm(target.latitude, target.longitude, incident.latitude, incident.longitude) * 10) / 10,
      days_apart: Math.round((Math.abs(Date.parse(incident.occurred_start) - t) / 86_400_000) * 10) / 10,
    }))
    .filter((c) => c.distance_km <= DUPLICATE_WINDOW.km)
    .sort((a, b) => a.distance_km - b.distance_km || a.days_apart - b.days_apart);
  const read = found.map(({ incident: i }) => ({ id: i.id, classification_level: i.classification, sharing_scope: i.sharing_scope, reporting_state: i.reporting_state }));
  await auditClassifiedReads(ctx.engine, principal, read, 'incident.duplicates');
  return found;
}
