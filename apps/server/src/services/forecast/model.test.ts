import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admin1Key, type ForecastEvent } from './forecast.js';
import { baselineDistribution, clairvoyantLog, evaluateRolling, forecastDistributions } from './model.js';
import { buildProbPanel, centroidTable, FEATURE_NAMES, featuresOf, PENALTIES } from './panel.js';
import { goals, rankOf, renderReport } from './report.js';
import { countryTable, readUcdpForecastEvents } from './ucdp-csv.js';

function newEvent(month: string, area: string, fatalities: number, extra: Partial<ForecastEvent> = {}): ForecastEvent {
  const [state, name] = area.split(':');
  return { dateStart: `${month}-15T00:00:00.000Z`, admin1: admin1Key(state, name), fatalities, ...extra };
}

function label(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Deterministic pseudo-random numbers, so tests never flake. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/** Six years of monthly events: a hot area (about 20 deaths a month), a quiet one (rare, small), a medium one. */
function syntheticEvents(): ForecastEvent[] {
  const random = randomSource(7);
  const events: ForecastEvent[] = [];
  const start = 2015 * 12;
  for (let i = 0; i < 72; i += 1) {
    const month = label(start + i);
    events.push(newEvent(month, 'MLI:Mopti', Math.round(10 + 20 * random()), { typeOfViolence: 1 }));
    if (random() < 0.1) events.push(newEvent(month, 'MLI:Kayes', 1, { typeOfViolence: 3 }));
    if (random() < 0.6) events.push(newEvent(month, 'BFA:Sahel', Math.round(8 * random()), { typeOfViolence: 3 }));
  }
  return events;
}

describe('baselines as distributions, from the months before the origin only', () => {
  const series = Float64Array.from([5, 0, 3, 9]);

  it('zero, persistence and mean3 are points', () => {
    expect(baselineDistribution('zero', series, 4)).toEqual([0]);
    expect(baselineDistribution('persistence', series, 4)).toEqual([9]);
    expect(baselineDistribution('mean3', series, 4)).toEqual([4]);
    expect(baselineDistribution('persistence', series, 0)).toEqual([0]);
  });

  it('ewm is the back-transformed weighted mean of log1p values (decay 0.8)', () => {
    // origin 2: weights 1 (month 1, value 0) and 0.8 (month 0, value 5)
    const expected = Math.expm1((0.8 * Math.log1p(5)) / 1.8);
    expect(baselineDistribution('ewm', series, 2)[0]).toBeCloseTo(expected, 12);
  });

  it('bootstrap12 is the last twelve values as equally likely outcomes', () => {
    const long = Float64Array.from({ length: 20 }, (_, i) => i);
    expect(baselineDistribution('bootstrap12', long, 15)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});

describe('panel and neighbours', () => {
  it('makes neighbours of areas whose centroids are within 250 km, across borders, and places unnamed areas at their events', () => {
    const centroids = centroidTable([
      { state: 'MLI', names: ['Mopti'], lat: 14.6, lon: -3.6 },
      { state: 'BFA', names: ['Nord'], lat: 13.5, lon: -2.4 },
      { state: 'NER', names: ['Diffa'], lat: 14.0, lon: 12.5 },
    ]);
    const events = [
      newEvent('2020-01', 'MLI:Mopti', 1), newEvent('2020-01', 'BFA:Nord', 1), newEvent('2020-01', 'NER:Diffa', 1),
      newEvent('2020-02', 'MLI:Timetrine', 1, { latitude: 14.7, longitude: -3.0 }),
    ];
    const panel = buildProbPanel(events, { centroids });
    const names = (a: number) => panel.neighbours[a].map((b) => panel.areas[b]);
    expect(names(panel.areas.indexOf('MLI:mopti'))).toEqual(['BFA:nord', 'MLI:timetrine']);
    expect(names(panel.areas.indexOf('NER:diffa'))).toEqual([]);
  });
});

describe('features', () => {
  const feature = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);

  it('tell the fatalities model about incidents (and the incidents model about fatalities), from months before the origin only', () => {
    // Mopti: 1 death a month for a year; from 2020-07 on, 5 incidents a month instead of 1 (same deaths).
    const events: ForecastEvent[] = [];
    for (let i = 0; i < 12; i += 1) {
      const month = label(2020 * 12 + i);
      const incidents = i >= 6 ? 5 : 1;
      for (let k = 0; k < incidents; k += 1) events.push(newEvent(month, 'MLI:Mopti', k === 0 ? 1 : 0, { typeOfViolence: 1 }));
    }
    const panel = buildProbPanel(events);
    const fatalities = featuresOf(panel, 'fatalities')[0];
    const incidents = featuresOf(panel, 'incidents')[0];
    // At origin 2020-07 (column 6) nothing has changed yet; at 2021-01 (column 12) the incidents have risen.
    expect(fatalities[6][feature('other measure (fast)')]).toBeCloseTo(Math.log1p(1), 12);
    expect(fatalities[12][feature('other measure (fast)')]).toBeGreaterThan(Math.log1p(4));
    expect(fatalities[12][feature('level (fast)')]).toBeCloseTo(Math.log1p(1), 12);
    // The incidents model sees the deaths as its other measure.
    expect(incidents[12][feature('other measure (fast)')]).toBeCloseTo(Math.log1p(1), 12);
    // The fast level follows the rise sooner than the slow one.
    expect(fatalities[12][feature('other measure (fast)')]).toBeGreaterThan(fatalities[12][feature('other measure (slow)')]);
    expect(fatalities[12][feature('highest month of the last 12')]).toBeCloseTo(Math.log1p(1), 12);
  });

  it('give the season of the month forecast, the same every year', () => {
    const events = [newEvent('2019-01', 'MLI:Mopti', 1), newEvent('2021-12', 'MLI:Mopti', 1)];
    const panel = buildProbPanel(events);
    const x = featuresOf(panel, 'fatalities')[0];
    const sine = feature('season (sine)');
    expect(x[0][sine]).toBeCloseTo(0, 12); // January
    expect(x[12][sine]).toBeCloseTo(0, 12); // January again
    expect(x[3][sine]).toBeCloseTo(1, 12); // April
    expect(x[3][feature('season (cosine)')]).toBeCloseTo(0, 12);
  });
});

describe('the clairvoyant smoother (a yardstick, not a forecaster)', () => {
  it('averages log1p of up to three months on each side, leaving the month itself out', () => {
    const series = Float64Array.from([0, 1, 3, 1000, 7, 15, 31]);
    expect(clairvoyantLog(series, 3)).toBeCloseTo([0, 1, 3, 7, 15, 31].reduce((s, v) => s + Math.log1p(v), 0) / 6, 12);
    expect(clairvoyantLog(series, 0)).toBeCloseTo([1, 3, 1000].reduce((s, v) => s + Math.log1p(v), 0) / 3, 12);
  });
});

describe('probabilistic forecast', () => {
  const events = syntheticEvents();

  it('gives a hot area a high chance of deaths and an interval around its level, a quiet one mostly zeros', () => {
    const result = forecastDistributions(events, '2021-01', { targets: ['fatalities'], thresholds: { fatalities: [1, 25] } });
    expect(result.horizons.map((h) => h.month)).toEqual(['2021-01', '2021-02', '2021-03']);
    const next = result.horizons[0];
    const hot = next.areas.find((a) => a.admin1 === 'MLI:mopti')!;
    const quiet = next.areas.find((a) => a.admin1 === 'MLI:kayes')!;
    expect(hot.exceedance['1']).toBeGreaterThan(0.9);
    expect(hot.quantiles.q05).toBeGreaterThan(3);
    expect(hot.quantiles.q95).toBeLessThan(60);
    expect(hot.quantiles.q50).toBeGreaterThan(12);
    expect(hot.quantiles.q50).toBeLessThan(28);
    expect(quiet.exceedance['1']).toBeLessThan(0.3);
    expect(quiet.quantiles.q50).toBe(0);
    expect(quiet.exceedance['25']).toBeLessThanOrEqual(quiet.exceedance['1']);
  });

  it('does not look at the month it forecasts or later: changing them changes nothing', () => {
    const before = forecastDistributions(events, '2019-06', { targets: ['fatalities', 'incidents'] });
    const changed = events.map((e) => (e.dateStart >= '2019-06' ? { ...e, fatalities: e.fatalities * 10 + 50 } : e));
    changed.push(newEvent('2019-07', 'NER:Diffa', 500));
    const after = forecastDistributions(changed, '2019-06', { targets: ['fatalities', 'incidents'] });
    expect(after).toEqual(before);
  });

  it('evaluates on a rolling origin: the scores of a window do not depend on events after it', () => {
    const windows = [{ from: '2019-01', to: '2019-12' }];
    const base = evaluateRolling({ events, windows });
    const later = events.map((e) => (e.dateStart >= '2020-01' ? { ...e, fatalities: e.fatalities + 100 } : e));
    expect(evaluateRolling({ events: later, windows }).windows).toEqual(base.windows);
    expect(Object.keys(base.windows[0].scores)).toEqual(['model', 'zero', 'persistence', 'mean3', 'ewm', 'bootstrap12']);
    expect(base.windows[0].n).toBe(36);
    // One ridge penalty per month forecast, from the candidates.
    expect(Object.keys(base.penalties)).toHaveLength(12);
    for (const p of Object.values(base.penalties)) expect(PENALTIES).toContain(p);
  });

  it('refuses windows the data cannot score, and bad horizons', () => {
    expect(() => evaluateRolling({ events, windows: [{ from: '2015-01', to: '2015-06' }] })).toThrow(/history/);
    expect(() => evaluateRolling({ events, windows: [{ from: '2020-06', to: '2021-01' }] })).toThrow(/after the last event/);
    expect(() => evaluateRolling({ events, windows: [{ from: '2019-06', to: '2019-01' }] })).toThrow(/after to/);
    expect(() => evaluateRolling({ events, windows: [{ from: '2019-01', to: '2019-06' }], horizon: 4 })).toThrow(/horizon/);
  });

  it('ranks the model and checks the goals from the scores', () => {
    const run = evaluateRolling({ events, windows: [{ from: '2019-01', to: '2020-12' }] });
    const scores = run.windows[0].scores;
    const rank = rankOf(scores, 'crps');
    expect(rank).toBeGreaterThanOrEqual(1);
    expect(rank).toBeLessThanOrEqual(6);
    expect(goals(scores).rmsleVsPersistence).toBeCloseTo(scores.model.rmsle / scores.persistence.rmsle, 12);
  });
});

// ---------------------------------------------------------------------------------------------
// Real data (skipped, with a message, when the shared folder is absent)

const here = path.dirname(fileURLToPath(import.meta.url));
const UCDP = path.resolve(here, '../../../../../../shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv');
const AES_CONFIG = path.resolve(here, '../../../config/aes.json');

describe.runIf(existsSync(UCDP))('on the shared UCDP data (2021-12 … 2022-11)', () => {
  it('beats every baseline on RMSLE and the bootstrap on CRPS, with 90 % intervals covering 85–95 %', async () => {
    const aes = JSON.parse(readFileSync(AES_CONFIG, 'utf8')) as { states: Array<{ code: string; name_en: string; name_fr: string }>; admin_areas: Array<{ state: string; level: number; name_fr: string; name_en: string; centroid_lat: number; centroid_lon: number }> };
    const countries = countryTable(aes.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
    const centroids = centroidTable(aes.admin_areas.filter((a) => a.level === 1).map((a) => ({ state: a.state, names: [a.name_fr, a.name_en], lat: a.centroid_lat, lon: a.centroid_lon })));
    const input = await readUcdpForecastEvents(UCDP, countries);
    const run = evaluateRolling({ events: input.events, windows: [{ from: '2021-12', to: '2022-11' }], centroids });
    const s = run.windows[0].scores;
    expect(run.windows[0].n).toBe(372);
    expect(s.model.rmsle / s.persistence.rmsle).toBeLessThan(0.75);
    for (const k of ['zero', 'persistence', 'mean3', 'ewm', 'bootstrap12'] as const) expect(s.model.rmsle).toBeLessThan(s[k].rmsle);
    expect(s.model.crps).toBeLessThan(s.bootstrap12.crps);
    expect(s.model.coverage90).toBeGreaterThanOrEqual(0.85);
    expect(s.model.coverage90).toBeLessThanOrEqual(0.95);
    expect(s.model.pitCoverage90).toBeGreaterThanOrEqual(0.85);
    expect(s.model.pitCoverage90).toBeLessThanOrEqual(0.95);
    const markdown = renderReport({ command: 'x', source: { file: 'f', rows: 1, rejected: 0, withoutAdmin1: 0, events: 1, areas: 1 }, runs: [run], seconds: 1 });
    expect(markdown).toContain('| 2021-12 … 2022-11 | 372 |');
    // The yardstick: the clairvoyant smoother sees the months after, yet is not far ahead of the model.
    const w = run.windows[0];
    expect(w.clairvoyantRmsle).toBeGreaterThan(0.9 * s.model.rmsle);
    expect(markdown).toContain('## How far can a point forecast go?');
  }, 60_000);

  it('over every month since 2011-12, has a lower RMSLE than the log-EWM, a lower CRPS than the bootstrap, and 90 % intervals under 20 deaths wide on average that hold 85–95 % of outcomes (PIT)', async () => {
    const aes = JSON.parse(readFileSync(AES_CONFIG, 'utf8')) as { states: Array<{ code: string; name_en: string; name_fr: string }>; admin_areas: Array<{ state: string; level: number; name_fr: string; name_en: string; centroid_lat: number; centroid_lon: number }> };
    const countries = countryTable(aes.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
    const centroids = centroidTable(aes.admin_areas.filter((a) => a.level === 1).map((a) => ({ state: a.state, names: [a.name_fr, a.name_en], lat: a.centroid_lat, lon: a.centroid_lon })));
    const input = await readUcdpForecastEvents(UCDP, countries);
    const run = evaluateRolling({ events: input.events, windows: [{ from: '2011-12', to: '2022-11' }], centroids });
    const s = run.windows[0].scores;
    expect(s.model.rmsle).toBeLessThan(s.ewm.rmsle);
    expect(s.model.crps).toBeLessThan(s.bootstrap12.crps);
    expect(s.model.pitCoverage90).toBeGreaterThanOrEqual(0.85);
    expect(s.model.pitCoverage90).toBeLessThanOrEqual(0.95);
    expect(s.model.width90).toBeLessThan(20);
  }, 120_000);
});
