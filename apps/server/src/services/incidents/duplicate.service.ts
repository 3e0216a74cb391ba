import type { Incident } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { duplicateCandidates, haversineKm } from '../../repositories/duplicate.repository.js';
import { getVisibleIncident } from '../../repositories/incident.repository.js';
import { auditClassifiedReads } from '../audit/audit.service.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';

/** Where likely duplicates are looked for: close in place, in time, and of the same event type. */
export const DUPLICATE_WINDOW = { km: 25, days: 3 } as const;

/** Why a pair was proposed (or weighed down), shown to the analyst. */
export const DUPLICATE_REASONS = [
  'same_sub_event_type', 'other_sub_event_type', 'shared_actors', 'other_actors', 'tolls_agree', 'tolls_differ',
] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** A pair scoring below this is not proposed: e.g. an attack and an abduction at the same place, tolls apart. */
export const DUPLICATE_THRESHOLD = 0.6;

export interface DuplicateCandidate {
  incident: Incident;
  distance_km: number;
  days_apart: number;
  score: number;
  reasons: DuplicateReason[];
}

const actorsOf = (i: Incident) => new Set([i.actor1, i.actor2, ...i.associated_actors].filter((a): a is string => !!a));
/** Two counts agree when within 2 or 30 % of the larger. */
const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(2, 0.3 * Math.max(a, b));

/**
 * How alike two records of the same event type are, 0 to 1: nearness in place (0.2) and time (0.15), the same
 * sub-type (0.3), shared actors (0.2; half when either names none) and agreeing tolls (0.15: killed and abducted).
 */
export function duplicateScore(a: Incident, b: Incident, distanceKm: number, daysApart: number): { score: number; reasons: DuplicateReason[] } {
  const reasons: DuplicateReason[] = [];
  let score = 0.2 * Math.max(0, 1 - distanceKm / DUPLICATE_WINDOW.km) + 0.15 * Math.max(0, 1 - daysApart / DUPLICATE_WINDOW.days);
  if (a.sub_event_type === b.sub_event_type) {
    score += 0.3;
    reasons.push('same_sub_event_type');
  } else reasons.push('other_sub_event_type');
  const [x, y] = [actorsOf(a), actorsOf(b)];
  if (!x.size || !y.size) score += 0.1;
  else if ([...x].some((c) => y.has(c))) {
    score += 0.2;
    reasons.push('shared_actors');
  } else reasons.push('other_actors');
  if (close(a.fatalities_best, b.fatalities_best) && close(a.abducted, b.abducted)) {
    score += 0.15;
    reasons.push('tolls_agree');
  } else reasons.push('tolls_differ');
  return { score: Math.round(score * 100) / 100, reasons };
}

/**
 * Likely duplicates of an incident among what the reader may see, likeliest first, each with its score and the
 * reasons; reads of classified ones are audited.
 */
export async function findDuplicates(ctx: Ctx, principal: Principal, id: string): Promise<DuplicateCandidate[]> {
  requirePermission(principal, 'incident.read');
  const target = await getVisibleIncident(ctx.engine.db, principal, id);
  if (!target) throw new Problem('not_found', `no incident ${id}`);
  const candidates = await duplicateCandidates(ctx.engine, ctx.engine.db, principal, target, DUPLICATE_WINDOW);
  const t = Date.parse(target.occurred_start);
  const found = candidates
    .map((incident) => {
      const distance_km = Math.round(haversineKm(target.latitude, target.longitude, incident.latitude, incident.longitude) * 10) / 10;
      const days_apart = Math.round((Math.abs(Date.parse(incident.occurred_start) - t) / 86_400_000) * 10) / 10;
      return { incident, distance_km, days_apart, ...duplicateScore(target, incident, distance_km, days_apart) };
    })
    .filter((c) => c.distance_km <= DUPLICATE_WINDOW.km && c.score >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.distance_km - b.distance_km || a.days_apart - b.days_apart);
  const read = found.map(({ incident: i }) => ({ id: i.id, classification_level: i.classification, sharing_scope: i.sharing_scope, reporting_state: i.reporting_state }));
  await auditClassifiedReads(ctx.engine, principal, read, 'incident.duplicates');
  return found;
}
