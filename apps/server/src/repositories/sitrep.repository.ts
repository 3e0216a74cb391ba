import { CONFEDERATION_ORG, foldText, type Principal } from '@vigie/domain';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Engine, Trx } from '../db/engine.js';
import type { SituationReportsTable } from '../db/schema.js';
import { applyIncidentFilter } from './incident.repository.js';

export type SitrepRow = Selectable<SituationReportsTable>;

export async function insertSitrep(trx: Trx, row: Insertable<SituationReportsTable>): Promise<void> {
  await trx.insertInto('situation_reports').values(row).execute();
}

/** Stores a map's outlines under their hash unless there already (reports share them). */
export async function insertSitrepMap(trx: Trx, hash: string, outlines: string): Promise<void> {
  await trx.insertInto('situation_report_maps').values({ hash, outlines }).onConflict((oc) => oc.column('hash').doNothing()).execute();
}

export const getSitrepMap = async (trx: Trx, hash: string) =>
  (await trx.selectFrom('situation_report_maps').select('outlines').where('hash', '=', hash).executeTakeFirst())?.outlines;

/**
 * When the schedule started for an audience and ceiling, recorded at its first run: the oldest report of that audience
 * and ceiling already there (a deployment that had reports before this record existed keeps catching up), else `now`.
 */
export async function scheduleArmedAt(trx: Trx, audience: string, ceiling: number, now: string): Promise<string> {
  const read = () => trx.selectFrom('situation_report_schedule').select('armed_at').where('audience', '=', audience).where('ceiling', '=', ceiling).executeTakeFirst();
  const known = await read();
  if (known) return known.armed_at;
  const oldest = await trx.selectFrom('situation_reports').select((eb) => eb.fn.min('created_at').as('at'))
    .where('audience', '=', audience).where('ceiling', '=', ceiling).executeTakeFirst();
  const at = oldest?.at && oldest.at < now ? oldest.at : now;
  await trx.insertInto('situation_report_schedule').values({ audience, ceiling, armed_at: at }).onConflict((oc) => oc.columns(['audience', 'ceiling']).doNothing()).execute();
  return (await read())?.armed_at ?? at;
}

export const getSitrepRow = (trx: Trx, id: string) => trx.selectFrom('situation_reports').selectAll().where('id', '=', id).executeTakeFirst();

/** A report of that period, audience and ceiling already generated (the schedule writes each one once). */
export const findSitrep = (trx: Trx, kind: string, period: string, audience: string, ceiling: number) =>
  trx.selectFrom('situation_reports').select('id').where('kind', '=', kind).where('period', '=', period)
    .where('audience', '=', audience).where('ceiling', '=', ceiling).executeTakeFirst();

export interface SitrepListFilter { kind?: string; period?: string; audience?: string; q?: string; limit: number }

/**
 * Reports the reader may open, newest first: at or below their clearance, for the confederation or for their own
 * state. The rule is in the query, so a list never names a report its reader could not open.
 */
export async function listSitrepRows(trx: Trx, principal: Principal, f: SitrepListFilter) {
  let q = trx.selectFrom('situation_reports')
    .select(['id', 'kind', 'period', 'period_from', 'period_to', 'audience', 'ceiling', 'as_of', 'created_by_login', 'created_at', 'headline_fr', 'headline_en', 'figures']);
  if (principal.kind !== 'system') {
    q = q.where('ceiling', '<=', principal.clearance).where('audience', 'in', [CONFEDERATION_ORG, principal.organisation]);
  }
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.audience) q = q.where('audience', '=', f.audience);
  for (const term of foldText(f.q ?? '').split(/[^\p{L}\p{N}-]+/u).filter(Boolean)) {
    q = q.where('search_text', 'like', `%${term.replace(/[%_\\]/g, '')}%`);
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** The newest report the reader may open (the briefing's card). */
export async function latestSitrepRow(trx: Trx, principal: Principal) {
  return (await listSitrepRows(trx, principal, { limit: 1 }))[0];
}

/**
 * Incidents and fatalities per actor (as actor 1 or 2) over a day range, counted over the incidents the reader sees
 * (validated ones): the two sides grouped in one statement (UNION ALL), added up here.
 */
export async function actorTotals(engine: Engine, trx: Trx, principal: Principal, from: string, to: string, states?: string[]) {
  const side = (col: 'actor1' | 'actor2') => {
    const q = trx.selectFrom('incidents')
      .select([sql<string>`incidents.${sql.raw(col)}`.as('code'), sql<number>`count(*)`.as('incidents'), sql<number>`sum(incidents.fatalities_best)`.as('fatalities')])
      .where(`incidents.${col}`, 'is not', null);
    return applyIncidentFilter(engine, principal, q, { from, to, status: ['validated'], ...(states ? { states } : {}) }).groupBy(`incidents.${col}`);
  };
  const out = new Map<string, { incidents: number; fatalities: number }>();
  for (const r of await side('actor1').unionAll(side('actor2')).execute()) {
    const t = out.get(r.code) ?? { incidents: 0, fatalities: 0 };
    t.incidents += Number(r.incidents);
    t.fatalities += Number(r.fatalities ?? 0);
    out.set(r.code, t);
  }
  return out;
}
