import type { AggregateResult, Definition, Frequency, Measure, MeasureFilter } from '@vigie/domain';
import { aggregateIncidents } from '../aggregate.service.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';
import { ratio } from './progress.js';

/** Computed values of one indicator: period → state ('' for the confederation) → value (null: not defined, e.g. 0/0). */
export type ComputedSeries = Map<string, Map<string, number | null>>;

type Sums = Map<string, Map<string, number>>;

/**
 * Why compute on read with a cache rather than materialise: the values come straight from the aggregates the
 * dashboards use (the daily rollup), so one grouped query per indicator gives every period and state at once, and
 * they are computed as the reader may see them (visibility is part of the aggregate). A materialised table would
 * have to hold one copy per visibility class and be rewritten on every incident change. The cache is keyed by
 * reader class (organisation, clearance), definition and range, and dropped whenever an incident changes (and after a
 * minute at most, for writes made by other processes).
 */
interface Entry { at: number; sums: Promise<Sums> }
const caches = new WeakMap<Ctx, Map<string, Entry>>();
/**
 * Writes by another process (a CLI import, a restore, another server on the same PostgreSQL) emit no event here:
 * an entry is also dropped after this long, which bounds how stale a computed value can be.
 */
export const COMPUTED_CACHE_TTL_MS = 60_000;

function cacheOf(ctx: Ctx): Map<string, Entry> {
  let c = caches.get(ctx);
  if (!c) {
    const fresh = new Map<string, Entry>();
    c = fresh;
    caches.set(ctx, fresh);
    ctx.events.on('incident.changed', () => fresh.clear());
  }
  return c;
}

/** Drops every cached computation (after a restore or a bulk change that emits no event). */
export function clearComputedCache(ctx: Ctx): void {
  cacheOf(ctx).clear();
}

const readerKey = (p: Principal) => `${p.kind}|${p.organisation}|${p.clearance}`;

function filterQuery(f: MeasureFilter) {
  return {
    ...(f.states?.length ? { states: f.states } : {}),
    ...(f.admin1?.length ? { admin1: f.admin1 } : {}),
    ...(f.admin2?.length ? { admin2: f.admin2 } : {}),
    ...(f.event_types?.length ? { event_types: f.event_types } : {}),
    ...(f.sub_event_types?.length ? { sub_event_types: f.sub_event_types } : {}),
    ...(f.actors?.length ? { actors: f.actors } : {}),
  };
}

/** The aggregate query (as GET /api/v1/aggregates takes it) that gives a filter's sums per state and period. */
export function aggregateQueryOf(filter: MeasureFilter, frequency: Frequency, from: string, to: string) {
  return { ...filterQuery(filter), from, to, group_by: ['state', frequency] };
}

/** The filters a definition measures: one, or the numerator's and the denominator's (each on top of the common filter). */
export function definitionFilters(def: Definition): MeasureFilter[] {
  if (def.measure !== 'ratio') return [def.filter];
  return [{ ...def.filter, ...(def.numerator?.filter ?? {}) }, { ...def.filter, ...(def.denominator?.filter ?? {}) }];
}

/** The three sums per period and state for one filter, from the aggregates (cached). */
function sumsFor(ctx: Ctx, principal: Principal, filter: MeasureFilter, frequency: Frequency, from: string, to: string): Promise<Sums[]> {
  const key = `${readerKey(principal)}|${frequency}|${from}|${to}|${JSON.stringify(filter)}`;
  const cache = cacheOf(ctx);
  const measures = ['incidents', 'fatalities', 'civilian_fatalities'] as const;
  const entry = cache.get(key);
  let hit = entry && Date.now() - entry.at < COMPUTED_CACHE_TTL_MS ? entry.sums : undefined;
  if (!hit) {
    hit = aggregateIncidents(ctx, principal, aggregateQueryOf(filter, frequency, from, to)).then((res: AggregateResult) => {
      const out: Sums = new Map();
      for (const item of res.items) {
        const period = item[frequency] as string;
        const state = item.state ?? '';
        for (const m of measures) {
          const k = `${m}|${period}`;
          const byState = out.get(k) ?? new Map<string, number>();
          byState.set(state, (byState.get(state) ?? 0) + item[m]);
          out.set(k, byState);
        }
      }
      return out;
    });
    hit.catch(() => cache.delete(key));
    cache.set(key, { at: Date.now(), sums: hit });
  }
  return hit.then((s) => [s]);
}

const measureSums = (sums: Sums, measure: Measure['measure'], period: string) => sums.get(`${measure}|${period}`) ?? new Map<string, number>();

/** States a filter allows (all when it names none). */
const allowed = (f: MeasureFilter, states: string[]) => (f.states?.length ? states.filter((s) => f.states?.includes(s)) : states);

/**
 * Every period's value of a computed indicator for each member state and the confederation, over [from, to].
 * A state outside the definition's states gets null (not measured there); a state with no incident gets 0.
 */
export async function computeIndicator(
  ctx: Ctx, principal: Principal, def: Definition, frequency: Frequency, periods: string[], from: string, to: string,
): Promise<ComputedSeries> {
  const states = ctx.reference.states.map((s) => s.code);
  const out: ComputedSeries = new Map();
  if (def.measure !== 'ratio') {
    const [sums] = await sumsFor(ctx, principal, def.filter, frequency, from, to);
    const inScope = allowed(def.filter, states);
    for (const p of periods) {
      const byState = measureSums(sums as Sums, def.measure, p);
      const row = new Map<string, number | null>();
      let total = 0;
      for (const s of states) {
        const v = inScope.includes(s) ? byState.get(s) ?? 0 : null;
        row.set(s, v === null ? null : v * def.scale);
        total += v ?? 0;
      }
      row.set('', total * def.scale);
      out.set(p, row);
    }
    return out;
  }
  const num = def.numerator as Measure;
  const den = def.denominator as Measure;
  const [numFilter, denFilter] = definitionFilters(def) as [MeasureFilter, MeasureFilter];
  const [[numSums], [denSums]] = await Promise.all([
    sumsFor(ctx, principal, numFilter, frequency, from, to),
    sumsFor(ctx, principal, denFilter, frequency, from, to),
  ]);
  const inScope = allowed(numFilter, allowed(denFilter, states));
  for (const p of periods) {
    const n = measureSums(numSums as Sums, num.measure, p);
    const d = measureSums(denSums as Sums, den.measure, p);
    const row = new Map<string, number | null>();
    let tn = 0;
    let td = 0;
    for (const s of states) {
      if (!inScope.includes(s)) {
        row.set(s, null);
        continue;
      }
      const ns = n.get(s) ?? 0;
      const ds = d.get(s) ?? 0;
      tn += ns;
      td += ds;
      row.set(s, ratio(ns, ds, def.scale));
    }
    row.set('', ratio(tn, td, def.scale));
    out.set(p, row);
  }
  return out;
}
