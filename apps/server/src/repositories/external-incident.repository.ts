import type { Trx } from '../db/engine.js';
import { toNumber } from '../db/engine.js';

/** Version and creation digest of the incidents among `ids` that exist: how an import tells new, same and changed apart. */
export async function incidentStamps(trx: Trx, ids: string[]): Promise<{ id: string; version: number; create_hash: string }[]> {
  if (!ids.length) return [];
  return trx.selectFrom('incidents').select(['id', 'version', 'create_hash']).where('id', 'in', ids).execute();
}

/** How many incidents imported from an external source each reporting state holds. */
export async function countExternalByState(trx: Trx, source: string): Promise<Record<string, number>> {
  const rows = await trx
    .selectFrom('incidents')
    .select(['reporting_state', (eb) => eb.fn.countAll().as('n')])
    .where('external_source', '=', source)
    .groupBy('reporting_state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.reporting_state, toNumber(r.n)]));
}
