import {
  assessedPeriod, DEFAULT_THRESHOLDS, periodBounds, periodContaining, periodOverlaps, periodsBetween, type Cell, type Definition, type Frequency,
  type IndicatorProgress, type IndicatorTrend, type StrategyProgress, type Thresholds,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { getIndicatorRow, listValues, type StrategyRow } from '../../repositories/strategy.repository.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';
import { readableStrategy, strategyTree } from './strategy.service.js';
import { computeIndicator } from './compute.js';
import { achievement, objectiveAchievement, statusOf } from './progress.js';
import type { IndicatorView, StrategyTree, StrategyView } from './views.js';

export type { AxisProgress, Cell, IndicatorProgress, IndicatorTrend, ObjectiveProgress, StrategyProgress } from '@vigie/domain';

/** Values of every indicator: indicator id → period → state ('' = confederation) → value. */
export type ValueTable = Map<string, Map<string, Map<string, number | null>>>;

const today = () => nowIso().slice(0, 10);

/** The last day for which values exist: the end of validity, or today if earlier. */
const lastDay = (s: { valid_to: string }) => (s.valid_to < today() ? s.valid_to : today());

/** Periods of an indicator's frequency from the start of validity up to now. */
export const indicatorPeriods = (s: { valid_from: string; valid_to: string }, frequency: Frequency): string[] =>
  s.valid_from > lastDay(s) ? [] : periodsBetween(s.valid_from, lastDay(s), frequency);

/**
 * Every computed indicator's values for every period and state, from the aggregates, as the reader may see them.
 * One grouped aggregate query per distinct filter (cached until an incident changes).
 */
export async function computeAllIndicators(ctx: Ctx, principal: Principal, s: StrategyRow | StrategyView, indicators: IndicatorView[]): Promise<ValueTable> {
  const out: ValueTable = new Map();
  await Promise.all(indicators.filter((i) => i.source === 'computed' && i.definition).map(async (i) => {
    const periods = indicatorPeriods(s, i.frequency);
    if (!periods.length) return;
    out.set(i.id, await computeIndicator(ctx, principal, i.definition as Definition, i.frequency, periods, s.valid_from, lastDay(s)));
  }));
  return out;
}

/** Approved hand-entered values; the confederation value is the sum of the states' for counts, their mean otherwise. */
async function manualValues(ctx: Ctx, trx: Trx, principal: Principal, strategyId: string, indicators: IndicatorView[]): Promise<ValueTable> {
  const rows = await listValues(trx, { strategyId, status: 'approved', readerOrganisation: principal.kind === 'system' ? null : principal.organisation });
  const out: ValueTable = new Map();
  const unit = new Map(indicators.map((i) => [i.id, i.unit]));
  for (const r of rows) {
    const byPeriod = out.get(r.indicator_id) ?? new Map<string, Map<string, number | null>>();
    const cells = byPeriod.get(r.period) ?? new Map<string, number | null>();
    cells.set(r.state, Number(r.value));
    byPeriod.set(r.period, cells);
    out.set(r.indicator_id, byPeriod);
  }
  for (const [id, byPeriod] of out) {
    for (const cells of byPeriod.values()) {
      const vals = [...cells.values()].filter((v): v is number => v !== null);
      const sum = vals.reduce((a, b) => a + b, 0);
      cells.set('', unit.get(id) === 'count' ? sum : Math.round((sum / vals.length) * 1000) / 1000);
    }
  }
  return out;
}

/** Both kinds of values for a whole strategy. */
export async function allValues(ctx: Ctx, trx: Trx, principal: Principal, tree: StrategyTree): Promise<ValueTable> {
  const indicators = tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators));
  const [computed, manual] = await Promise.all([computeAllIndicators(ctx, principal, tree, indicators), manualValues(ctx, trx, principal, tree.id, indicators)]);
  return new Map([...manual, ...computed]);
}

/** How many member states have a value in a period's row. */
const reportedIn = (row: Map<string, number | null> | undefined, states: string[]) => states.filter((st) => (row?.get(st) ?? null) !== null).length;

const targetOf = (i: IndicatorView, period: string, state: string | null) => i.targets.find((t) => t.period === period && t.state === state)?.value ?? null;

/** One indicator's progress at the period an evaluation of `period` assesses. */
export function indicatorProgress(i: IndicatorView, values: ValueTable, period: string, states: string[], strategyThresholds: Thresholds): IndicatorProgress {
  const assessed = assessedPeriod(period, i.frequency);
  const thresholds = i.thresholds ?? strategyThresholds;
  const row = values.get(i.id)?.get(assessed);
  // A confederation total of hand-entered values is only complete when every state has declared.
  const coverage = i.source === 'manual' ? { reported: reportedIn(row, states), expected: states.length } : undefined;
  const incomplete = coverage !== undefined && coverage.reported < coverage.expected;
  const cells: Cell[] = [null, ...states].map((state) => {
    const value = row?.get(state ?? '') ?? null;
    const target = targetOf(i, assessed, state);
    // The baseline is confederation-wide: states are measured against their target alone.
    const a = state === null && incomplete ? null : achievement({ value, target, baseline: state === null ? i.baseline_value : null, direction: i.direction });
    return { state, value, target, achievement: a, status: statusOf(a, thresholds), ...(state === null && coverage ? { coverage } : {}) };
  });
  const conf = cells[0] as Cell;
  const a = incomplete ? null : conf.achievement ?? objectiveAchievement(cells.slice(1).map((c) => c.achievement));
  return {
    id: i.id, code: i.code, name_fr: i.name_fr, name_en: i.name_en, unit: i.unit, direction: i.direction, frequency: i.frequency, source: i.source,
    civilian_harm: i.civilian_harm, baseline_value: i.baseline_value, baseline_period: i.baseline_period, assessed_period: assessed, cells,
    achievement: a, status: statusOf(a, thresholds),
  };
}

/** Progress of a whole strategy at a period: every indicator's cells, and each objective's derived status. */
export function progressOf(tree: StrategyTree, values: ValueTable, period: string, states: string[]): StrategyProgress {
  const { axes: _axes, ...strategy } = tree;
  return {
    strategy, period, states,
    axes: tree.axes.map((a) => ({
      id: a.id, code: a.code, name_fr: a.name_fr, name_en: a.name_en, civilian_protection: a.civilian_protection,
      objectives: a.objectives.map((o) => {
        const indicators = o.indicators.map((i) => indicatorProgress(i, values, period, states, tree.thresholds));
        const oa = objectiveAchievement(indicators.map((i) => i.achievement));
        return { id: o.id, code: o.code, name_fr: o.name_fr, name_en: o.name_en, achievement: oa, status: statusOf(oa, tree.thresholds ?? DEFAULT_THRESHOLDS), indicators };
      }),
    })),
  };
}

/** The default period to show: the last ended quarter of the validity (the current one is still partial), else the first. */
export function defaultPeriod(s: { valid_from: string; valid_to: string }): string {
  const ended = indicatorPeriods(s, 'quarter').filter((p) => periodBounds(p).end <= today());
  return ended.at(-1) ?? periodContaining(s.valid_from, 'quarter');
}

export async function strategyProgress(ctx: Ctx, principal: Principal, strategyId: string, period?: string): Promise<StrategyProgress> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const row = await readableStrategy(ctx, db, principal, strategyId);
  const p = period ?? defaultPeriod(row);
  if (!periodOverlaps(p, row.valid_from, row.valid_to)) {
    throw new Problem('validation_failed', `période ${p} hors de la validité de la stratégie`, [{ field: 'period', message: `période ${p} hors de la validité de la stratégie (${row.valid_from} – ${row.valid_to})` }]);
  }
  const tree = await strategyTree(ctx, db, row);
  const values = await allValues(ctx, db, principal, tree);
  return progressOf(tree, values, p, ctx.reference.states.map((s) => s.code));
}

export function trendOf(i: IndicatorView, s: { valid_from: string; valid_to: string }, values: ValueTable, states: string[]): IndicatorTrend {
  const periods = indicatorPeriods(s, i.frequency);
  const byPeriod = values.get(i.id);
  return {
    indicator: i,
    periods,
    series: [null, ...states].map((state) => ({
      state,
      values: periods.map((p) => byPeriod?.get(p)?.get(state ?? '') ?? null),
      targets: periods.map((p) => targetOf(i, p, state)),
      ...(state === null && i.source === 'manual' ? { reported: periods.map((p) => reportedIn(byPeriod?.get(p), states)) } : {}),
    })),
  };
}

export async function indicatorTrend(ctx: Ctx, principal: Principal, indicatorId: string): Promise<IndicatorTrend> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const ind = await getIndicatorRow(db, indicatorId);
  if (!ind) throw new Problem('not_found', `pas d'indicateur ${indicatorId}`);
  const row = await readableStrategy(ctx, db, principal, ind.strategy_id);
  const tree = await strategyTree(ctx, db, row);
  const view = tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators)).find((i) => i.id === indicatorId) as IndicatorView;
  const values = view.source === 'computed'
    ? await computeAllIndicators(ctx, principal, tree, [view])
    : await manualValues(ctx, db, principal, tree.id, [view]);
  return trendOf(view, tree, values, ctx.reference.states.map((s) => s.code));
}
