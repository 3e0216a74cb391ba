import type { Principal } from '@vigie/domain';
import { sql } from 'kysely';
import { toNumber, type Trx } from '../db/engine.js';
import { visibleTo } from './visibility.js';

/** Fatalities and number of validated incidents per admin-1 area and month (UTC), over what the reader may see (visibility in SQL). */
export async function visibleMonthlyFatalities(trx: Trx, principal: Principal, before: string) {
  const month = sql<string>`substr(incidents.occurred_start, 1, 7)`;
  const rows = await trx
    .selectFrom('incidents')
    .innerJoin('admin_areas', 'admin_areas.code', 'incidents.admin1_code')
    .select(['incidents.admin1_code as area', 'admin_areas.state as state', month.as('month'), (eb) => eb.fn.sum<number>('incidents.fatalities_best').as('fatalities'), (eb) => eb.fn.countAll<number>().as('incidents')])
    .where('incidents.status', '=', 'validated')
    .where('incidents.occurred_start', '<', before)
    .where(visibleTo(principal))
    .groupBy(['incidents.admin1_code', 'admin_areas.state', month])
    .execute();
  return rows.map((r) => ({ area: r.area ?? '', state: r.state, month: r.month, fatalities: toNumber(r.fatalities), incidents: toNumber(r.incidents) }));
}
