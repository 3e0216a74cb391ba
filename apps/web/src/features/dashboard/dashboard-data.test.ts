import { describe, expect, it } from 'vitest';
import { civilianShare, isPartialMonth, monthlyByType, monthlyTotals, stackSeries, withoutPartial } from './dashboard-data';

const row = (month: string, event_type: string, incidents: number, fatalities: number, civilian_fatalities: number) =>
  ({ month, event_type, incidents, fatalities, civilian_fatalities, injured: 0, abducted: 0 });

describe('dashboard series', () => {
  const months = ['2025-01', '2025-02', '2025-03'];
  const rows = [row('2025-01', 'battles', 2, 5, 1), row('2025-03', 'battles', 1, 0, 0), row('2025-02', 'violence_against_civilians', 3, 6, 6), row('2024-12', 'battles', 9, 9, 9)];

  it('spreads rows over the months, per type, in the taxonomy order, skipping empty types and other months', () => {
    expect(monthlyByType(rows, months, ['battles', 'riots', 'violence_against_civilians'], 'incidents')).toEqual([
      { type: 'battles', values: [2, 0, 1] },
      { type: 'violence_against_civilians', values: [0, 3, 0] },
    ]);
  });

  it('sums the months and gives the civilian share, none where nobody died', () => {
    const tot = monthlyTotals(rows, months);
    expect(tot.fatalities).toEqual([5, 6, 0]);
    expect(civilianShare(tot.fatalities, tot.civilian_fatalities)).toEqual([0.2, 1, null]);
  });

  it('stacks series', () => {
    expect(stackSeries([[1, 2], [3, 4], [0, 1]])).toEqual([[1, 2], [4, 6], [4, 7]]);
  });

  it('marks the month one day old as partial and leaves it out of the share line (no 100 % from one incident)', () => {
    const now = new Date('2026-12-01T09:00:00Z');
    expect(['2026-10', '2026-11', '2026-12'].map((m) => isPartialMonth(m, now))).toEqual([false, false, true]);
    expect(withoutPartial(civilianShare([10, 8, 1], [2, 4, 1]), [false, false, true])).toEqual([0.2, 0.5, null]);
  });
});
