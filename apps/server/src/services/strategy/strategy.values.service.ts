import type { z } from 'zod';
import {
  periodBounds, periodOverlaps, periodsBetween, unitProblem, valueEntrySchema, valueQuerySchema, valueReturnSchema, isPeriodOf,
  type FieldError, type Frequency, type Unit, parseInput,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  findValue, getIndicatorRow, getValueRow, insertValue, listIndicators, listValues, updateValueAtVersion, type IndicatorRow, type ValueRow,
} from '../../repositories/strategy.repository.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { mutate } from '../mutation.js';
import { notifyValueReturned } from '../accounts/notify.js';
import { requirePermission, type Principal } from '../principal.js';
import { readableStrategy } from './strategy.service.js';
import { toValueView, type ValueView } from './views.js';

/** Days after the end of a period by which its value should be approved; after that it shows as late. */
export const REPORTING_GRACE_DAYS = 30;

const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
const scope = (v: { state: string }, level: number) => ({ classificationLevel: level, sharingScope: 'confederation', ownerState: v.state });

async function indicatorFor(ctx: Ctx, trx: Trx, principal: Principal, id: string) {
  const ind = await getIndicatorRow(trx, id);
  if (!ind) throw new Problem('not_found', `pas d'indicateur ${id}`);
  const strategy = await readableStrategy(ctx, trx, principal, ind.strategy_id);
  return { ind, strategy };
}

/**
 * Enters (or corrects) a state's value for a period: analysts and focal points of that state only. A new or
 * corrected value is a draft (or submitted right away with `submit`); an approved value is no longer edited.
 */
export async function enterValue(ctx: Ctx, principal: Principal, indicatorId: string, input: z.input<typeof valueEntrySchema> | z.output<typeof valueEntrySchema>): Promise<ValueView> {
  requirePermission(principal, 'indicator_value.enter');
  const data = parseInput(valueEntrySchema, input);
  const state = data.state ?? principal.organisation;
  if (principal.kind !== 'system' && state !== principal.organisation) {
    throw new Problem('forbidden', `seuls les analystes de ${state} saisissent ses valeurs`, [{ field: 'state', message: `vous saisissez pour ${principal.organisation} uniquement` }]);
  }
  return mutate(ctx, principal, { permission: 'indicator_value.enter', async run(trx) {
    const { ind, strategy } = await indicatorFor(ctx, trx, principal, indicatorId);
    const errors: FieldError[] = [];
    if (!ctx.reference.states.some((s) => s.code === state)) errors.push({ field: 'state', message: `État membre inconnu : ${state}` });
    if (ind.source === 'computed') errors.push({ field: 'indicator_id', message: "cet indicateur est calculé à partir des incidents : sa valeur ne se saisit pas" });
    if (!isPeriodOf(data.period, ind.frequency as Frequency)) errors.push({ field: 'period', message: `période ${data.period} : l'indicateur est de fréquence ${ind.frequency}` });
    else if (!periodOverlaps(data.period, strategy.valid_from, strategy.valid_to)) {
      errors.push({ field: 'period', message: `période ${data.period} hors de la validité de la stratégie (${strategy.valid_from} – ${strategy.valid_to})` });
    }
    if (data.unit && data.unit !== ind.unit) errors.push({ field: 'unit', message: `l'indicateur se mesure en « ${ind.unit} », pas en « ${data.unit} »` });
    const unitErr = unitProblem(ind.unit as Unit, data.value);
    if (unitErr) errors.push({ field: 'value', message: unitErr });
    if (errors.length) throw invalid(errors);
    if (strategy.status === 'superseded') throw new Problem('invalid_transition', 'cette stratégie a été révisée : ses valeurs ne changent plus');
    const now = nowIso();
    const status = data.submit ? 'submitted' : 'draft';
    const fields = {
      value: data.value, comment: data.comment, evidence: JSON.stringify(data.evidence), status, return_reason: null,
      entered_by: principal.userId, submitted_at: data.submit ? now : null, approved_by: null, approved_at: null, updated_at: now,
    };
    const before = await findValue(trx, ind.id, data.period, state);
    if (before) {
      if (before.status === 'approved') throw new Problem('invalid_transition', 'cette valeur est déjà approuvée', undefined, { current_status: before.status });
      await updateValueAtVersion(trx, before.id, before.version, { ...fields, version: before.version + 1 });
    } else {
      await insertValue(trx, { id: newId(), indicator_id: ind.id, period: data.period, state, version: 1, ...fields });
    }
    const after = (await findValue(trx, ind.id, data.period, state)) as ValueRow;
    return {
      result: toValueView(after),
      audit: {
        action: before ? 'indicator_value.update' : 'indicator_value.enter', objectType: 'indicator_value', objectId: after.id,
        before, after, ...scope(after, strategy.classification_level),
      },
      changes: [{ type: 'indicator_value', id: after.id, op: before ? 'update' : 'enter' }], events: [event('indicator_value.changed', { id: after.id })],
    };
  } });
}

type Move = 'submit' | 'approve' | 'return';
const FROM: Record<Move, string[]> = { submit: ['draft', 'returned'], approve: ['submitted'], return: ['submitted'] };

async function moveValue(ctx: Ctx, principal: Principal, id: string, move: Move, reason: string | null): Promise<ValueView> {
  return mutate(ctx, principal, { permission: move === 'submit' ? 'indicator_value.enter' : 'indicator_value.approve', async run(trx) {
    const before = await getValueRow(trx, id);
    if (!before) throw new Problem('not_found', `pas de valeur ${id}`);
    const { strategy } = await indicatorFor(ctx, trx, principal, before.indicator_id);
    if (principal.kind !== 'system' && before.state !== principal.organisation) {
      throw new Problem('forbidden', move === 'submit' ? `seuls les analystes de ${before.state} soumettent ses valeurs` : `seul le point focal de ${before.state} approuve ou renvoie ses valeurs`);
    }
    if (!FROM[move].includes(before.status)) {
      throw new Problem('invalid_transition', `impossible de passer une valeur « ${before.status} » à « ${move} »`, undefined, { current_status: before.status });
    }
    const now = nowIso();
    const patch = move === 'submit'
      ? { status: 'submitted', submitted_at: now, return_reason: null }
      : move === 'approve'
        ? { status: 'approved', approved_by: principal.userId, approved_at: now }
        : { status: 'returned', return_reason: reason };
    const ok = await updateValueAtVersion(trx, id, before.version, { ...patch, version: before.version + 1, updated_at: now });
    if (!ok) throw new Problem('version_conflict', 'la valeur a été modifiée entre-temps');
    const after = (await getValueRow(trx, id)) as ValueRow;
    if (move === 'return') await notifyValueReturned(trx, after, strategy.classification_level, reason);
    return {
      result: toValueView(after),
      audit: {
        action: `indicator_value.${move}` as const, objectType: 'indicator_value', objectId: id, before, after,
        ...scope(after, strategy.classification_level), details: reason ? { reason } : {},
      },
      changes: [{ type: 'indicator_value', id, op: move }], events: [event('indicator_value.changed', { id })],
    };
  } });
}

/** The state's analyst sends a draft (or a returned value) to the focal point. */
export async function submitValue(ctx: Ctx, principal: Principal, id: string): Promise<ValueView> {
  requirePermission(principal, 'indicator_value.enter');
  return moveValue(ctx, principal, id, 'submit', null);
}

/** The state's focal point approves a submitted value: it then counts in progress and reports. */
export async function approveValue(ctx: Ctx, principal: Principal, id: string): Promise<ValueView> {
  requirePermission(principal, 'indicator_value.approve');
  return moveValue(ctx, principal, id, 'approve', null);
}

/** The state's focal point sends a submitted value back, with the reason. */
export async function returnValue(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof valueReturnSchema> | z.output<typeof valueReturnSchema>): Promise<ValueView> {
  requirePermission(principal, 'indicator_value.approve');
  const { reason } = parseInput(valueReturnSchema, input);
  return moveValue(ctx, principal, id, 'return', reason);
}

/** Hand-entered values of a strategy as the reader may see them: approved ones to all, the others to their own state. */
export async function listStrategyValues(ctx: Ctx, principal: Principal, strategyId: string, input?: z.input<typeof valueQuerySchema> | z.output<typeof valueQuerySchema>): Promise<ValueView[]> {
  requirePermission(principal, 'strategy.read');
  const q = parseInput(valueQuerySchema, input ?? {});
  await readableStrategy(ctx, ctx.engine.db, principal, strategyId);
  const rows = await listValues(ctx.engine.db, { strategyId, ...q, readerOrganisation: principal.kind === 'system' ? null : principal.organisation });
  return rows.map(toValueView);
}

export interface ReportingCell {
  indicator_id: string;
  indicator_code: string;
  period: string;
  state: string;
  status: 'missing' | 'draft' | 'submitted' | 'returned' | 'approved';
  /** The period ended more than the grace days ago and the value is still not approved. */
  late: boolean;
  due_date: string;
}

/**
 * Who has reported what: for each hand-entered indicator, each ended period and each member state (or only the
 * reader's state for state users), the value's status or "missing", and whether it is late.
 */
export async function reportingStatus(ctx: Ctx, principal: Principal, strategyId: string, today = nowIso().slice(0, 10)): Promise<ReportingCell[]> {
  requirePermission(principal, 'strategy.read');
  const db = ctx.engine.db;
  const strategy = await readableStrategy(ctx, db, principal, strategyId);
  const indicators = (await listIndicators(db, strategyId)).filter((i) => i.source === 'manual');
  const isStateUser = principal.kind !== 'system' && ctx.reference.states.some((s) => s.code === principal.organisation);
  const states = isStateUser ? [principal.organisation] : ctx.reference.states.map((s) => s.code);
  const values = await listValues(db, { strategyId, readerOrganisation: principal.kind === 'system' ? null : principal.organisation });
  const byKey = new Map(values.map((v) => [`${v.indicator_id}|${v.period}|${v.state}`, v]));
  const out: ReportingCell[] = [];
  const last = strategy.valid_to < today ? strategy.valid_to : today;
  for (const ind of indicators as IndicatorRow[]) {
    for (const period of periodsBetween(strategy.valid_from, last, ind.frequency as Frequency)) {
      const end = periodBounds(period).end;
      if (end > today) continue;
      const due = new Date(Date.parse(`${end}T00:00:00Z`) + REPORTING_GRACE_DAYS * 86_400_000).toISOString().slice(0, 10);
      for (const state of states) {
        const v = byKey.get(`${ind.id}|${period}|${state}`);
        // Another state's unapproved value is not visible: it counts as not yet reported.
        const status = (v?.status ?? 'missing') as ReportingCell['status'];
        out.push({ indicator_id: ind.id, indicator_code: ind.code, period, state, status, late: status !== 'approved' && due < today, due_date: due });
      }
    }
  }
  return out;
}
