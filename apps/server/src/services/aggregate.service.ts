import type { z } from 'zod';
import {
  AGGREGATE_MEASURES, aggregateQuerySchema, gridQuerySchema, h3QuerySchema, type AggregateItem, type AggregateMeasure, type AggregateResult,
  type GridResult, type H3Result, parseInput,
} from '@vigie/domain';
import { cellToLatLng, latLngToCell } from 'h3-js';
import {
  aggregateFromIncidents, aggregateFromRollup, gridCells, rollupCanAnswer, toItems, visiblePoints, zeroTotals,
} from '../repositories/aggregate.repository.js';
import { aggregateFromPlaceRollup, placeRollupFor } from '../repositories/aggregate-place.repository.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';

/**
 * Where an aggregate is computed: the rollups when they can answer exactly (auto), or forced, for tests ('place': the
 * area or cell rollup, when one can answer).
 */
export type AggregateSource = 'auto' | 'rollup' | 'rollup_day' | 'place' | 'raw';

/** The area or cell rollup, when one answers exactly and reads fewer rows than the daily and monthly ones. */
function placeSource(principal: Principal, filter: Parameters<typeof placeRollupFor>[1], dims: Parameters<typeof placeRollupFor>[2], source: AggregateSource) {
  if (source !== 'auto' && source !== 'place') return null;
  const which = placeRollupFor(principal, filter, dims);
  // Admin-1 areas and event types: the monthly rollup is smaller; the area rollup is for admin-2 areas.
  if (which === 'area' && source === 'auto' && !dims.includes('admin2') && !filter.admin2?.length) return null;
  return which;
}

type Value = string | number | null | undefined;

/** Dimension order: ascending, codepoint order for text (the same on both engines), none last. */
function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function sortItems(items: AggregateItem[], dims: string[], order: string | undefined): AggregateItem[] {
  const measure = order?.replace(/^-/, '') as AggregateMeasure | undefined;
  const desc = order?.startsWith('-') ?? false;
  const row = (i: AggregateItem) => i as Record<string, Value>;
  return items.sort((a, b) => {
    if (measure) {
      const d = a[measure] - b[measure];
      if (d !== 0) return desc ? -d : d;
    }
    for (const dim of dims) {
      const c = compareValues(row(a)[dim], row(b)[dim]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/**
 * Counts and tolls of the incidents the reader may see, grouped by dimensions and periods. Answered from the daily
 * rollup when its filters allow, else from the incidents; both give the same answer (see the property test).
 */
export async function aggregateIncidents(ctx: Ctx, principal: Principal, input: z.input<typeof aggregateQuerySchema> | z.output<typeof aggregateQuerySchema>, source: AggregateSource = 'auto'): Promise<AggregateResult> {
  requirePermission(principal, 'aggregate.read');
  const query = parseInput(aggregateQuerySchema, input);
  const { group_by: dims, order, limit, ...filter } = query;
  const place = placeSource(principal, filter, dims, source);
  const useRollup = source === 'rollup' || source === 'rollup_day' || (source === 'auto' && rollupCanAnswer(principal, filter));
  const rows = place
    ? await aggregateFromPlaceRollup(ctx.engine, ctx.engine.db, place, principal, filter, dims)
    : useRollup
    ? await aggregateFromRollup(ctx.engine, ctx.engine.db, principal, filter, dims, source === 'rollup_day' ? 'day' : 'auto')
    : await aggregateFromIncidents(ctx.engine, ctx.engine.db, principal, filter, dims);
  const items = sortItems(toItems(rows, dims), dims, order);
  const totals = zeroTotals();
  for (const item of items) for (const m of AGGREGATE_MEASURES) totals[m] += item[m];
  return { group_by: dims, items: limit ? items.slice(0, limit) : items, totals };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Incidents per square cell of `cell` degrees, by cell centre, for map clusters at a zoom. */
export async function aggregateGrid(ctx: Ctx, principal: Principal, input: z.input<typeof gridQuerySchema> | z.output<typeof gridQuerySchema>): Promise<GridResult> {
  requirePermission(principal, 'aggregate.read');
  const { cell, ...filter } = parseInput(gridQuerySchema, input);
  const rows = await gridCells(ctx.engine, ctx.engine.db, principal, filter, cell);
  const items = rows
    .map((r) => ({
      lat: round6((Number(r.iy) + 0.5) * cell),
      lon: round6((Number(r.ix) + 0.5) * cell),
      incidents: Number(r.incidents),
      fatalities: Number(r.fatalities),
      civilian_fatalities: Number(r.civilian_fatalities),
    }))
    .sort((a, b) => a.lat - b.lat || a.lon - b.lon);
  return { cell, items };
}

/** Incidents per H3 hexagon (equal-area) at resolution `res`, with each hexagon's centre. */
export async function aggregateH3(ctx: Ctx, principal: Principal, input: z.input<typeof h3QuerySchema> | z.output<typeof h3QuerySchema>): Promise<H3Result> {
  requirePermission(principal, 'aggregate.read');
  const { res, ...filter } = parseInput(h3QuerySchema, input);
  const points = await visiblePoints(ctx.engine, ctx.engine.db, principal, filter);
  const cells = new Map<string, { incidents: number; fatalities: number; civilian_fatalities: number }>();
  for (const p of points) {
    const h3 = latLngToCell(Number(p.lat), Number(p.lon), res);
    const c = cells.get(h3) ?? { incidents: 0, fatalities: 0, civilian_fatalities: 0 };
    c.incidents += Number(p.incidents);
    c.fatalities += Number(p.fatalities);
    c.civilian_fatalities += Number(p.civilian_fatalities);
    cells.set(h3, c);
  }
  const items = [...cells.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([h3, c]) => {
      const [lat, lon] = cellToLatLng(h3);
      return { h3, lat: round6(lat), lon: round6(lon), ...c };
    });
  return { res, items };
}
