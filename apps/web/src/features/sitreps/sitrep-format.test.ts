import { describe, expect, it } from 'vitest';
import { lastFullMonth, lastFullWeek, weekNumber } from './sitrep-format';

describe('situation report form defaults', () => {
  it('offers the last full ISO week and month', () => {
    expect(lastFullWeek(new Date('2026-12-01T10:00:00Z'))).toBe('2026-W48');
    expect(lastFullWeek(new Date('2027-01-04T10:00:00Z'))).toBe('2026-W53');
    expect(lastFullMonth(new Date('2026-01-15T10:00:00Z'))).toBe('2025-12');
    expect(weekNumber({ period: '2026-W05' })).toBe(5);
  });
});
