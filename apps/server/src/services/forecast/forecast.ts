/**
 * Next-month fatalities forecast per admin-1 area, and its honest evaluation.
 *
 * Pure functions only: events in, numbers out. The method and the evaluation protocol are
 * described in docs/forecast.md; keep the two in step.
 *
 * Everything works on an area × month panel of fatalities (best estimates), in log1p space,
 * because the published metric (RMSLE) is an error in log1p space and monthly tolls are
 * heavy-tailed: one massacre must not dominate a level estimate.
 */
import { foldText } from '@vigie/domain';

/** A calendar month, `YYYY-MM`. */
export type Month = string;

/** What the forecast needs of an event. */
export interface ForecastEvent {
  /** UTC instant the event started (ISO 8601); the event counts in that UTC month. */
  readonly dateStart: string;
  /** Area key from `admin1Key`: `<STATE>:<folded name>`. */
  readonly admin1: string;
  /** Fatalities, best estimate. */
  readonly fatalities: number;
  /** UCDP type of violence (1 state-based, 2 non-state, 3 one-sided); used by the probabilistic model's type mix. */
  readonly typeOfViolence?: 1 | 2 | 3;
  /** Where it happened; used only to place an area that has no configured centroid. */
  readonly latitude?: number;
  readonly longitude?: number;
  /** Number of incidents this record stands for (a monthly aggregate); 1 when absent. */
  readonly count?: number;
}

/** The model's hyper-parameters. All weights are in log1p space. */
export interface ModelParams {
  /** Monthly decay of the exponentially weighted level (0.85 ≈ half-life of 4 months). */
  readonly decay: number;
  /** Weight pulling each area's level toward the mean level of its state's areas. */
  readonly shrink: number;
  /** Weight of the calendar-month effect (pooled over areas, last 3 years). */
  readonly seasonal: number;
  /** Weight of the recent surprise (pooled over areas, last 3 months). */
  readonly momentum: number;
}

/** The parameters used, and where they were fitted (null: too little history, defaults used). */
export interface FittedParams extends ModelParams {
  readonly fittedOn: { readonly from: Month; readonly to: Month; readonly n: number; readonly rmsle: number } | null;
}

export interface Metrics {
  /** sqrt(mean((log1p(pred) − log1p(actual))²)). */
  readonly rmsle: number;
  /** Mean absolute error, in fatalities. */
  readonly mae: number;
}

export interface Evaluation {
  readonly from: Month;
  readonly to: Month;
  /** Area-months scored: every area that ever had an event × every month of the window. */
  readonly n: number;
  readonly model: Metrics;
  /** Forecast = last month's value. */
  readonly persistence: Metrics;
  /** Forecast = mean of the last three months' values. */
  readonly mean3: Metrics;
  readonly params: FittedParams;
}

export interface AreaForecast {
  readonly admin1: string;
  readonly state: string;
  /** Forecast fatalities for the month: a typical value (back-transformed log level), not a mean. */
  readonly fatalities: number;
  /** Fatalities in the month before, for context (the persistence forecast). */
  readonly lastMonth: number;
  /** Mean of the three months before (the mean3 forecast). */
  readonly mean3: number;
}

export interface MonthForecast {
  readonly month: Month;
  readonly params: FittedParams;
  /** One entry per area with an event before `month`, sorted by key. */
  readonly areas: readonly AreaForecast[];
}

/** Fatalities per area and month, zeros included. */
export interface Panel {
  /** Consecutive months, from the month of the first event. */
  readonly months: readonly Month[];
  /** Sorted area keys. */
  readonly areas: readonly string[];
  /** State of each area (the key's prefix). */
  readonly states: readonly string[];
  /** Column of each area's first event, even one with zero fatalities: the area is known from then on. */
  readonly firstEvent: readonly number[];
  /** `values[area][column]` = sum of fatalities of the events starting in that month. */
  readonly values: readonly (readonly number[])[];
}

/** Used when fewer than `MIN_FIT_MONTHS` months precede the forecast: a plain weighted level. */
export const DEFAULT_PARAMS: ModelParams = { decay: 0.85, shrink: 0, seasonal: 0, momentum: 0 };

/**
 * Candidate values, searched exhaustively. Each list starts with "off" (0) so that, on ties,
 * the simplest model wins; the grid is small enough to search in well under a second.
 */
export const PARAM_GRID: { readonly [K in keyof ModelParams]: readonly number[] } = {
  decay: [0.6, 0.7, 0.8, 0.85, 0.9, 0.95],
  shrink: [0, 0.1, 0.2, 0.3],
  seasonal: [0, 0.25, 0.5, 0.75, 1],
  momentum: [0, 0.25, 0.5, 0.75, 1],
};

/** Months preceding the forecast origin on which the hyper-parameters are fitted. */
export const FIT_MONTHS = 24;
/** Below this, a fit would chase noise: the defaults are used instead. */
export const MIN_FIT_MONTHS = 6;
const MOMENTUM_MONTHS = 3;
const SEASONAL_YEARS = 3;

// ---------------------------------------------------------------------------------------------
// Months and keys

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` → months since year 0, so that month arithmetic is integer arithmetic. */
export function monthIndex(month: Month): number {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function monthOf(index: number): Month {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function eventMonth(event: ForecastEvent, position: number): number {
  const instant = new Date(event.dateStart);
  if (Number.isNaN(instant.getTime())) {
    throw new RangeError(`event ${position}: dateStart is not an ISO date: ${JSON.stringify(event.dateStart)}`);
  }
  return instant.getUTCFullYear() * 12 + instant.getUTCMonth();
}

/**
 * The key of an admin-1 area: state code, colon, name folded so that the spellings sources
 * use for one place ("Tillabéri", "TILLABERI", "Centre-Nord", "Centre Nord") meet.
 */
export function admin1Key(state: string, name: string): string {
  const folded = foldText(name).replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return `${state}:${folded}`;
}

function stateOfKey(key: string, position: number): string {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    throw new RangeError(`event ${position}: admin1 must be a key from admin1Key ("STATE:name"), got ${JSON.stringify(key)}`);
  }
  return key.slice(0, colon);
}

// ---------------------------------------------------------------------------------------------
// Panel

interface Located {
  readonly month: number;
  readonly admin1: string;
  readonly state: string;
  readonly fatalities: number;
}

function locate(events: readonly ForecastEvent[]): Located[] {
  return events.map((event, position) => {
    if (!Number.isFinite(event.fatalities) || event.fatalities < 0) {
      throw new RangeError(`event ${position}: fatalities must be a number ≥ 0, got ${event.fatalities}`);
    }
    return { month: eventMonth(event, position), admin1: event.admin1, state: stateOfKey(event.admin1, position), fatalities: event.fatalities };
  });
}

/** First and last event months. A loop, not Math.min(...list): that overflows the stack on large imports. */
function monthRange(located: readonly Located[]): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const e of located) {
    first = Math.min(first, e.month);
    last = Math.max(last, e.month);
  }
  return { first, last };
}

/**
 * Builds the area × month panel: every area that had an event up to `to`, every month from
 * the first event to `to` (default: the last event's month), zeros included.
 * Events after `to` are not used at all, not even to name areas.
 */
export function buildPanel(events: readonly ForecastEvent[], options: { readonly to?: Month } = {}): Panel {
  return panelOf(locate(events), options.to === undefined ? undefined : monthIndex(options.to));
}

function panelOf(located: readonly Located[], end: number | undefined): Panel {
  const used = end === undefined ? located : located.filter((e) => e.month <= end);
  if (used.length === 0) return { months: [], areas: [], states: [], firstEvent: [], values: [] };
  const { first: start, last: lastEvent } = monthRange(used);
  const last = end ?? lastEvent;
  const stateOf = new Map(used.map((e) => [e.admin1, e.state]));
  const areas = [...stateOf.keys()].sort();
  const row = new Map(areas.map((key, i) => [key, i]));
  const width = last - start + 1;
  const values = areas.map(() => new Array<number>(width).fill(0));
  const firstEvent = areas.map(() => width);
  for (const e of used) {
    const a = row.get(e.admin1) ?? 0;
    const column = e.month - start;
    values[a][column] += e.fatalities;
    firstEvent[a] = Math.min(firstEvent[a], column);
  }
  const months = Array.from({ length: width }, (_, i) => monthOf(start + i));
  return { months, areas, states: areas.map((key) => stateOf.get(key) ?? ''), firstEvent, values };
}

// ---------------------------------------------------------------------------------------------
// Baselines

/** Last month's value; 0 for the first month (nothing is known yet). */
export function persistenceForecast(series: readonly number[], column: number): number {
  return column > 0 ? series[column - 1] : 0;
}

/** Mean of the (up to) three months before `column`. */
export function mean3Forecast(series: readonly number[], column: number): number {
  const window = series.slice(Math.max(0, column - 3), column);
  return window.length === 0 ? 0 : window.reduce((sum, v) => sum + v, 0) / window.length;
}

// ---------------------------------------------------------------------------------------------
// Model

/**
 * The model's forecast, in log1p space, for every area and every column 0…T, where column T is
 * the month after the panel. It is one forward pass in time; the forecast for column t is
 * written BEFORE column t is read, so it depends on columns < t only (the rolling origin).
 *
 *   level[a]   = exponentially weighted mean of log1p(fatalities) of area a   (decay)
 *   base[a]    = (1 − shrink)·level[a] + shrink·(mean level of a's state's known areas)
 *   forecast   = max(0, base[a] + momentum·R + seasonal·S)
 * where R is the mean surprise (log1p(actual) − base) over known areas in the last 3 months and
 * S the mean surprise in the same calendar month over the last 3 years. Pooling R and S over
 * all areas keeps them stable: one area's massacre moves them little. Areas count as known from
 * the month after their first event; before that they forecast like an area with no history and
 * take no part in the state mean or the surprises, so adding an area later changes nothing earlier.
 */
export function rollingForecast(panel: Panel, params: ModelParams): number[][] {
  const width = panel.months.length;
  const logs = panel.values.map((series) => series.map((v) => Math.log1p(v)));
  const out = panel.areas.map(() => new Array<number>(width + 1).fill(0));
  const weighted = panel.areas.map(() => 0);
  let weights = 0;
  const surprise: number[] = [];
  const surpriseCount: number[] = [];
  for (let t = 0; t <= width; t += 1) {
    const level = weighted.map((w) => (weights > 0 ? w / weights : 0));
    const base = shrunk(panel, t, level, params.shrink);
    const adjust = params.momentum * pooled(surprise, surpriseCount, recentColumns(t)) + params.seasonal * pooled(surprise, surpriseCount, sameMonthColumns(t));
    base.forEach((b, a) => {
      out[a][t] = Math.max(0, b + adjust);
    });
    if (t === width) break;
    // Only now is column t read: to score this month's surprise and update the levels.
    const known = panel.areas.map((_, a) => a).filter((a) => panel.firstEvent[a] < t);
    surprise.push(known.reduce((sum, a) => sum + logs[a][t] - base[a], 0));
    surpriseCount.push(known.length);
    logs.forEach((series, a) => {
      weighted[a] = params.decay * weighted[a] + series[t];
    });
    weights = params.decay * weights + 1;
  }
  return out;
}

/** Pulls each area's level toward its state's mean, over areas known before column t only. */
function shrunk(panel: Panel, t: number, level: readonly number[], shrink: number): number[] {
  if (shrink === 0) return [...level];
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  panel.areas.forEach((_, a) => {
    if (panel.firstEvent[a] >= t) return;
    const state = panel.states[a];
    sum.set(state, (sum.get(state) ?? 0) + level[a]);
    count.set(state, (count.get(state) ?? 0) + 1);
  });
  return level.map((own, a) => {
    const n = count.get(panel.states[a]) ?? 0;
    const stateLevel = n > 0 ? (sum.get(panel.states[a]) ?? 0) / n : own;
    return (1 - shrink) * own + shrink * stateLevel;
  });
}

function recentColumns(t: number): number[] {
  return Array.from({ length: MOMENTUM_MONTHS }, (_, i) => t - 1 - i);
}

function sameMonthColumns(t: number): number[] {
  return Array.from({ length: SEASONAL_YEARS }, (_, i) => t - 12 * (i + 1));
}

/** Mean surprise per area-month over the given past columns (those before the panel are skipped). */
function pooled(surprise: readonly number[], count: readonly number[], columns: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const c of columns) {
    if (c < 0 || c >= surprise.length) continue;
    sum += surprise[c];
    n += count[c];
  }
  return n > 0 ? sum / n : 0;
}

// ---------------------------------------------------------------------------------------------
// Metrics and fitting

/** RMSLE and MAE of forecasts against actual values (both in fatalities). */
export function score(predicted: readonly number[], actual: readonly number[]): Metrics {
  if (predicted.length !== actual.length || actual.length === 0) {
    throw new RangeError(`score needs two equal, non-empty lists (got ${predicted.length} and ${actual.length})`);
  }
  let squared = 0;
  let absolute = 0;
  predicted.forEach((p, i) => {
    squared += (Math.log1p(p) - Math.log1p(actual[i])) ** 2;
    absolute += Math.abs(p - actual[i]);
  });
  return { rmsle: Math.sqrt(squared / actual.length), mae: absolute / actual.length };
}

/** RMSLE of log-space forecasts over columns [from, to] of the panel, all areas. */
function logScore(panel: Panel, forecast: readonly (readonly number[])[], from: number, to: number): number {
  let squared = 0;
  let n = 0;
  panel.values.forEach((series, a) => {
    for (let t = from; t <= to; t += 1) {
      squared += (forecast[a][t] - Math.log1p(series[t])) ** 2;
      n += 1;
    }
  });
  return Math.sqrt(squared / n);
}

function* grid(): Generator<ModelParams> {
  for (const decay of PARAM_GRID.decay) {
    for (const shrink of PARAM_GRID.shrink) {
      for (const seasonal of PARAM_GRID.seasonal) {
        for (const momentum of PARAM_GRID.momentum) yield { decay, shrink, seasonal, momentum };
      }
    }
  }
}

/**
 * Grid-searches the hyper-parameters that minimise RMSLE over the last `FIT_MONTHS` months of
 * the panel (each month forecast from the months before it). The caller passes a panel that
 * ends before the months to be forecast, so those months are never seen when fitting.
 */
export function fitParams(panel: Panel): FittedParams {
  const width = panel.months.length;
  // Column 0 has no history to forecast from, so it is never scored.
  const first = Math.max(1, width - FIT_MONTHS);
  const last = width - 1;
  if (last - first + 1 < MIN_FIT_MONTHS) return { ...DEFAULT_PARAMS, fittedOn: null };
  let best: ModelParams = DEFAULT_PARAMS;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const params of grid()) {
    const rmsle = logScore(panel, rollingForecast(panel, params), first, last);
    // Strictly better only: on ties the earlier, simpler candidate stays.
    if (rmsle < bestScore) {
      best = params;
      bestScore = rmsle;
    }
  }
  const fittedOn = { from: panel.months[first], to: panel.months[last], n: (last - first + 1) * panel.areas.length, rmsle: bestScore };
  return { ...best, fittedOn };
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/**
 * Evaluates the model and the two baselines on the months `from`…`to`, rolling origin: the
 * forecast of each month uses only events that started before it. The hyper-parameters are
 * fitted once, on the 24 months before `from`, from events before `from`.
 * Throws a RangeError for a malformed window or one the events do not cover.
 */
export function evaluateForecast(input: { readonly events: readonly ForecastEvent[]; readonly from: Month; readonly to: Month }): Evaluation {
  const located = locate(input.events);
  const from = monthIndex(input.from);
  const to = monthIndex(input.to);
  if (to < from) throw new RangeError(`from (${input.from}) must not be after to (${input.to})`);
  checkCoverage(located, from, to);
  const full = panelOf(located, to);
  const params = fitParams(panelOf(located, from - 1));
  const forecast = rollingForecast(full, params);
  const start = monthIndex(full.months[0]);
  const scored = { model: [] as number[], persistence: [] as number[], mean3: [] as number[], actual: [] as number[] };
  full.values.forEach((series, a) => {
    for (let t = from - start; t <= to - start; t += 1) {
      scored.model.push(Math.expm1(forecast[a][t]));
      scored.persistence.push(persistenceForecast(series, t));
      scored.mean3.push(mean3Forecast(series, t));
      scored.actual.push(series[t]);
    }
  });
  return {
    from: input.from,
    to: input.to,
    n: scored.actual.length,
    model: score(scored.model, scored.actual),
    persistence: score(scored.persistence, scored.actual),
    mean3: score(scored.mean3, scored.actual),
    params,
  };
}

/** Refuses windows the data cannot score: no history before `from`, or months after the data. */
function checkCoverage(located: readonly Located[], from: number, to: number): void {
  if (located.length === 0) throw new RangeError('no events to evaluate on');
  const { first, last } = monthRange(located);
  if (from <= first) throw new RangeError(`from (${monthOf(from)}) must be after the first event's month (${monthOf(first)})`);
  // A month after the last event is indistinguishable from a month not yet collected.
  if (to > last) throw new RangeError(`to (${monthOf(to)}) is after the last event's month (${monthOf(last)}): the data do not cover it`);
}

/**
 * Forecasts `month` for every area with an event before it, from events that started before
 * `month` only. Months between the last event and `month` count as zeros (nothing happened).
 * The hyper-parameters are fitted on the 24 months before `month` unless given.
 */
export function forecastNextMonth(events: readonly ForecastEvent[], month: Month, options: { readonly params?: ModelParams } = {}): MonthForecast {
  // The panel ends the month before `month`, so its forecast column `width` is `month` itself.
  const panel = panelOf(locate(events), monthIndex(month) - 1);
  const params: FittedParams = options.params ? { ...options.params, fittedOn: null } : fitParams(panel);
  const forecast = rollingForecast(panel, params);
  const column = panel.months.length;
  const areas = panel.areas.map((admin1, a) => ({
    admin1,
    state: panel.states[a],
    fatalities: Math.expm1(forecast[a][column]),
    lastMonth: persistenceForecast(panel.values[a], column),
    mean3: mean3Forecast(panel.values[a], column),
  }));
  return { month, params, areas };
}
