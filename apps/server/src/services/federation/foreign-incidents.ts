/**
 * Records received from national nodes, held in this node's incident table with their origin node (`origin_node`), so
 * that the confederation's lists, map and aggregates (the rollups follow the table through their triggers) show them
 * under exactly the same who-sees-what rule as its own records. They are read-only here (`foreignGuard`): the owner
 * writes. A tombstone removes the row.
 */
import type { Incident } from '@vigie/domain';
import type { Insertable } from 'kysely';
import type { Trx } from '../../db/engine.js';
import type { IncidentsTable } from '../../db/schema.js';
import { deleteForeignIncidents, heldForeignIncidentIds, insertForeignIncidents, overwriteForeignIncident } from '../../repositories/foreign-incident.repository.js';
import { contentColumns, contentOfRecord, exactLocationLevel, searchText } from '../../repositories/incident-codec.js';
import { existingCodes } from '../../repositories/incident.repository.js';
import { prioGridCentre } from '../geography/geo.service.js';

/** One foreign incident to hold (its content as the link saw it), or to drop (tombstone: record null). */
export interface ForeignIncident {
  id: string;
  origin: string;
  record: Incident | null;
}

const known = (codes: Set<string>, c: string | null | undefined) => (c && codes.has(c) ? c : null);

/** The row of a received record: references this node does not know are left out rather than refused. */
function rowOf(f: ForeignIncident & { record: Incident }, areas: Set<string>, actors: Set<string>): Insertable<IncidentsTable> {
  const r = f.record;
  const coarse = r.location_coarsened ? { lat: r.latitude, lon: r.longitude } : prioGridCentre(r.latitude, r.longitude);
  const exact = r.location_coarsened ? null : exactLocationLevel(r.exact_location_classification);
  const associated = r.associated_actors.filter((a) => actors.has(a));
  // The content as the owner sent it, in the codec's columns, with what this node cannot hold left out.
  const content = {
    ...contentOfRecord(r), place_name: r.location_coarsened ? null : r.place_name,
    actor1: known(actors, r.actor1), actor2: known(actors, r.actor2), associated_actors: associated,
  };
  return {
    ...contentColumns(content), id: r.id, reporting_state: r.reporting_state, reporter_id: null, status: r.status, version: r.version,
    created_at: r.created_at, updated_at: r.updated_at, create_hash: `federation:${f.origin}:${r.version}`,
    admin1_code: known(areas, r.admin1_code), admin2_code: known(areas, r.admin2_code), placement_method: null,
    coarse_latitude: coarse.lat, coarse_longitude: coarse.lon, exact_location_level: exact,
    interaction: r.interaction, search_text: searchText(r, exact),
    rejection_reason: null, merged_into: null, assigned_to: null, external_source: null, external_id: null, origin_node: f.origin,
  };
}

/**
 * Holds a batch of received incidents in the incident table: new ones inserted together, held ones updated, tombstoned
 * ones deleted (with what points at them: an alert's evidence stops counting a record that left). Returns the ids written.
 */
export async function holdForeignIncidents(trx: Trx, items: readonly ForeignIncident[]): Promise<void> {
  if (!items.length) return;
  const held = await heldForeignIncidentIds(trx, items.map((i) => i.id));
  const live = items.filter((i): i is ForeignIncident & { record: Incident } => i.record !== null && i.record.status !== 'merged');
  const gone = items.filter((i) => !live.includes(i as ForeignIncident & { record: Incident }) && held.has(i.id)).map((i) => i.id);
  const areaCodes = [...new Set(live.flatMap((i) => [i.record.admin1_code, i.record.admin2_code]).filter((c): c is string => !!c))];
  const actorCodes = [...new Set(live.flatMap((i) => [i.record.actor1, i.record.actor2, ...i.record.associated_actors]).filter((c): c is string => !!c))];
  const areas = areaCodes.length ? await existingCodes(trx, 'admin_areas', areaCodes) : new Set<string>();
  const actors = actorCodes.length ? await existingCodes(trx, 'actors', actorCodes) : new Set<string>();
  const fresh: Insertable<IncidentsTable>[] = [];
  const links: { incident_id: string; actor_code: string }[] = [];
  for (const item of live) {
    const row = rowOf(item, areas, actors);
    const r = item.record;
    const linked = [...new Set([r.actor1, r.actor2, ...r.associated_actors].map((a) => (a && actors.has(a) ? a : null)).filter((a): a is string => !!a))];
    if (held.has(item.id)) {
      const { id: _id, ...patch } = row;
      await overwriteForeignIncident(trx, item.id, item.origin, patch, linked);
    } else {
      fresh.push(row);
      links.push(...linked.map((a) => ({ incident_id: item.id, actor_code: a })));
    }
  }
  await insertForeignIncidents(trx, fresh, links);
  await deleteForeignIncidents(trx, gone);
}
