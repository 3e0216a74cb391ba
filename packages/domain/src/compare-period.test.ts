import { describe, expect, it } from 'vitest';
import { figureChange, isoWeekOf, isPeriodKey, periodSpan, resolveComparison } from './compare-period.js';

describe('period over period: the days of each period', () => {
  it('numbers ISO weeks across year ends (week 53, week 1 starting in December)', () => {
    expect(isoWeekOf('2026-11-18')).toBe('2026-W47');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(periodSpan('week', '2025-W01')).toEqual({ key: '2025-W01', from: '2024-12-30', to: '2025-01-05' });
    expect(isPeriodKey('week', '2020-W53')).toBe(true);
    expect(isPeriodKey('week', '2021-W53')).toBe(false);
  });

  it('takes the period before across a year and the same period last year (week 53 → 52, 29 February → 28)', () => {
    const w = resolveComparison('week', { anchor: '2021-W01', today: '2026-01-01' });
    expect(w.previous.key).toBe('2020-W53');
    expect(resolveComparison('week', { anchor: '2020-W53', today: '2026-01-01' }).last_year.key).toBe('2019-W52');
    expect(resolveComparison('quarter', { anchor: '2026-Q1', today: '2026-12-01' })).toMatchObject({ previous: { key: '2025-Q4', from: '2025-10-01', to: '2025-12-31' }, last_year: { key: '2025-Q1' } });
    expect(resolveComparison('month', { anchor: '2024-02', today: '2026-12-01' }).current.to).toBe('2024-02-29');
    expect(resolveComparison('custom', { from: '2024-02-29', to: '2024-03-01', today: '2026-12-01' }).last_year).toMatchObject({ from: '2023-02-28', to: '2023-03-01' });
  });

  it('marks the current period incomplete with the days gone by', () => {
    expect(resolveComparison('month', { today: '2026-12-01' })).toMatchObject({ complete: false, days: 31, elapsed_days: 1, current: { key: '2026-12' } });
    expect(resolveComparison('year', { anchor: '2025', today: '2026-12-01' })).toMatchObject({ complete: true, elapsed_days: 365 });
  });

  it('gives the change in numbers and the per cent only against a base', () => {
    expect(figureChange(12, 10)).toEqual({ delta: 2, ratio: 0.2 });
    expect(figureChange(3, 0)).toEqual({ delta: 3, ratio: null });
  });
});
