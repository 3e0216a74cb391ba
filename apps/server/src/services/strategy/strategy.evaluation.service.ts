import {
  CLASSIFICATIONS, CONFEDERATION_ORG, evaluationCreateSchema, evaluationPatchSchema, periodBounds, periodContaining, periodOverlaps, periodsBetween, ratingInputSchema,
  type Evaluation, type FieldError, type StatusRating, parseInput,
} from '@vigie/domain';
import type { z } from 'zod';
import type { Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  findEvaluation, getEvaluationRow, insertEvaluation, listEvaluations, listRatings, updateEvaluationAtVersion, upsertRatings, type EvaluationRow,
  type StrategyRow,
} from '../../repositories/strategy.repository.js';
import { aggregateIncidents } from '../aggregate.service.js';
import { mutate } from '../mutation.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';
import { allValues, progressOf, trendOf, type IndicatorTrend, type StrategyProgress } from './strategy.progress.service.js';
import { readableStrategy, strategyTree } from './strategy.service.js';
import { CEILING_FR } from './report-text.js';
import type { CivilianHarm, ReportModel } from './report-model.js';
import { toEvaluationHead, type EvaluationHead } from './views.js';

type RatingInput = z.output<typeof ratingInputSchema>;

export type { Evaluation, ObjectiveRating } from '@vigie/domain';

const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
const scope = (s: StrategyRow) => ({ classificationLevel: s.classification_level, sharingScope: 'confederation', ownerState: null });

/**
 * Official figures are computed for the evaluation's stated audience and ceiling, never for whoever asks: the reader of
 * an organisation (CONF or a member state) at that clearance who sees validated records only (no drafts, no reports
 * under review). So the analyst, a focal point, the minister and the CLI all get the same numbers.
 */
export function audiencePrincipal(audience: string, ceiling: number): Principal {
  return { kind: 'user', userId: null, login: `audience:${audience}`, organisation: audience, role: 'decision_maker', clearance: ceiling };
}

/**
 * Who may read an evaluation's figures (and its report), even frozen: derived figures follow who-sees-what. The reader
 * must be cleared up to the ceiling, and belong to the audience (a confederation audience counts only what is shared
 * with every member, so any member's reader qualifies).
 */
function requireAudience(principal: Principal, row: Pick<EvaluationRow, 'audience' | 'ceiling'>): void {
  if (principal.kind === 'system') return;
  const cleared = principal.clearance >= row.ceiling;
  const member = row.audience === CONFEDERATION_ORG || principal.organisation === row.audience;
  if (!cleared || !member) {
    throw new Problem('forbidden', `cette évaluation est calculée pour ${row.audience}, jusqu'au niveau « ${CEILING_FR[CLASSIFICATIONS[row.ceiling] ?? 'secret']} » : votre habilitation ne permet pas de la lire`, undefined, {
      audience: row.audience, ceiling: CLASSIFICATIONS[row.ceiling] ?? null,
    });
  }
}

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

/** The figures frozen with a final evaluation. */
interface Frozen { progress: StrategyProgress; trends: Record<string, IndicatorTrend>; civilianHarm: CivilianHarm }
const frozenOf = (row: EvaluationRow): Frozen | null => (row.status === 'final' && row.frozen ? (JSON.parse(row.frozen) as Frozen) : null);

async function evaluationView(ctx: Ctx, trx: Trx, row: EvaluationRow, s: StrategyRow, computed?: StrategyProgress): Promise<Evaluation> {
  const progress = computed ?? frozenOf(row)?.progress ?? await progressAt(ctx, trx, audiencePrincipal(row.audience, row.ceiling), s, row.period);
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
export async function createEvaluation(ctx: Ctx, principal: Principal, strategyId: string, input: z.input<typeof evaluationCreateSchema> | z.output<typeof evaluationCreateSchema>): Promise<Evaluation> {
  requirePermission(principal, 'evaluation.write');
  const data = parseInput(evaluationCreateSchema, input);
  const s0 = await readableStrategy(ctx, ctx.engine.db, principal, strategyId);
  if (!periodOverlaps(data.period, s0.valid_from, s0.valid_to)) {
    throw invalid([{ field: 'period', message: `période ${data.period} hors de la validité de la stratégie (${s0.valid_from} – ${s0.valid_to})` }]);
  }
  const ceiling = CLASSIFICATIONS.indexOf(data.ceiling);
  if (data.audience !== CONFEDERATION_ORG && !ctx.reference.states.some((x) => x.code === data.audience)) {
    throw invalid([{ field: 'audience', message: `destinataire inconnu : ${data.audience} (${CONFEDERATION_ORG} ou un État membre)` }]);
  }
  // Nobody computes figures they could not read themselves.
  if (principal.kind !== 'system' && ceiling > principal.clearance) {
    throw invalid([{ field: 'ceiling', message: `niveau « ${CEILING_FR[data.ceiling]} » au-dessus de votre habilitation` }]);
  }
  if (principal.kind !== 'system' && data.audience !== CONFEDERATION_ORG && data.audience !== principal.organisation) {
    throw invalid([{ field: 'audience', message: `vous ne pouvez pas établir de chiffres pour ${data.audience}` }]);
  }
  const errors = checkRatings(await progressAt(ctx, ctx.engine.db, audiencePrincipal(data.audience, ceiling), s0, data.period), data.ratings);
  if (errors.length) throw invalid(errors);
  const id = await mutate(ctx, principal, { permission: 'evaluation.write', run: async (trx) => {
    const s = await readableStrategy(ctx, trx, principal, strategyId);
    if (await findEvaluation(trx, s.id, data.period)) throw new Problem('conflict', `une évaluation existe déjà pour ${data.period}`, [{ field: 'period', message: 'période déjà évaluée' }]);
    const now = nowIso();
    const row: EvaluationRow = {
      id: newId(), strategy_id: s.id, period: data.period, status: 'draft', narrative: data.narrative, created_by: principal.userId, version: 1, created_at: now, updated_at: now,
      audience: data.audience, ceiling, as_of: null, frozen: null,
    };
    await insertEvaluation(trx, row);
    await upsertRatings(trx, row.id, ratingRows(data.ratings));
    return { result: row.id, audit: { action: 'evaluation.create', objectType: 'evaluation', objectId: row.id, after: { ...row, ratings: data.ratings }, ...scope(s) } };
  } });
  return getEvaluation(ctx, principal, id);
}

export async function patchEvaluation(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof evaluationPatchSchema> | z.output<typeof evaluationPatchSchema>): Promise<Evaluation> {
  requirePermission(principal, 'evaluation.write');
  const { version, ratings, ...rest } = parseInput(evaluationPatchSchema, input);
  const current = await getEvaluationRow(ctx.engine.db, id);
  if (!current) throw new Problem('not_found', `pas d'évaluation ${id}`);
  const s0 = await readableStrategy(ctx, ctx.engine.db, principal, current.strategy_id);
  requireAudience(principal, current);
  const audience = audiencePrincipal(current.audience, current.ceiling);
  if (ratings) {
    const errors = checkRatings(await progressAt(ctx, ctx.engine.db, audience, s0, current.period), ratings);
    if (errors.length) throw invalid(errors);
  }
  // Finalising freezes the figures as the audience sees them now (computed outside the write transaction, see above).
  const freezing = rest.status === 'final' && current.status !== 'final';
  const frozen = freezing ? await figuresFor(ctx, current, s0) : null;
  await mutate(ctx, principal, { permission: 'evaluation.write', run: async (trx) => {
    const before = await getEvaluationRow(trx, id);
    if (!before) throw new Problem('not_found', `pas d'évaluation ${id}`);
    const s = await readableStrategy(ctx, trx, principal, before.strategy_id);
    if (before.status === 'final' && rest.status !== 'draft') throw new Problem('invalid_transition', 'une évaluation finale ne se modifie plus ; repassez-la en brouillon', undefined, { current_status: before.status });
    const freeze = rest.status === 'final' ? { as_of: frozen?.asOf ?? before.as_of, frozen: frozen ? JSON.stringify(frozen.figures) : before.frozen }
      : rest.status === 'draft' ? { as_of: null, frozen: null } : {};
    if (!(await updateEvaluationAtVersion(trx, id, version, { ...rest, ...freeze, version: before.version + 1, updated_at: nowIso() }))) {
      throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    }
    if (ratings) await upsertRatings(trx, id, ratingRows(ratings));
    const after = (await getEvaluationRow(trx, id)) as EvaluationRow;
    const digest = (r: EvaluationRow) => ({ ...r, frozen: r.frozen ? `${r.frozen.length} caractères` : null });
    return { result: undefined, audit: { action: 'evaluation.update', objectType: 'evaluation', objectId: id, before: digest(before), after: { ...digest(after), ratings }, ...scope(s) } };
  } });
  return getEvaluation(ctx, principal, id);
}

export async function getEvaluation(ctx: Ctx, principal: Principal, id: string): Promise<Evaluation> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const row = await getEvaluationRow(db, id);
  if (!row) throw new Problem('not_found', `pas d'évaluation ${id}`);
  const s = await readableStrategy(ctx, db, principal, row.strategy_id);
  requireAudience(principal, row);
  return evaluationView(ctx, db, row, s);
}

export async function listStrategyEvaluations(ctx: Ctx, principal: Principal, strategyId: string): Promise<EvaluationHead[]> {
  requirePermission(principal, 'strategy.read');
  await readableStrategy(ctx, ctx.engine.db, principal, strategyId);
  return (await listEvaluations(ctx.engine.db, strategyId)).map(toEvaluationHead);
}

// ------------------------------------------------------------------------------------------------ the report

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

/** An evaluation's figures as its audience sees them now: progress, trends up to the period, civilian harm. */
async function figuresFor(ctx: Ctx, row: EvaluationRow, s: StrategyRow): Promise<{ figures: Frozen; asOf: string }> {
  const asOf = nowIso();
  const audience = audiencePrincipal(row.audience, row.ceiling);
  const db = ctx.engine.db;
  const tree = await strategyTree(ctx, db, s);
  const values = await allValues(ctx, db, audience, tree);
  const states = ctx.reference.states.map((x) => x.code);
  const periodEnd = periodBounds(row.period).end;
  const trends: Record<string, IndicatorTrend> = {};
  for (const i of tree.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators))) {
    const t = trendOf(i, tree, values, states);
    // Only the periods up to the evaluated one.
    const keep = t.periods.map((p) => periodBounds(p).start < periodEnd);
    trends[i.id] = { ...t, periods: t.periods.filter((_, k) => keep[k]), series: t.series.map((x) => ({ ...x, values: x.values.filter((_, k) => keep[k]), targets: x.targets.filter((_, k) => keep[k]) })) };
  }
  const progress = progressOf(tree, values, row.period, states);
  return { asOf, figures: { progress, trends, civilianHarm: await civilianHarm(ctx, audience, s, row.period) } };
}

/** The audience in words, for the report's cover: "Confédération des États du Sahel, jusqu'à Diffusion restreinte". */
export function audienceLabel(ctx: Ctx, audience: string, ceiling: number): string {
  const who = audience === CONFEDERATION_ORG ? ctx.reference.alliance.name_fr : ctx.reference.states.find((x) => x.code === audience)?.name_fr ?? audience;
  const level = CEILING_FR[CLASSIFICATIONS[ceiling] ?? 'secret'];
  return `${who}, jusqu'à « ${level} »`;
}

/**
 * The data of the ministers' report for an evaluation: the frozen figures of a final one (the same for every reader
 * cleared for its audience, and for the CLI), else the figures its audience sees now (a draft, marked as such).
 */
export async function buildReport(ctx: Ctx, principal: Principal, evaluationId: string): Promise<ReportModel> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const row = await getEvaluationRow(db, evaluationId);
  if (!row) throw new Problem('not_found', `pas d'évaluation ${evaluationId}`);
  const s = await readableStrategy(ctx, db, principal, row.strategy_id);
  requireAudience(principal, row);
  const frozen = frozenOf(row);
  const { figures, asOf } = frozen && row.as_of ? { figures: frozen, asOf: row.as_of } : await figuresFor(ctx, row, s);
  return {
    evaluation: await evaluationView(ctx, db, row, s, figures.progress), trends: figures.trends, civilianHarm: figures.civilianHarm,
    stateNames: Object.fromEntries(ctx.reference.states.map((x) => [x.code, x.name_fr])),
    allianceName: ctx.reference.alliance.name_fr, audienceName: audienceLabel(ctx, row.audience, row.ceiling), asOf,
    // A final report is the same document whoever produces it, whenever.
    generatedAt: row.status === 'final' ? asOf : nowIso(),
  };
}
