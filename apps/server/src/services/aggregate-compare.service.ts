import type { z } from 'zod';
/**
 * Period over period: a period's figures beside the period before and the same period a year earlier. Every figure is
 * an aggregate of the reader's visible incidents (aggregateIncidents: its permission check and its who-sees-what rule);
 * a period not over yet is compared like for like, on its first days only.
 */
import {
  compareQuerySchema, firstDays, resolveComparison, type AggregateTotals, type CompareResult, type DaySpan, parseInput,
} from '@vigie/domain';
import { Problem } from '../lib/problem.js';
import { aggregateIncidents } from './aggregate.service.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';

const ZERO: AggregateTotals = { incidents: 0, fatalities: 0, civilian_fatalities: 0, injured: 0, abducted: 0 };

/** Compares a period with the one before and the same one last year (GET /api/v1/aggregates/compare). */
export async function comparePeriods(ctx: Ctx, principal: Principal, input: z.input<typeof compareQuerySchema> | z.output<typeof compareQuerySchema>, now = new Date()): Promise<CompareResult> {
  requirePermission(principal, 'aggregate.read');
  const { period, anchor, from, to, ...filter } = parseInput(compareQuerySchema, input ?? {});
  const today = now.toISOString().slice(0, 10);
  const c = resolveComparison(period, { anchor, from, to, today });
  if (c.elapsed_days <= 0) {
    throw new Problem('validation_failed', 'period in the future', [{ field: period === 'custom' ? 'from' : 'anchor', message: 'cette période n’a pas commencé' }]);
  }
  // The current period counts its days so far; the two others their whole length, and for the comparison as many first days.
  const currentSoFar = firstDays(c.current, c.elapsed_days);
  const compared = { current: currentSoFar, previous: firstDays(c.previous, c.elapsed_days), last_year: firstDays(c.last_year, c.elapsed_days) };
  const totalsOf = async (span: DaySpan) => (await aggregateIncidents(ctx, principal, { ...filter, from: span.from, to: span.to, group_by: [] })).totals;
  const byState = async (span: DaySpan) => (await aggregateIncidents(ctx, principal, { ...filter, from: span.from, to: span.to, group_by: ['state'] })).items;

  const [cur, prevC, lastC, prevFull, lastFull] = await Promise.all([
    byState(compared.current), byState(compared.previous), byState(compared.last_year),
    c.complete ? null : totalsOf(c.previous), c.complete ? null : totalsOf(c.last_year),
  ]);
  const sum = (items: typeof cur): AggregateTotals => {
    const t = { ...ZERO };
    for (const i of items) for (const k of Object.keys(ZERO) as (keyof AggregateTotals)[]) t[k] += i[k];
    return t;
  };
  const curT = sum(cur);
  const prevT = sum(prevC);
  const lastT = sum(lastC);
  const states = [...new Set([...cur, ...prevC, ...lastC].map((i) => i.state ?? null))].sort((a, b) => String(a).localeCompare(String(b)));
  const pick = (items: typeof cur, s: string | null): AggregateTotals => {
    const i = items.find((x) => (x.state ?? null) === s);
    return i ? { incidents: i.incidents, fatalities: i.fatalities, civilian_fatalities: i.civilian_fatalities, injured: i.injured, abducted: i.abducted } : { ...ZERO };
  };
  return {
    period, today, complete: c.complete, days: c.days, elapsed_days: c.elapsed_days,
    current: { ...c.current, totals: curT, compared: { ...compared.current, totals: curT } },
    previous: { ...c.previous, totals: prevFull ?? prevT, compared: { ...compared.previous, totals: prevT } },
    last_year: { ...c.last_year, totals: lastFull ?? lastT, compared: { ...compared.last_year, totals: lastT } },
    by_state: states.map((s) => ({ state: s, current: pick(cur, s), previous: pick(prevC, s), last_year: pick(lastC, s) })),
  };
}
