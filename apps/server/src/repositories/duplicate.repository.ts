import type { EventTypeSlug, Incident, Principal } from '@vigie/domain';
import type { Engine, Trx } from '../db/engine.js';
import { listVisibleIncidents } from './incident.repository.js';

export interface DuplicateWindow {
  km: number;
  days: number;
}

const DAY_MS = 86_400_000;
const KM_PER_DEGREE_LAT = 111.32;

/** Great-circle distance in kilometres. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Incidents the reader may see that are of the same event type, within `days` of the target and inside a box
 * of `km` around it — all in SQL through the shared incident filter (visibility included). The caller refines
 * the box to the exact distance.
 */
export async function duplicateCandidates(engine: Engine, trx: Trx, principal: Principal, target: Incident, w: DuplicateWindow): Promise<Incident[]> {
  const t = Date.parse(target.occurred_start);
  const dLat = w.km / KM_PER_DEGREE_LAT;
  const dLon = w.km / (KM_PER_DEGREE_LAT * Math.max(0.1, Math.cos((target.latitude * Math.PI) / 180)));
  const bbox = [target.longitude - dLon, target.latitude - dLat, target.longitude + dLon, target.latitude + dLat].map((v) => v.toFixed(6)).join(',');
  const page = await listVisibleIncidents(engine, trx, principal, {
    from: new Date(t - w.days * DAY_MS).toISOString(),
    to: new Date(t + w.days * DAY_MS).toISOString(),
    event_types: [target.event_type as EventTypeSlug],
    status: ['submitted', 'validated'],
    bbox,
    sort: '-occurred_start',
    limit: 100,
  });
  return page.items.filter((i) => i.id !== target.id);
}
