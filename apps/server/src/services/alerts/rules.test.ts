import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRulesConfig, rulesConfigSchema } from './rules-config.js';
import type { Polygon } from 'geojson';
import { sharedBorderPairs } from './borders.js';
import { addWeeks, crossBorderNeighbours, evaluateRules, weeklySeries, weekStart, type AreaInfo, type WeekValues } from './rules.js';
import { baselineModel, ewma, quantile, upperTail } from './stats.js';

const config = rulesConfigSchema.parse({});
const AREAS: AreaInfo[] = [
  { code: 'ML05', state: 'MLI', name: 'Mopti', lat: 14.6, lon: -3.6 },
  { code: 'BF56', state: 'BFA', name: 'Sahel', lat: 14.2, lon: -0.5 },
  { code: 'NE006', state: 'NER', name: 'Tillabéri', lat: 14.4, lon: 1.5 },
  { code: 'ML01', state: 'MLI', name: 'Kayes', lat: 14.0, lon: -10.3 },
];
const START = '2024-01-01T00:00:00.000Z'; // a Monday
const WEEKS = 40;
const LAST = WEEKS - 1;

/** A series per area from per-week values (missing weeks are zeros). */
function build(values: Record<string, (w: number) => Partial<WeekValues>>) {
  const rows = [];
  for (const [area, f] of Object.entries(values)) {
    for (let w = 0; w < WEEKS; w++) {
      const v = { count: 0, fatalities: 0, civilians: 0, ...f(w) };
      if (v.count || v.fatalities || v.civilians) rows.push({ area, at: addWeeks(START, w).slice(0, 10), ...v });
    }
  }
  return weeklySeries(rows, START, WEEKS);
}
const run = (values: Record<string, (w: number) => Partial<WeekValues>>, cfg = config) =>
  evaluateRules({ series: build(values), areas: AREAS, evaluate: [LAST], config: cfg });
/** A steady, slightly noisy history: 2–4 incidents and 3–9 deaths a week, 1–2 civilians. */
const steady = (w: number): Partial<WeekValues> => ({ count: 2 + (w % 3), fatalities: 3 + ((w * 7) % 7), civilians: 1 + (w % 2) });

describe('statistics', () => {
  it('computes Poisson and negative binomial tails and quantiles', () => {
    expect(upperTail({ mean: 2, size: null }, 0)).toBe(1);
    expect(upperTail({ mean: 2, size: null }, 1)).toBeCloseTo(1 - Math.exp(-2), 10);
    expect(upperTail({ mean: 2, size: null }, 10)).toBeCloseTo(4.649e-5, 7);
    expect(quantile({ mean: 2, size: null }, 0.99)).toBe(6);
    // Same mean, over-dispersed: a heavier tail.
    expect(upperTail({ mean: 2, size: 0.5 }, 10)).toBeGreaterThan(upperTail({ mean: 2, size: null }, 10) * 100);
    expect(quantile({ mean: 2, size: 0.5 }, 0.99)).toBeGreaterThan(6);
  });
  it('weights recent weeks more (EWMA) and picks the negative binomial for over-dispersed history', () => {
    expect(ewma([0, 0, 0, 10], 0.5).mean).toBeGreaterThan(ewma([10, 0, 0, 0], 0.5).mean);
    expect(baselineModel([3, 3, 3, 3], 0.1, 0.25).size).toBeNull();
    expect(baselineModel([0, 0, 20, 0, 1, 30], 0.1, 0.25).size).not.toBeNull();
    expect(baselineModel([0, 0, 0], 0.1, 0.25).mean).toBe(0.25);
  });
  it('aligns weeks on Monday UTC', () => {
    expect(weekStart('2024-01-07T23:59:00Z')).toBe('2024-01-01T00:00:00.000Z');
    expect(weekStart('2024-01-08T00:00:00Z')).toBe('2024-01-08T00:00:00.000Z');
  });
});

describe('rules on constructed cases', () => {
  it('stay silent on flat series, quiet areas and steady violence', () => {
    expect(run({ ML05: steady, BF56: steady, NE006: () => ({ count: 1, fatalities: 1 }) })).toEqual([]);
    expect(run({})).toEqual([]);
  });

  it('count spike: a steady area that suddenly has many more incidents', () => {
    const found = run({ ML05: (w) => (w === LAST ? { count: 14, fatalities: 6, civilians: 1 } : steady(w)) });
    expect(found.map((f) => f.rule)).toEqual(['count_spike']);
    const f = found[0];
    expect(f).toMatchObject({ areas: ['ML05'], states: ['MLI'], windowStart: addWeeks(START, LAST), dedupKey: `count_spike:ML05:${addWeeks(START, LAST).slice(0, 10)}` });
    expect(f?.statistics).toMatchObject({ metric: 'count', observed: 14, quantile_level: 0.99 });
    expect(f?.statistics.expected).toBeGreaterThan(2);
    expect(f?.statistics.expected).toBeLessThan(4);
    expect(f?.statistics.p_value).toBeLessThan(0.01);
    expect(f?.statistics.baseline?.periods).toBe(26);
  });

  it('fatality spike, and civilian-harm spike as its own rule', () => {
    const found = run({ BF56: (w) => (w === LAST ? { count: 4, fatalities: 120, civilians: 1 } : steady(w)) });
    expect(found.map((f) => f.rule)).toEqual(['fatality_spike']);
    expect(found[0]?.severity).toBe('critical');
    const civ = run({ BF56: (w) => (w === LAST ? { count: 3, fatalities: 9, civilians: 9 } : steady(w)) });
    expect(civ.map((f) => f.rule)).toEqual(['civilian_harm']);
    expect(civ[0]?.statistics.metric).toBe('civilian_fatalities');
  });

  it('respects the minimum count: a large relative jump on tiny numbers does not fire', () => {
    const few = run({ ML05: (w) => (w === LAST ? { count: 3 } : w % 8 === 0 ? { count: 1 } : {}) });
    expect(few.filter((f) => f.rule === 'count_spike')).toEqual([]);
  });

  it('new hotspot: quiet for six months, then active; not when the area was active', () => {
    const found = run({ ML01: (w) => (w === LAST ? { count: 3, fatalities: 12 } : w === 2 ? { count: 1 } : {}) });
    expect(found.map((f) => f.rule)).toEqual(['new_hotspot']);
    expect(found[0]).toMatchObject({ severity: 'high', statistics: { observed: 3, baseline: { periods: 26 } } });
    expect(run({ ML01: (w) => (w === LAST ? { count: 3, fatalities: 12 } : w === LAST - 5 ? { count: 1 } : {}) }).filter((f) => f.rule === 'new_hotspot')).toEqual([]);
  });

  it('cross-border spread: neighbouring areas of two states rising within 14 days', () => {
    const rising = (w: number) => (w >= LAST - 1 ? { count: 7, fatalities: 4 } : { count: w % 4 === 0 ? 1 : 0 });
    const found = run({ BF56: rising, NE006: (w) => (w === LAST ? { count: 6, fatalities: 4 } : { count: w % 5 === 0 ? 1 : 0 }) });
    const spread = found.filter((f) => f.rule === 'cross_border');
    expect(spread).toHaveLength(1);
    expect(spread[0]).toMatchObject({ areas: ['BF56', 'NE006'], states: ['BFA', 'NER'], windowStart: addWeeks(START, LAST - 1) });
    expect(spread[0]?.statistics.areas?.map((a) => a.code)).toEqual(['BF56', 'NE006']);
    // One side only: no spread.
    expect(run({ BF56: rising, NE006: (w) => ({ count: w % 5 === 0 ? 1 : 0 }) }).filter((f) => f.rule === 'cross_border')).toEqual([]);
    // Far apart (Kayes and Tillabéri are ~1,300 km apart): no spread.
    expect(run({ ML01: rising, NE006: rising }).filter((f) => f.rule === 'cross_border')).toEqual([]);
  });

  it('finds neighbours by centroid distance, or by a shared border from imported polygons', () => {
    expect(crossBorderNeighbours(AREAS, 250).map(([a, b]) => `${a.code}|${b.code}`)).toEqual(['BF56|NE006']);
    // Two squares of two states meeting along x = 0 (vertices 2 km apart), and a third far away.
    const square = (x0: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, 10], [x0 + 1, 10], [x0 + 1, 11], [x0, 11], [x0, 10]]] });
    const borders = sharedBorderPairs([
      { code: 'A1', state: 'AAA', geometry: square(-1) },
      { code: 'B1', state: 'BBB', geometry: square(0.02) },
      { code: 'C1', state: 'CCC', geometry: square(5) },
      { code: 'A2', state: 'AAA', geometry: square(0) },
    ]);
    expect([...borders].sort()).toEqual(['A1|B1', 'A2|B1']);
    expect(sharedBorderPairs([{ code: 'A1', state: 'AAA', geometry: square(-1) }, { code: 'B1', state: 'BBB', geometry: square(0.02) }])).toEqual(new Set(['A1|B1']));
    const far: AreaInfo[] = [{ code: 'A1', state: 'AAA', name: 'a', lat: 10.5, lon: -0.5 }, { code: 'B1', state: 'BBB', name: 'b', lat: 10.5, lon: 0.5 }];
    expect(crossBorderNeighbours(far, 50)).toEqual([]);
    expect(crossBorderNeighbours(far, 50, new Set(['A1|B1']))).toHaveLength(1);
  });

  it('disabled rules and stricter settings are honoured', () => {
    const cfg = rulesConfigSchema.parse({ rules: { count_spike: { enabled: false } } });
    expect(run({ ML05: (w) => (w === LAST ? { count: 14 } : steady(w)) }, cfg).filter((f) => f.rule === 'count_spike')).toEqual([]);
    expect(() => rulesConfigSchema.parse({ rules: { count_spike: { quantile: 1.5 } } })).toThrow();
  });
});

describe('rules configuration', () => {
  it('ships defaults and lets a deployment override one field in its own file', () => {
    expect(loadRulesConfig()).toMatchObject({ baseline_weeks: 26, rules: { count_spike: { quantile: 0.99, min_count: 4 } } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-rules-'));
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ schedule: { interval_minutes: 0 }, rules: { civilian_harm: { min_count: 3 } } }));
    const cfg = loadRulesConfig(file);
    expect(cfg.schedule.interval_minutes).toBe(0);
    expect(cfg.rules.civilian_harm).toEqual({ enabled: true, quantile: 0.99, min_count: 3 });
    expect(cfg.rules.fatality_spike.min_count).toBe(15);
    fs.writeFileSync(file, JSON.stringify({ rules: { new_hotspot: { quiet_months: 'six' } } }));
    expect(() => loadRulesConfig(file)).toThrow(/rules\.new_hotspot\.quiet_months/);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadRulesConfig(file)).toThrow(/not valid JSON/);
    expect(() => loadRulesConfig(path.join(dir, 'absent.json'))).toThrow(/not found/);
  });
});
