import { assessedPeriod, nextPeriod, periodBounds, periodContaining, periodOverlaps, periodsBetween } from '@vigie/domain';
import { describe, expect, it } from 'vitest';
import { achievement, objectiveAchievement, ratio, statusOf } from './progress.js';

const T = { on_track: 0.9, at_risk: 0.6 };

describe('achievement and status', () => {
  it('measures the way from the baseline to the target, in both directions', () => {
    expect(achievement({ value: 15, target: 10, baseline: 20, direction: 'decrease' })).toBe(0.5);
    expect(achievement({ value: 8, target: 10, baseline: 20, direction: 'decrease' })).toBe(1.2);
    expect(achievement({ value: 60, target: 80, baseline: 40, direction: 'increase' })).toBe(0.5);
    expect(achievement({ value: 30, target: 80, baseline: 40, direction: 'increase' })).toBe(-0.25);
  });
  it('falls back to value/target (or target/value when lower is better) without a baseline', () => {
    expect(achievement({ value: 45, target: 50, baseline: null, direction: 'increase' })).toBe(0.9);
    expect(achievement({ value: 20, target: 10, baseline: null, direction: 'decrease' })).toBe(0.5);
    expect(achievement({ value: 0, target: 10, baseline: null, direction: 'decrease' })).toBe(1);
    expect(achievement({ value: null, target: 10, baseline: null, direction: 'decrease' })).toBeNull();
    expect(achievement({ value: 3, target: null, baseline: 2, direction: 'decrease' })).toBeNull();
  });
  it('derives the status from declared thresholds, and an objective from its capped mean', () => {
    expect(statusOf(0.95, T)).toBe('on_track');
    expect(statusOf(0.9, T)).toBe('on_track');
    expect(statusOf(0.7, T)).toBe('at_risk');
    expect(statusOf(0.2, T)).toBe('off_track');
    expect(statusOf(null, T)).toBeNull();
    // 3.0 is capped at 1: one indicator far beyond its target does not hide another off track.
    expect(objectiveAchievement([3, 0.2, null])).toBe(0.6);
    expect(objectiveAchievement([null])).toBeNull();
    expect(ratio(3, 0, 100)).toBeNull();
    expect(ratio(1, 3, 100)).toBe(33.333);
  });
});

describe('periods', () => {
  it('bounds, sequences and contains periods of every frequency', () => {
    expect(periodBounds('2026-Q4')).toEqual({ start: '2026-10-01', end: '2027-01-01' });
    expect(periodBounds('2026-12')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(periodsBetween('2025-11-15', '2026-03-01', 'quarter')).toEqual(['2025-Q4', '2026-Q1']);
    expect(periodsBetween('2025-01-01', '2027-12-31', 'year')).toEqual(['2025', '2026', '2027']);
    expect(nextPeriod('2026-Q4')).toBe('2027-Q1');
    expect(periodContaining('2026-08-31T23:00:00Z', 'month')).toBe('2026-08');
    expect(periodOverlaps('2030-Q1', '2025-01-01', '2027-12-31')).toBe(false);
    expect(periodOverlaps('2024', '2024-07-01', '2026-06-30')).toBe(true);
  });
  it('assesses an indicator at the period of its frequency that holds the evaluated period’s last day', () => {
    expect(assessedPeriod('2026-Q3', 'month')).toBe('2026-09');
    expect(assessedPeriod('2026-Q3', 'year')).toBe('2026');
    expect(assessedPeriod('2026', 'quarter')).toBe('2026-Q4');
  });
});
