import type { ReadableIncidentVersion } from '@vigie/domain';
import type { Ctx } from '../services/context.js';
import { incidentHistory } from '../services/incidents/incident-reads.js';
import type { Principal } from '../services/principal.js';

/**
 * An incident's history that the test expects the reader to see in full. A withheld version fails here, by its number,
 * rather than answering `undefined` for its action, reason or snapshot.
 */
export async function readableHistory(ctx: Ctx, principal: Principal, id: string): Promise<ReadableIncidentVersion[]> {
  return (await incidentHistory(ctx, principal, id)).map((v) => {
    if (!v.accessible) throw new Error(`version ${v.version} of ${id} is withheld from this reader`);
    return v;
  });
}
