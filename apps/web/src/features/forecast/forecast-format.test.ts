import { describe, expect, it } from 'vitest';
import { byRisk, defaultThreshold, intervalText, probabilityText } from './forecast-format';
import type { AreaForecast } from './types';

const area = (code: string, p25: number, q50: number): AreaForecast => ({
  admin1_code: code, state: 'MLI', fatalities: q50, last_month: 0, mean3: 0,
  fatalities_quantiles: { q05: 0, q25: 1, q50, q75: q50 * 2, q95: q50 * 4 }, fatalities_exceedance: { '1': 0.9, '25': p25 },
  incidents: 1, incidents_quantiles: { q05: 0, q25: 0, q50: 1, q75: 2, q95: 4 }, incidents_exceedance: { '1': 0.6 },
});

describe('forecast display helpers', () => {
  it('writes probabilities as percentages, never a certain 0 or 100', () => {
    expect(probabilityText(0.4, 'fr')).toBe('40 %');
    expect(probabilityText(0, 'fr')).toBe('< 1 %');
    expect(probabilityText(1, 'en')).toBe('> 99 %');
    expect(probabilityText(0.004, 'fr')).toBe('1 %');
  });
  it('writes the 90 % interval from the 5 and 95 % quantiles', () => {
    expect(intervalText({ q05: 2.4, q25: 5, q50: 9, q75: 20, q95: 45.6 }, 'fr')).toBe('2 – 46');
  });
  it('orders areas by the chance of a surge, then by median', () => {
    expect(byRisk([area('ML01', 0.1, 3), area('ML05', 0.4, 20), area('ML07', 0.4, 30)], 25).map((a) => a.admin1_code)).toEqual(['ML07', 'ML05', 'ML01']);
  });
  it('shows the first threshold above 1 by default', () => {
    expect(defaultThreshold([1, 25, 100])).toBe(25);
    expect(defaultThreshold([1])).toBe(1);
  });
});
