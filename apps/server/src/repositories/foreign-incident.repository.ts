/**
 * Incidents received from national nodes, held in the incident table with their origin node (`origin_node`): the
 * federation writes them as a whole, by id, and removes them with what points at them.
 */
import type { Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { IncidentsTable } from '../db/schema.js';
import type { NewIncidentRow } from './incident.repository.js';

const chunks = <T>(xs: readonly T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Which of these ids are held here as foreign incidents. */
export async function heldForeignIncidentIds(trx: Trx, ids: readonly string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (const c of chunks(ids, 500)) for (const r of await trx.selectFrom('incidents').select('id').where('id', 'in', c).where('origin_node', 'is not', null).execute()) held.add(r.id);
  return held;
}

/** Overwrites a held foreign incident from its origin node, with its actor links. */
export async function overwriteForeignIncident(trx: Trx, id: string, origin: string, patch: Updateable<IncidentsTable>, actors: readonly string[]): Promise<void> {
  await trx.updateTable('incidents').set(patch).where('id', '=', id).where('origin_node', '=', origin).execute();
  await trx.deleteFrom('incident_actors').where('incident_id', '=', id).execute();
  if (actors.length) await trx.insertInto('incident_actors').values(actors.map((a) => ({ incident_id: id, actor_code: a }))).execute();
}

/** Inserts newly received foreign incidents with their actor links. */
export async function insertForeignIncidents(trx: Trx, rows: readonly NewIncidentRow[], actors: readonly { incident_id: string; actor_code: string }[]): Promise<void> {
  for (const c of chunks(rows, 200)) await trx.insertInto('incidents').values(c).execute();
  for (const c of chunks(actors, 1000)) await trx.insertInto('incident_actors').values(c).execute();
}

/** Removes foreign incidents (never this node's own), and the alert evidence that pointed at them. */
export async function deleteForeignIncidents(trx: Trx, ids: readonly string[]): Promise<void> {
  for (const c of chunks(ids, 500)) {
    await trx.deleteFrom('alert_evidence').where('incident_id', 'in', c).execute();
    await trx.deleteFrom('incidents').where('id', 'in', c).where('origin_node', 'is not', null).execute();
  }
}
