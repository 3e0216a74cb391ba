/**
 * The ministers' report as data: what the evaluation service computes and the HTML and PDF renderers draw. Its own
 * module, so that the renderers depend on the model and never on the service that fills it.
 */
import type { Evaluation } from '@vigie/domain';
import type { IndicatorTrend } from './strategy.progress.service.js';

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
  /** Whose view the figures are (the confederation or a state's name) and up to which classification. */
  audienceName: string;
  /** When the figures were computed: the freezing time of a final evaluation, else now. */
  asOf: string;
  generatedAt: string;
}
