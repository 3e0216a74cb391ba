/** What an incident's content becomes in its row: placement in the reporting state, derived columns. */
import { interactionCode } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { toUtcIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { actorKinds } from '../../repositories/incident.repository.js';
import type { Ctx } from '../context.js';
import { prioGridCentre, type Placement } from '../geography/geo.service.js';

import { exactLocationLevel, searchText, type Content } from '../../repositories/incident-codec.js';

export const fieldError = (field: string, message: string) => new Problem('validation_failed', message, [{ field, message }]);

export const actorCodes = (c: Content) => [c.actor1, c.actor2, ...c.associated_actors].filter((a): a is string => !!a);

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
  const placedNow = await placeInState(ctx, trx, c, state);
  const { method } = placedNow;
  let { admin1, admin2 } = placedNow;
  // The set valid at the incident's date (docs/geography.md, "Boundary versions"): where a later set replaced it, the
  // record keeps its areas there and its current areas come from the crosswalk, unless the client named them.
  const currentSet = await ctx.gazetteer.currentSet(state, trx);
  let placed = { set: currentSet, admin1, admin2 };
  if (await ctx.gazetteer.hasBoundaryHistory(trx)) {
    const dated = await ctx.gazetteer.placeAt(c.latitude, c.longitude, toUtcIso(c.occurred_start), trx, c.geo_precision);
    if (dated.placed.set && dated.placed.set !== currentSet && dated.current.state === state) {
      placed = dated.placed;
      if (!c.admin1_code && !c.admin2_code) ({ admin1, admin2 } = dated.current);
    }
  }
  const actors = actorCodes(c);
  const known = kinds ?? (await actorKinds(trx, actors));
  for (const [field, code] of [['actor1', c.actor1], ['actor2', c.actor2], ...c.associated_actors.map((a, i) => [`associated_actors.${i}`, a])] as const) {
    if (code && !known.has(code)) throw fieldError(field, `acteur inconnu : ${code}`);
  }
  const coarse = (admin2 && (await ctx.gazetteer.centroid(admin2, trx))) || prioGridCentre(c.latitude, c.longitude);
  const exactLevel = exactLocationLevel(c.exact_location_classification);
  return {
    admin1_code: admin1,
    admin2_code: admin2,
    placement_method: method,
    placed_boundary_set: placed.set,
    placed_admin1_code: placed.set === currentSet ? admin1 : placed.admin1,
    placed_admin2_code: placed.set === currentSet ? admin2 : placed.admin2,
    coarse_latitude: coarse.lat,
    coarse_longitude: coarse.lon,
    exact_location_level: exactLevel,
    interaction: interactionCode(known.get(c.actor1 ?? ''), known.get(c.actor2 ?? '')),
    search_text: searchText(c, exactLevel),
    actors,
  };
}
