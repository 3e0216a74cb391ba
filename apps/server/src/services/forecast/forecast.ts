/**
 * What the forecasts know of an event, and the months and area keys they count in (the probabilistic model is in
 * model.ts, its scoring in scoring.ts, the method in docs/forecast.md).
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

/**
 * The key of an admin-1 area: state code, colon, name folded so that the spellings sources
 * use for one place ("Tillabéri", "TILLABERI", "Centre-Nord", "Centre Nord") meet.
 */
export function admin1Key(state: string, name: string): string {
  const folded = foldText(name).replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return `${state}:${folded}`;
}
