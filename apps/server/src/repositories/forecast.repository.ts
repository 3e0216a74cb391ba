import type { AggregateFilter, Principal } from '@vigie/domain';
import { toNumber, type Engine } from '../db/engine.js';
import { aggregateFromIncidents, aggregateFromRollup, rollupCanAnswer } from './aggregate.repository.js';

const dayBefore = (iso: string) => new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10);

/**
 * Fatalities and number of validated incidents per admin-1 area and month (UTC) before `before` (a month's first
 * instant), over what the reader may see. Read from the monthly rollup (a few thousand rows whatever the number of
 * incidents), with the visibility rule on its columns; from the incidents themselves for the readers the rollup cannot
 * answer for. Areas are keyed by code; incidents placed in no admin-1 area are left out.
 */
export async function visibleMonthlyFatalities(engine: Engine, principal: Principal, before: string) {
  const filter: AggregateFilter = { status: ['validated'], to: dayBefore(before) };
  const dims = ['admin1', 'month'] as const;
  const rows = rollupCanAnswer(principal, filter)
    ? await aggregateFromRollup(engine, engine.db, principal, filter, [...dims])
    : await aggregateFromIncidents(engine, engine.db, principal, filter, [...dims]);
  return rows
    .filter((r) => r.d0 !== null && r.d0 !== '')
    .map((r) => ({ area: String(r.d0), month: String(r.d1), fatalities: toNumber(r.fatalities), incidents: toNumber(r.incidents) }));
}
