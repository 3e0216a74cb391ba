import {
  axisCreateSchema, axisPatchSchema, CLASSIFICATIONS, definitionSchema, indicatorCreateSchema, indicatorPatchSchema, isPeriodOf,
  objectiveCreateSchema, objectivePatchSchema, periodOverlaps, strategyCreateSchema, strategyPatchSchema, strategyReviseSchema, unitProblem,
  type Definition, type FieldError, type Frequency, type Target, type Unit, parseInput,
} from '@vigie/domain';
import type { z } from 'zod';
import type { Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { existingCodes } from '../../repositories/incident.repository.js';
import {
  findStrategyByCode, findSuccessor, getAxisRow, getIndicatorRow, getObjectiveRow, getStrategyRow, insertAxis, insertIndicator, insertObjective,
  insertStrategy, listAxes, listIndicators, listObjectives, listStrategyRows, listTargets, nextPosition, replaceTargets, setStrategyStatus,
  updateAxis, updateIndicatorAtVersion, updateObjective, updateStrategyAtVersion, type StrategyRow,
} from '../../repositories/strategy.repository.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import {
  toAxisView, toIndicatorView, toObjectiveView, toStrategyView, toTargetView, type IndicatorView, type StrategyTree, type StrategyView, type TargetView,
} from './views.js';

const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

/** Audit scope of strategy records: confederation-wide, at the strategy's classification. */
const scope = (s: StrategyRow) => ({ classificationLevel: s.classification_level, sharingScope: 'confederation', ownerState: null });

/** A strategy the reader may see (clearance ≥ its classification), or not found. */
export async function readableStrategy(ctx: Ctx, trx: Trx, principal: Principal, id: string): Promise<StrategyRow> {
  const row = await getStrategyRow(trx, id);
  if (!row || (principal.kind !== 'system' && row.classification_level > principal.clearance)) throw new Problem('not_found', `pas de stratégie ${id}`);
  return row;
}

/** A strategy that may still be edited: a revised (superseded) one stays readable but frozen. */
async function editableStrategy(ctx: Ctx, trx: Trx, principal: Principal, id: string): Promise<StrategyRow> {
  const row = await readableStrategy(ctx, trx, principal, id);
  if (row.status === 'superseded') throw new Problem('invalid_transition', 'cette stratégie a été révisée : elle reste consultable mais ne se modifie plus', undefined, { current_status: row.status });
  return row;
}

/**
 * Checks a computed indicator's definition against the reference data: every state, area, actor it names must
 * exist. Errors name the field, e.g. `definition.filter.admin1.0`.
 */
export async function checkDefinition(ctx: Ctx, trx: Trx, def: Definition, prefix = 'definition'): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const filters = def.measure === 'ratio'
    ? [[`${prefix}.numerator.filter`, def.numerator?.filter ?? {}], [`${prefix}.denominator.filter`, def.denominator?.filter ?? {}], [`${prefix}.filter`, def.filter]] as const
    : [[`${prefix}.filter`, def.filter]] as const;
  const states = new Set(ctx.reference.states.map((s) => s.code));
  for (const [path, f] of filters) {
    (f.states ?? []).forEach((s, i) => { if (!states.has(s)) errors.push({ field: `${path}.states.${i}`, message: `État membre inconnu : ${s}` }); });
    for (const [key, level] of [['admin1', 1], ['admin2', 2]] as const) {
      const codes = f[key] ?? [];
      for (const [i, c] of codes.entries()) {
        const area = await ctx.gazetteer.area(c, trx);
        if (!area || area.level !== level) errors.push({ field: `${path}.${key}.${i}`, message: `zone administrative inconnue de niveau ${level} : ${c}` });
      }
    }
    const actors = f.actors ?? [];
    const known = await existingCodes(trx, 'actors', actors);
    actors.forEach((a, i) => { if (!known.has(a)) errors.push({ field: `${path}.actors.${i}`, message: `acteur inconnu : ${a}` }); });
  }
  return errors;
}

/** Targets must be periods of the indicator's frequency inside the strategy's validity, for a member state or the confederation, in the unit. */
function checkTargets(ctx: Ctx, s: StrategyRow, frequency: Frequency, unit: Unit, targets: Target[]): FieldError[] {
  const errors: FieldError[] = [];
  const states = new Set(ctx.reference.states.map((x) => x.code));
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (!isPeriodOf(t.period, frequency)) errors.push({ field: `targets.${i}.period`, message: `période ${t.period} : l'indicateur est de fréquence ${frequency}` });
    else if (!periodOverlaps(t.period, s.valid_from, s.valid_to)) {
      errors.push({ field: `targets.${i}.period`, message: `période ${t.period} hors de la validité de la stratégie (${s.valid_from} – ${s.valid_to})` });
    }
    if (t.state !== null && !states.has(t.state)) errors.push({ field: `targets.${i}.state`, message: `État membre inconnu : ${t.state}` });
    const unitErr = unitProblem(unit, t.value);
    if (unitErr) errors.push({ field: `targets.${i}.value`, message: unitErr });
    const key = `${t.period}|${t.state ?? ''}`;
    if (seen.has(key)) errors.push({ field: `targets.${i}`, message: `cible en double pour ${t.period} ${t.state ?? 'confédération'}` });
    seen.add(key);
  });
  return errors;
}

// ------------------------------------------------------------------------------------------------ reads

export async function listStrategies(ctx: Ctx, principal: Principal): Promise<StrategyView[]> {
  requirePermission(principal, 'strategy.read');
  const rows = await listStrategyRows(ctx.engine.db, principal.kind === 'system' ? 3 : principal.clearance);
  const successors = new Map(rows.filter((r) => r.supersedes_id).map((r) => [r.supersedes_id as string, r.id]));
  return rows.map((r) => toStrategyView(r, successors.get(r.id) ?? null));
}

/** The whole structure of a strategy: axes → objectives → indicators with their targets. */
export async function strategyTree(ctx: Ctx, trx: Trx, row: StrategyRow): Promise<StrategyTree> {
  const [axes, objectives, indicators, targets, successor] = await Promise.all([
    listAxes(trx, row.id), listObjectives(trx, row.id), listIndicators(trx, row.id), listTargets(trx, row.id), findSuccessor(trx, row.id),
  ]);
  const targetsOf = new Map<string, TargetView[]>();
  for (const t of targets) {
    const list = targetsOf.get(t.indicator_id) ?? [];
    list.push(toTargetView(t));
    targetsOf.set(t.indicator_id, list);
  }
  return {
    ...toStrategyView(row, successor?.id ?? null),
    axes: axes.map((a) => toAxisView(a, objectives.filter((o) => o.axis_id === a.id).map((o) =>
      toObjectiveView(o, indicators.filter((i) => i.objective_id === o.id).map((i) => toIndicatorView(i, targetsOf.get(i.id) ?? []))),
    ))),
  };
}

export async function getStrategy(ctx: Ctx, principal: Principal, id: string): Promise<StrategyTree> {
  requirePermission(principal, 'strategy.read');
  const row = await readableStrategy(ctx, ctx.engine.db, principal, id);
  return strategyTree(ctx, ctx.engine.db, row);
}

export async function getIndicator(ctx: Ctx, principal: Principal, id: string): Promise<IndicatorView> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const row = await getIndicatorRow(db, id);
  if (!row) throw new Problem('not_found', `pas d'indicateur ${id}`);
  await readableStrategy(ctx, db, principal, row.strategy_id);
  const targets = (await listTargets(db, row.strategy_id)).filter((t) => t.indicator_id === id).map(toTargetView);
  return toIndicatorView(row, targets);
}

// ------------------------------------------------------------------------------------------------ writes

export async function createStrategy(ctx: Ctx, principal: Principal, input: z.input<typeof strategyCreateSchema> | z.output<typeof strategyCreateSchema>): Promise<StrategyTree> {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(strategyCreateSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    if (await findStrategyByCode(trx, data.code)) throw invalid([{ field: 'code', message: `le code ${data.code} existe déjà` }]);
    const now = nowIso();
    const row: StrategyRow = {
      id: newId(), code: data.code, title_fr: data.title_fr, title_en: data.title_en, description_fr: data.description_fr, description_en: data.description_en,
      valid_from: data.valid_from, valid_to: data.valid_to, status: 'draft', supersedes_id: null, thresholds: JSON.stringify(data.thresholds),
      classification_level: CLASSIFICATIONS.indexOf(data.classification), version: 1, created_at: now, updated_at: now,
    };
    await insertStrategy(trx, row);
    return { result: await strategyTree(ctx, trx, row), audit: { action: 'strategy.create', objectType: 'strategy', objectId: row.id, after: row, ...scope(row) } };
  } });
}

export async function patchStrategy(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof strategyPatchSchema> | z.output<typeof strategyPatchSchema>): Promise<StrategyTree> {
  requirePermission(principal, 'strategy.edit');
  const { version, thresholds, classification, ...rest } = parseInput(strategyPatchSchema, input);
  const level = classification === undefined ? undefined : CLASSIFICATIONS.indexOf(classification);
  if (level !== undefined && principal.kind !== 'system' && level > principal.clearance) throw invalid([{ field: 'classification', message: 'au-delà de votre habilitation / above your clearance' }]);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const before = await editableStrategy(ctx, trx, principal, id);
    const validTo = rest.valid_to ?? before.valid_to;
    if (validTo < before.valid_from) throw invalid([{ field: 'valid_to', message: 'la fin de validité précède son début' }]);
    const patch = { ...rest, ...(thresholds ? { thresholds: JSON.stringify(thresholds) } : {}), ...(level !== undefined ? { classification_level: level } : {}), version: before.version + 1, updated_at: nowIso() };
    if (!(await updateStrategyAtVersion(trx, id, version, patch))) {
      throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    }
    const after = await readableStrategy(ctx, trx, principal, id);
    return { result: await strategyTree(ctx, trx, after), audit: { action: 'strategy.update', objectType: 'strategy', objectId: id, before, after, ...scope(after) } };
  } });
}

/**
 * Revises a strategy: a new draft with a copy of the structure and of the targets that fall in the new validity.
 * The old one becomes "superseded": frozen, still readable with its values and evaluations.
 */
export async function reviseStrategy(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof strategyReviseSchema> | z.output<typeof strategyReviseSchema>): Promise<StrategyTree> {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(strategyReviseSchema, input);
  if (data.valid_to < data.valid_from) throw invalid([{ field: 'valid_to', message: 'la fin de validité précède son début' }]);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const old = await editableStrategy(ctx, trx, principal, id);
    if (await findStrategyByCode(trx, data.code)) throw invalid([{ field: 'code', message: `le code ${data.code} existe déjà` }]);
    const now = nowIso();
    const next: StrategyRow = {
      ...old, id: newId(), code: data.code, title_fr: data.title_fr ?? old.title_fr, title_en: data.title_en ?? old.title_en,
      valid_from: data.valid_from, valid_to: data.valid_to, status: 'draft', supersedes_id: old.id, version: 1, created_at: now, updated_at: now,
    };
    await insertStrategy(trx, next);
    const [axes, objectives, indicators, targets] = await Promise.all([listAxes(trx, id), listObjectives(trx, id), listIndicators(trx, id), listTargets(trx, id)]);
    const axisIds = new Map<string, string>();
    for (const a of axes) {
      const nid = newId();
      axisIds.set(a.id, nid);
      await insertAxis(trx, { ...a, id: nid, strategy_id: next.id });
    }
    const objectiveIds = new Map<string, string>();
    for (const o of objectives) {
      const nid = newId();
      objectiveIds.set(o.id, nid);
      await insertObjective(trx, { ...o, id: nid, strategy_id: next.id, axis_id: axisIds.get(o.axis_id) as string });
    }
    for (const i of indicators) {
      const nid = newId();
      await insertIndicator(trx, { ...i, id: nid, strategy_id: next.id, objective_id: objectiveIds.get(i.objective_id) as string, version: 1, updated_at: now });
      const kept = targets.filter((t) => t.indicator_id === i.id && periodOverlaps(t.period, next.valid_from, next.valid_to));
      await replaceTargets(trx, nid, kept.map((t) => ({ period: t.period, state: t.state, value: Number(t.value) })));
    }
    await setStrategyStatus(trx, old.id, 'superseded', now);
    return { result: await strategyTree(ctx, trx, next), audit: { action: 'strategy.revise', objectType: 'strategy', objectId: next.id, before: { supersedes: old.id }, after: next, ...scope(next) } };
  } });
}

export async function addAxis(ctx: Ctx, principal: Principal, strategyId: string, input: z.input<typeof axisCreateSchema> | z.output<typeof axisCreateSchema>) {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(axisCreateSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const s = await editableStrategy(ctx, trx, principal, strategyId);
    if ((await listAxes(trx, s.id)).some((a) => a.code === data.code)) throw invalid([{ field: 'code', message: `l'axe ${data.code} existe déjà` }]);
    const row = {
      id: newId(), strategy_id: s.id, code: data.code, position: data.position ?? (await nextPosition(trx, 'strategy_axes', 'strategy_id', s.id)),
      name_fr: data.name_fr, name_en: data.name_en, description_fr: data.description_fr, civilian_protection: data.civilian_protection ? 1 : 0,
    };
    await insertAxis(trx, row);
    return { result: toAxisView(row, []), audit: { action: 'strategy.axis.create', objectType: 'strategy_axis', objectId: row.id, after: row, ...scope(s) } };
  } });
}

export async function patchAxis(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof axisPatchSchema> | z.output<typeof axisPatchSchema>) {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(axisPatchSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const before = await getAxisRow(trx, id);
    if (!before) throw new Problem('not_found', `pas d'axe ${id}`);
    const s = await editableStrategy(ctx, trx, principal, before.strategy_id);
    const { civilian_protection, ...rest } = data;
    await updateAxis(trx, id, { ...rest, ...(civilian_protection === undefined ? {} : { civilian_protection: civilian_protection ? 1 : 0 }) });
    const after = (await getAxisRow(trx, id)) ?? before;
    return { result: toAxisView(after, []), audit: { action: 'strategy.axis.update', objectType: 'strategy_axis', objectId: id, before, after, ...scope(s) } };
  } });
}

export async function addObjective(ctx: Ctx, principal: Principal, axisId: string, input: z.input<typeof objectiveCreateSchema> | z.output<typeof objectiveCreateSchema>) {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(objectiveCreateSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const axis = await getAxisRow(trx, axisId);
    if (!axis) throw new Problem('not_found', `pas d'axe ${axisId}`);
    const s = await editableStrategy(ctx, trx, principal, axis.strategy_id);
    if ((await listObjectives(trx, s.id)).some((o) => o.code === data.code)) throw invalid([{ field: 'code', message: `l'objectif ${data.code} existe déjà` }]);
    const row = {
      id: newId(), strategy_id: s.id, axis_id: axis.id, code: data.code, position: data.position ?? (await nextPosition(trx, 'strategy_objectives', 'axis_id', axis.id)),
      name_fr: data.name_fr, name_en: data.name_en, description_fr: data.description_fr,
    };
    await insertObjective(trx, row);
    return { result: toObjectiveView(row, []), audit: { action: 'strategy.objective.create', objectType: 'strategy_objective', objectId: row.id, after: row, ...scope(s) } };
  } });
}

export async function patchObjective(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof objectivePatchSchema> | z.output<typeof objectivePatchSchema>) {
  requirePermission(principal, 'strategy.edit');
  const data = parseInput(objectivePatchSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const before = await getObjectiveRow(trx, id);
    if (!before) throw new Problem('not_found', `pas d'objectif ${id}`);
    const s = await editableStrategy(ctx, trx, principal, before.strategy_id);
    await updateObjective(trx, id, data);
    const after = (await getObjectiveRow(trx, id)) ?? before;
    return { result: toObjectiveView(after, []), audit: { action: 'strategy.objective.update', objectType: 'strategy_objective', objectId: id, before, after, ...scope(s) } };
  } });
}

type IndicatorInput = z.output<typeof indicatorCreateSchema>;

export async function addIndicator(ctx: Ctx, principal: Principal, objectiveId: string, input: z.input<typeof indicatorCreateSchema> | z.output<typeof indicatorCreateSchema>): Promise<IndicatorView> {
  requirePermission(principal, 'strategy.edit');
  const data: IndicatorInput = parseInput(indicatorCreateSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const objective = await getObjectiveRow(trx, objectiveId);
    if (!objective) throw new Problem('not_found', `pas d'objectif ${objectiveId}`);
    const s = await editableStrategy(ctx, trx, principal, objective.strategy_id);
    const errors: FieldError[] = [];
    if ((await listIndicators(trx, s.id)).some((i) => i.code === data.code)) errors.push({ field: 'code', message: `l'indicateur ${data.code} existe déjà` });
    if (data.definition) errors.push(...(await checkDefinition(ctx, trx, data.definition)));
    errors.push(...checkTargets(ctx, s, data.frequency, data.unit, data.targets));
    if (data.baseline_value !== null) {
      const e = unitProblem(data.unit, data.baseline_value);
      if (e) errors.push({ field: 'baseline_value', message: e });
    }
    if (errors.length) throw invalid(errors);
    const now = nowIso();
    const row = {
      id: newId(), strategy_id: s.id, objective_id: objective.id, code: data.code,
      position: data.position ?? (await nextPosition(trx, 'strategy_indicators', 'objective_id', objective.id)),
      name_fr: data.name_fr, name_en: data.name_en, description_fr: data.description_fr, unit: data.unit, direction: data.direction,
      frequency: data.frequency, baseline_value: data.baseline_value, baseline_period: data.baseline_period, source: data.source,
      definition: data.definition ? JSON.stringify(data.definition) : null, civilian_harm: data.civilian_harm ? 1 : 0,
      thresholds: data.thresholds ? JSON.stringify(data.thresholds) : null, version: 1, updated_at: now,
    };
    await insertIndicator(trx, row);
    const targets = data.targets.map((t) => ({ period: t.period, state: t.state ?? '', value: t.value }));
    await replaceTargets(trx, row.id, targets);
    return { result: toIndicatorView(row, targets.map(toTargetView)), audit: { action: 'strategy.indicator.create', objectType: 'strategy_indicator', objectId: row.id, after: { ...row, targets }, ...scope(s) } };
  } });
}

export async function patchIndicator(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof indicatorPatchSchema> | z.output<typeof indicatorPatchSchema>): Promise<IndicatorView> {
  requirePermission(principal, 'strategy.edit');
  const { version, targets, definition, civilian_harm, thresholds, ...rest } = parseInput(indicatorPatchSchema, input);
  return mutate(ctx, principal, { permission: 'strategy.edit', async run(trx) {
    const before = await getIndicatorRow(trx, id);
    if (!before) throw new Problem('not_found', `pas d'indicateur ${id}`);
    const s = await editableStrategy(ctx, trx, principal, before.strategy_id);
    const unit = (rest.unit ?? before.unit) as Unit;
    const errors: FieldError[] = [];
    if (definition !== undefined) {
      if (before.source === 'computed' && definition === null) errors.push({ field: 'definition', message: 'un indicateur calculé exige une définition' });
      if (before.source === 'manual' && definition !== null) errors.push({ field: 'definition', message: 'un indicateur saisi à la main ne porte pas de définition' });
      if (definition) errors.push(...(await checkDefinition(ctx, trx, definitionSchema.parse(definition))));
    }
    if (targets) errors.push(...checkTargets(ctx, s, before.frequency as Frequency, unit, targets));
    if (rest.baseline_value !== undefined && rest.baseline_value !== null) {
      const e = unitProblem(unit, rest.baseline_value);
      if (e) errors.push({ field: 'baseline_value', message: e });
    }
    if (errors.length) throw invalid(errors);
    const patch = {
      ...rest,
      ...(definition !== undefined ? { definition: definition ? JSON.stringify(definition) : null } : {}),
      ...(civilian_harm !== undefined ? { civilian_harm: civilian_harm ? 1 : 0 } : {}),
      ...(thresholds !== undefined ? { thresholds: thresholds ? JSON.stringify(thresholds) : null } : {}),
      version: before.version + 1, updated_at: nowIso(),
    };
    if (!(await updateIndicatorAtVersion(trx, id, version, patch))) {
      throw new Problem('version_conflict', `version ${version} périmée ; version actuelle ${before.version}`, undefined, { current_version: before.version });
    }
    if (targets) await replaceTargets(trx, id, targets.map((t) => ({ period: t.period, state: t.state ?? '', value: t.value })));
    const after = (await getIndicatorRow(trx, id)) ?? before;
    const afterTargets = (await listTargets(trx, s.id)).filter((t) => t.indicator_id === id).map(toTargetView);
    return { result: toIndicatorView(after, afterTargets), audit: {
      action: 'strategy.indicator.update', objectType: 'strategy_indicator', objectId: id, before, after: { ...after, targets: afterTargets }, ...scope(s),
    } };
  } });
}
