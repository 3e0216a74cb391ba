/**
 * Where an incident was placed (docs/geography.md, "Placement" and "Boundary versions"): the method recorded on the
 * record, its areas in the boundary set valid at its date, and its areas in the current set — for the reader who may
 * see the incident (the same visibility rule as the incident itself; areas are never finer than admin-2).
 */
import { Problem } from '../../lib/problem.js';
import { areaNames, currentBoundarySet, findBoundarySet, incidentPlacementRow, type BoundarySetRow } from '../../repositories/boundary-set.repository.js';
import { getVisibleIncident } from '../../repositories/incident.repository.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';

type Area = { code: string; name_fr: string; name_en: string } | null;
type SetView = { code: string; name_fr: string; name_en: string; valid_from: string | null; valid_to: string | null } | null;
export interface IncidentPlacement {
  method: string | null;
  at_date: { set: SetView; admin1: Area; admin2: Area };
  current: { set: SetView; admin1: Area; admin2: Area };
}

const setView = (s: BoundarySetRow | undefined): SetView => (s ? { code: s.code, name_fr: s.name_fr, name_en: s.name_en, valid_from: s.valid_from, valid_to: s.valid_to } : null);

export async function incidentPlacement(ctx: Ctx, principal: Principal, id: string): Promise<IncidentPlacement> {
  requirePermission(principal, 'incident.read');
  const db = ctx.engine.db;
  const visible = await getVisibleIncident(db, principal, id);
  if (!visible) throw new Problem('not_found', `incident ${id}`);
  const row = (await incidentPlacementRow(db, id))!;
  const current = await areaNames(db, [row.admin1_code, row.admin2_code].filter((c): c is string => !!c), null);
  const placedSet = row.placed_boundary_set ? await findBoundarySet(db, row.placed_boundary_set) : undefined;
  const closed = placedSet && placedSet.valid_to !== null;
  const placed = await areaNames(db, [row.placed_admin1_code, row.placed_admin2_code].filter((c): c is string => !!c), closed ? placedSet.code : null);
  const pick = (list: typeof current, code: string | null): Area => {
    const a = code ? list.find((x) => x.code === code) : undefined;
    return a ? { code: a.code, name_fr: a.name_fr, name_en: a.name_en } : code ? { code, name_fr: code, name_en: code } : null;
  };
  const state = current[0]?.state ?? placedSet?.state ?? visible.reporting_state;
  return {
    method: row.placement_method,
    at_date: { set: setView(placedSet), admin1: pick(placed, row.placed_admin1_code), admin2: pick(placed, row.placed_admin2_code) },
    current: { set: setView(await currentBoundarySet(db, state)), admin1: pick(current, row.admin1_code), admin2: pick(current, row.admin2_code) },
  };
}
