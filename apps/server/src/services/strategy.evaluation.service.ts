import {
  evaluationCreateSchema, evaluationPatchSchema, periodBounds, periodContaining, periodOverlaps, periodsBetween, ratingInputSchema,
  type Evaluation, type FieldError, type StatusRating,
} from '@vigie/domain';
import type { z } from 'zod';
import type { Trx } from '../db/engine.js';
import { newId, nowIso } from '../lib/ids.js';
import { Problem } from '../lib/problem.js';
import {
  findEvaluation, getEvaluationRow, insertEvaluation, listEvaluations, listRatings, updateEvaluationAtVersion, upsertRatings, type EvaluationRow,
  type StrategyRow,
} from '../repositories/strategy.repository.js';
import { aggregateIncidents } from './aggregate.service.js';
import { recordAudit } from './audit.service.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';
import { allValues, progressOf, trendOf, type IndicatorTrend, type StrategyProgress } from './strategy.progress.service.js';
import { readableStrategy, strategyTree } from './strategy.service.js';
import { toEvaluationHead, type EvaluationHead } from './strategy/views.js';

type RatingInput = z.output<typeof ratingInputSchema>;

export type { Evaluation, ObjectiveRating } from '@vigie/domain';

const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
const scope = (s: StrategyRow) => ({ classificationLevel: s.classification_level, sharingScope: 'confederation', ownerState: null });

async function progressAt(ctx: Ctx, trx: Trx, principal: Principal, s: StrategyRow, period: string): Promise<StrategyProgress> {
  const tree = await strategyTree(ctx, trx, s);
  const values = await allValues(ctx, trx, principal, tree);
  return progressOf(tree, values, period, ctx.reference.states.map((x) => x.code));
}

const derivedOf = (p: StrategyProgress) => new Map(p.axes.flatMap((a) => a.objectives.map((o) => [o.id, o.status] as const)));

/** A rating that departs from the derived status needs a written justification; objectives must be the strategy's. */
function checkRatings(p: StrategyProgress, ratings: RatingInput[]): FieldError[] {
  const derived = derivedOf(p);
  const errors: FieldError[] = [];
  ratings.forEach((r, i) => {
    if (!derived.has(r.objective_id)) errors.push({ field: `ratings.${i}.objective_id`, message: `objectif inconnu dans cette stratégie : ${r.objective_id}` });
    else if (r.rating !== null && r.rating !== derived.get(r.objective_id) && r.justification.trim().length < 10) {
      errors.push({ field: `ratings.${i}.justification`, message: 'une justification écrite (10 caractères au moins) est requise pour modifier le statut calculé' });
    }
  });
  return errors;
}

async function evaluationView(ctx: Ctx, trx: Trx, principal: Principal, row: EvaluationRow, s: StrategyRow): Promise<Evaluation> {
  const progress = await progressAt(ctx, trx, principal, s, row.period);
  const stored = new Map((await listRatings(trx, row.id)).map((r) => [r.objective_id, r]));
  const ratings = progress.axes.flatMap((a) => a.objectives).map((o) => {
    const r = stored.get(o.id);
    const rating = (r?.rating ?? null) as StatusRating | null;
    return { objective_id: o.id, derived: o.status, rating, final: rating ?? o.status, justification: r?.justification ?? '', comment: r?.comment ?? '' };
  });
  return { ...toEvaluationHead(row), ratings, progress };
}

const ratingRows = (ratings: RatingInput[]) => ratings.map((r) => ({ objective_id: r.objective_id, rating: r.rating, justification: r.justification, comment: r.comment }));

/**
 * The experts' evaluation of a period: ratings per objective (derived unless overridden with a justification) and a narrative.
 * Progress is computed before the write transaction: it reads the aggregates through the engine's own connection,
 * which SQLite's single connection cannot serve while a transaction holds it.
 */
export async function createEvaluation(ctx: Ctx, principal: Principal, strategyId: string, input: unknown): Promise<Evaluation> {
  requirePermission(principal, 'evaluation.write');
  const data = evaluationCreateSchema.parse(input);
  const s0 = await readableStrategy(ctx, ctx.engine.db, principal, strategyId);
  if (!periodOverlaps(data.period, s0.valid_from, s0.valid_to)) {
    throw invalid([{ field: 'period', message: `période ${data.period} hors de la validité de la stratégie (${s0.valid_from} – ${s0.valid_to})` }]);
  }
  const errors = checkRatings(await progressAt(ctx, ctx.engine.db, principal, s0, data.period), data.ratings);
  if (errors.length) throw invalid(errors);
  const id = await ctx.engine.writeTransaction(async (trx) => {
    const s = await readableStrategy(ctx, trx, principal, strategyId);
    if (await findEvaluation(trx, s.id, data.period)) throw new Problem('conflict', `une évaluation existe déjà pour ${data.period}`, [{ field: 'period', message: 'période déjà évaluée' }]);
    const now = nowIso();
    const row: EvaluationRow = {
      id: newId(), strategy_id: s.id, period: data.period, status: 'draft', narrative: data.narrative, created_by: principal.userId, version: 1, created_at: now, updated_at: now,
    };
    await insertEvaluation(trx, row);
    await upsertRatings(trx, row.id, ratingRows(data.ratings));
    await recordAudit(ctx.engine, trx, principal, { action: 'evaluation.create', objectType: 'evaluation', objectId: row.id, after: { ...row, ratings: data.ratings }, ...scope(s) });
    return row.id;
  });
  return getEvaluation(ctx, principal, id);
}

export async function patchEvaluation(ctx: Ctx, principal: Principal, id: string, input: unknown): Promise<Evaluation> {
  requirePermission(principal, 'evaluation.write');
  const { version, ratings, ...rest } = evaluationPatchSchema.parse(input);
  const current = await getEvaluationRow(ctx.engine.db, id);
  if (!current) throw new Problem('not_found', `pas d'évaluation ${id}`);
  const s0 = await readableStrategy(ctx, ctx.engine.db, principal, current.strategy_id);
  if (ratings) {
    const errors = checkRatings(await progressAt(ctx, ctx.engine.db, principal, s0, current.period), ratings);
    if (errors.length) throw invalid(errors);
  }
  await ctx.engine.writeTransaction(async (trx) => {
    const before = await getEvaluationRow(trx, id);
    if (!before) throw new Problem('not_found', `pas d'évaluation ${id}`);
    const s = await readableStrategy(ctx, trx, principal, before.strategy_id);
    if (before.status === 'final' && rest.status !== 'draft') throw new Problem('invalid_transition', 'une évaluation finale ne se modifie plus ; repassez-la en brouillon', undefined, { current_status: before.status });
    if (!(await updateEvaluationAtVersion(trx, id, version, { ...rest, version: before.version + 1, updated_at: nowIso() }))) {
      throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    }
    if (ratings) await upsertRatings(trx, id, ratingRows(ratings));
    const after = (await getEvaluationRow(trx, id)) as EvaluationRow;
    await recordAudit(ctx.engine, trx, principal, { action: 'evaluation.update', objectType: 'evaluation', objectId: id, before, after: { ...after, ratings }, ...scope(s) });
  });
  return getEvaluation(ctx, principal, id);
}

export async function getEvaluation(ctx: Ctx, principal: Principal, id: string): Promise<Evaluation> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const row = await getEvaluationRow(db, id);
  if (!row) throw new Problem('not_found', `pas d'évaluation ${id}`);
  const s = await readableStrategy(ctx, db, principal, row.strategy_id);
  return evaluationView(ctx, db, principal, row, s);
}

export async function listStrategyEvaluations(ctx: Ctx, principal: Principal, strategyId: string): Promise<EvaluationHead[]> {
  requirePermission(principal, 'strategy.read');
  await readableStrategy(ctx, ctx.engine.db, principal, strategyId);
  return (await listEvaluations(ctx.engine.db, strategyId)).map(toEvaluationHead);
}

// ------------------------------------------------------------------------------------------------ the report

/** Civilian harm over the strategy's validity up to the evaluated period, per quarter, for each state: always in the report. */
export interface CivilianHarm {
  periods: string[];
  states: string[];
  /** state ('' = confederation) → values per period. */
  civilian_fatalities: Record<string, number[]>;
  fatalities: Record<string, number[]>;
  injured: Record<string, number[]>;
}

/** Everything the ministers' report shows, computed once and rendered as HTML or PDF. */
export interface ReportModel {
  evaluation: Evaluation;
  trends: Record<string, IndicatorTrend>;
  civilianHarm: CivilianHarm;
  stateNames: Record<string, string>;
  allianceName: string;
  generatedAt: string;
}

async function civilianHarm(ctx: Ctx, principal: Principal, s: StrategyRow, period: string): Promise<CivilianHarm> {
  const end = new Date(Date.parse(`${periodBounds(period).end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const periods = periodsBetween(s.valid_from, end, 'quarter');
  const states = ctx.reference.states.map((x) => x.code);
  const res = await aggregateIncidents(ctx, principal, { from: periodBounds(periods[0] ?? periodContaining(s.valid_from, 'quarter')).start, to: end, group_by: ['state', 'quarter'] });
  const blank = () => Object.fromEntries(['', ...states].map((st) => [st, periods.map(() => 0)])) as Record<string, number[]>;
  const out: CivilianHarm = { periods, states, civilian_fatalities: blank(), fatalities: blank(), injured: blank() };
  for (const item of res.items) {
    const i = periods.indexOf(item.quarter ?? '');
    if (i < 0 || !item.state) continue;
    for (const m of ['civilian_fatalities', 'fatalities', 'injured'] as const) {
      const row = out[m][item.state];
      const conf = out[m][''];
      if (row) row[i] = (row[i] ?? 0) + item[m];
      if (conf) conf[i] = (conf[i] ?? 0) + item[m];
    }
  }
  return out;
}

/** The data of the ministers' report for an evaluation, as the reader may see it. */
export async function buildReport(ctx: Ctx, principal: Principal, evaluationId: string): Promise<ReportModel> {
  const evaluation = await getEvaluation(ctx, principal, evaluationId);
  const db = ctx.engine.db;
  const s = await readableStrategy(ctx, db, principal, evaluation.strategy_id);
  const tree = await strategyTree(ctx, db, s);
  const values = await allValues(ctx, db, principal, tree);
  const states = ctx.reference.states.map((x) => x.code);
  const periodEnd = periodBounds(evaluation.period).end;
  const trends: Record<string, IndicatorTrend> = {};
  for (const i of tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators))) {
    const t = trendOf(i, tree, values, states);
    // Only the periods up to the evaluated one.
    const keep = t.periods.map((p) => periodBounds(p).start < periodEnd);
    trends[i.id] = { ...t, periods: t.periods.filter((_, k) => keep[k]), series: t.series.map((x) => ({ ...x, values: x.values.filter((_, k) => keep[k]), targets: x.targets.filter((_, k) => keep[k]) })) };
  }
  return {
    evaluation, trends, civilianHarm: await civilianHarm(ctx, principal, s, evaluation.period),
    stateNames: Object.fromEntries(ctx.reference.states.map((x) => [x.code, x.name_fr])),
    allianceName: ctx.reference.alliance.name_fr, generatedAt: nowIso(),
  };
}

/** Records that a report was produced (who, which evaluation), in the audit trail. */
export async function auditReport(ctx: Ctx, principal: Principal, evaluationId: string, format: 'html' | 'pdf'): Promise<void> {
  await ctx.engine.writeTransaction((trx) =>
    recordAudit(ctx.engine, trx, principal, { action: 'evaluation.report', objectType: 'evaluation', objectId: evaluationId, details: { format } }),
  );
}
