import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type {
  EvaluationRatingsTable, EvaluationsTable, IndicatorTargetsTable, IndicatorValuesTable, StrategiesTable, StrategyAxesTable,
  StrategyIndicatorsTable, StrategyObjectivesTable,
} from '../db/strategy-schema.js';

export type StrategyRow = Selectable<StrategiesTable>;
export type AxisRow = Selectable<StrategyAxesTable>;
export type ObjectiveRow = Selectable<StrategyObjectivesTable>;
export type IndicatorRow = Selectable<StrategyIndicatorsTable>;
export type TargetRow = Selectable<IndicatorTargetsTable>;
export type ValueRow = Selectable<IndicatorValuesTable>;
export type EvaluationRow = Selectable<EvaluationsTable>;
export type RatingRow = Selectable<EvaluationRatingsTable>;

// ------------------------------------------------------------------------------------------- strategies

export async function insertStrategy(trx: Trx, row: Insertable<StrategiesTable>): Promise<void> {
  await trx.insertInto('strategies').values(row).execute();
}

export const getStrategyRow = (trx: Trx, id: string) => trx.selectFrom('strategies').selectAll().where('id', '=', id).executeTakeFirst();

/** Strategies a reader cleared to `clearance` may see, newest validity first. */
export const listStrategyRows = (trx: Trx, clearance: number) =>
  trx.selectFrom('strategies').selectAll().where('classification_level', '<=', clearance).orderBy('valid_from', 'desc').orderBy('code').execute();

export const findStrategyByCode = (trx: Trx, code: string) => trx.selectFrom('strategies').selectAll().where('code', '=', code).executeTakeFirst();

/** The strategy that revised this one, if any. */
export const findSuccessor = (trx: Trx, id: string) => trx.selectFrom('strategies').select(['id', 'code']).where('supersedes_id', '=', id).executeTakeFirst();

export async function updateStrategyAtVersion(trx: Trx, id: string, version: number, patch: Updateable<StrategiesTable>): Promise<boolean> {
  const r = await trx.updateTable('strategies').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setStrategyStatus(trx: Trx, id: string, status: string, updatedAt: string): Promise<void> {
  await trx.updateTable('strategies').set((eb) => ({ status, updated_at: updatedAt, version: eb('version', '+', 1) })).where('id', '=', id).execute();
}

// ------------------------------------------------------------------------------------------- structure

export async function insertAxis(trx: Trx, row: Insertable<StrategyAxesTable>): Promise<void> {
  await trx.insertInto('strategy_axes').values(row).execute();
}
export const getAxisRow = (trx: Trx, id: string) => trx.selectFrom('strategy_axes').selectAll().where('id', '=', id).executeTakeFirst();
export const listAxes = (trx: Trx, strategyId: string) =>
  trx.selectFrom('strategy_axes').selectAll().where('strategy_id', '=', strategyId).orderBy('position').orderBy('code').execute();
export async function updateAxis(trx: Trx, id: string, patch: Updateable<StrategyAxesTable>): Promise<void> {
  await trx.updateTable('strategy_axes').set(patch).where('id', '=', id).execute();
}

export async function insertObjective(trx: Trx, row: Insertable<StrategyObjectivesTable>): Promise<void> {
  await trx.insertInto('strategy_objectives').values(row).execute();
}
export const getObjectiveRow = (trx: Trx, id: string) => trx.selectFrom('strategy_objectives').selectAll().where('id', '=', id).executeTakeFirst();
export const listObjectives = (trx: Trx, strategyId: string) =>
  trx.selectFrom('strategy_objectives').selectAll().where('strategy_id', '=', strategyId).orderBy('position').orderBy('code').execute();
export async function updateObjective(trx: Trx, id: string, patch: Updateable<StrategyObjectivesTable>): Promise<void> {
  await trx.updateTable('strategy_objectives').set(patch).where('id', '=', id).execute();
}
/** Which of these objective ids exist (any strategy). */
export async function existingObjectiveIds(trx: Trx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await trx.selectFrom('strategy_objectives').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertIndicator(trx: Trx, row: Insertable<StrategyIndicatorsTable>): Promise<void> {
  await trx.insertInto('strategy_indicators').values(row).execute();
}
export const getIndicatorRow = (trx: Trx, id: string) => trx.selectFrom('strategy_indicators').selectAll().where('id', '=', id).executeTakeFirst();
export const listIndicators = (trx: Trx, strategyId: string) =>
  trx.selectFrom('strategy_indicators').selectAll().where('strategy_id', '=', strategyId).orderBy('position').orderBy('code').execute();
export async function updateIndicatorAtVersion(trx: Trx, id: string, version: number, patch: Updateable<StrategyIndicatorsTable>): Promise<boolean> {
  const r = await trx.updateTable('strategy_indicators').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Next free position among siblings. */
export async function nextPosition(trx: Trx, table: 'strategy_axes' | 'strategy_objectives' | 'strategy_indicators', column: 'strategy_id' | 'axis_id' | 'objective_id', parentId: string): Promise<number> {
  const row = await sql<{ p: number | null }>`select max(position) as p from ${sql.table(table)} where ${sql.ref(column)} = ${parentId}`.execute(trx);
  const p = row.rows[0]?.p;
  return p === null || p === undefined ? 0 : Number(p) + 1;
}

// ------------------------------------------------------------------------------------------- targets

export async function replaceTargets(trx: Trx, indicatorId: string, targets: { period: string; state: string; value: number }[]): Promise<void> {
  await trx.deleteFrom('indicator_targets').where('indicator_id', '=', indicatorId).execute();
  if (targets.length) await trx.insertInto('indicator_targets').values(targets.map((t) => ({ indicator_id: indicatorId, ...t }))).execute();
}

export const listTargets = (trx: Trx, strategyId: string) =>
  trx
    .selectFrom('indicator_targets as t')
    .innerJoin('strategy_indicators as i', 'i.id', 't.indicator_id')
    .select(['t.indicator_id', 't.period', 't.state', 't.value'])
    .where('i.strategy_id', '=', strategyId)
    .orderBy('t.indicator_id')
    .orderBy('t.period')
    .orderBy('t.state')
    .execute();

// ------------------------------------------------------------------------------------------- values

export const getValueRow = (trx: Trx, id: string) => trx.selectFrom('indicator_values').selectAll().where('id', '=', id).executeTakeFirst();

export const findValue = (trx: Trx, indicatorId: string, period: string, state: string) =>
  trx.selectFrom('indicator_values').selectAll().where('indicator_id', '=', indicatorId).where('period', '=', period).where('state', '=', state).executeTakeFirst();

export async function insertValue(trx: Trx, row: Insertable<IndicatorValuesTable>): Promise<void> {
  await trx.insertInto('indicator_values').values(row).execute();
}

export async function updateValueAtVersion(trx: Trx, id: string, version: number, patch: Updateable<IndicatorValuesTable>): Promise<boolean> {
  const r = await trx.updateTable('indicator_values').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ValueScope {
  strategyId?: string;
  indicatorId?: string;
  status?: string;
  state?: string;
  period?: string;
  /** Organisation of the reader: approved values are read by all, the others by their own state only. Null: everything. */
  readerOrganisation: string | null;
}

/** Hand-entered values with their indicator's strategy, as a reader may see them. */
export function listValues(trx: Trx, s: ValueScope) {
  let q = trx
    .selectFrom('indicator_values as v')
    .innerJoin('strategy_indicators as i', 'i.id', 'v.indicator_id')
    .selectAll('v')
    .select(['i.strategy_id', 'i.code as indicator_code', 'i.name_fr as indicator_name_fr', 'i.unit']);
  if (s.strategyId) q = q.where('i.strategy_id', '=', s.strategyId);
  if (s.indicatorId) q = q.where('v.indicator_id', '=', s.indicatorId);
  if (s.status) q = q.where('v.status', '=', s.status);
  if (s.state) q = q.where('v.state', '=', s.state);
  if (s.period) q = q.where('v.period', '=', s.period);
  const org = s.readerOrganisation;
  if (org !== null) q = q.where((eb) => eb.or([eb('v.status', '=', 'approved'), eb('v.state', '=', org)]));
  return q.orderBy('i.code').orderBy('v.period').orderBy('v.state').execute();
}

// ------------------------------------------------------------------------------------------- evaluations

export async function insertEvaluation(trx: Trx, row: Insertable<EvaluationsTable>): Promise<void> {
  await trx.insertInto('evaluations').values(row).execute();
}
export const getEvaluationRow = (trx: Trx, id: string) => trx.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
export const findEvaluation = (trx: Trx, strategyId: string, period: string) =>
  trx.selectFrom('evaluations').selectAll().where('strategy_id', '=', strategyId).where('period', '=', period).executeTakeFirst();
export const listEvaluations = (trx: Trx, strategyId: string) =>
  trx.selectFrom('evaluations').selectAll().where('strategy_id', '=', strategyId).orderBy('period', 'desc').execute();
export async function updateEvaluationAtVersion(trx: Trx, id: string, version: number, patch: Updateable<EvaluationsTable>): Promise<boolean> {
  const r = await trx.updateTable('evaluations').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export const listRatings = (trx: Trx, evaluationId: string) =>
  trx.selectFrom('evaluation_ratings').selectAll().where('evaluation_id', '=', evaluationId).execute();
export async function upsertRatings(trx: Trx, evaluationId: string, rows: Omit<RatingRow, 'evaluation_id'>[]): Promise<void> {
  if (!rows.length) return;
  await trx.deleteFrom('evaluation_ratings').where('evaluation_id', '=', evaluationId).where('objective_id', 'in', rows.map((r) => r.objective_id)).execute();
  await trx.insertInto('evaluation_ratings').values(rows.map((r) => ({ ...r, evaluation_id: evaluationId }))).execute();
}

// ------------------------------------------------------------------------------------------- copies across the federation link

/** The strategies at or below a classification level, oldest first (those a federation link may carry). */
export const strategiesAtOrBelow = (trx: Trx, ceiling: number) =>
  trx.selectFrom('strategies').selectAll().where('classification_level', '<=', ceiling).orderBy('created_at').execute();

/** A strategy's tree as stored — axes, objectives, indicators (by id) and their targets — in a stable order. */
export async function strategyTreeRows(trx: Trx, strategyId: string) {
  return {
    strategy_axes: await trx.selectFrom('strategy_axes').selectAll().where('strategy_id', '=', strategyId).orderBy('id').execute(),
    strategy_objectives: await trx.selectFrom('strategy_objectives').selectAll().where('strategy_id', '=', strategyId).orderBy('id').execute(),
    strategy_indicators: await trx.selectFrom('strategy_indicators').selectAll().where('strategy_id', '=', strategyId).orderBy('id').execute(),
    indicator_targets: await trx.selectFrom('indicator_targets').selectAll()
      .where('indicator_id', 'in', trx.selectFrom('strategy_indicators').select('id').where('strategy_id', '=', strategyId))
      .orderBy('indicator_id').orderBy('period').orderBy('state').execute(),
  };
}

/** Writes a strategy-table row by its id, as received: updated when held, inserted otherwise. */
export async function putStrategyRowById(trx: Trx, table: 'strategies' | 'strategy_axes' | 'strategy_objectives' | 'strategy_indicators' | 'indicator_values', row: Record<string, unknown>): Promise<void> {
  const { id, ...rest } = row as { id: string };
  const r = await trx.updateTable(table).set(rest as never).where('id', '=', id).executeTakeFirst();
  if (!Number(r.numUpdatedRows)) await trx.insertInto(table).values(row as never).execute();
}

/** Whether another strategy (not `id`) holds this code. */
export async function otherStrategyHasCode(trx: Trx, code: string, id: string): Promise<boolean> {
  return !!(await trx.selectFrom('strategies').select('id').where('code', '=', code).where('id', '!=', id).executeTakeFirst());
}

/** Replaces the targets of these indicators as a whole with `targets`. */
export async function replaceTargetsOfIndicators(trx: Trx, indicatorIds: readonly string[], targets: readonly Record<string, unknown>[]): Promise<void> {
  if (indicatorIds.length) await trx.deleteFrom('indicator_targets').where('indicator_id', 'in', indicatorIds).execute();
  if (targets.length) await trx.insertInto('indicator_targets').values(targets as never).execute();
}

export async function indicatorExists(trx: Trx, id: string): Promise<boolean> {
  return !!(await trx.selectFrom('strategy_indicators').select('id').where('id', '=', id).executeTakeFirst());
}

export async function deleteValue(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('indicator_values').where('id', '=', id).execute();
}

/**
 * Deletes strategies with everything hanging from them — targets, values, evaluations and their ratings, action links,
 * indicators, objectives, axes — and unlinks the strategies that superseded them.
 */
export async function deleteStrategiesWithTree(trx: Trx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const indicators = trx.selectFrom('strategy_indicators').select('id').where('strategy_id', 'in', ids);
  const objectives = trx.selectFrom('strategy_objectives').select('id').where('strategy_id', 'in', ids);
  await trx.deleteFrom('indicator_targets').where('indicator_id', 'in', indicators).execute();
  await trx.deleteFrom('indicator_values').where('indicator_id', 'in', indicators).execute();
  await trx.deleteFrom('evaluation_ratings').where('objective_id', 'in', objectives).execute();
  await trx.deleteFrom('evaluations').where('strategy_id', 'in', ids).execute();
  await trx.deleteFrom('action_objectives').where('objective_id', 'in', objectives).execute();
  await trx.deleteFrom('strategy_indicators').where('strategy_id', 'in', ids).execute();
  await trx.deleteFrom('strategy_objectives').where('strategy_id', 'in', ids).execute();
  await trx.deleteFrom('strategy_axes').where('strategy_id', 'in', ids).execute();
  await trx.updateTable('strategies').set({ supersedes_id: null }).where('supersedes_id', 'in', ids).execute();
  await trx.deleteFrom('strategies').where('id', 'in', ids).execute();
}
