import { describe, expect, it } from 'vitest';
import { conflictReport, diffRecords, showValue } from './diff';

describe('version diffs', () => {
  it('lists only the fields that changed, ignoring bookkeeping', () => {
    const a = { version: 1, updated_at: 'x', fatalities_best: 2, tags: ['a'], place_name: null };
    const b = { version: 2, updated_at: 'y', fatalities_best: 5, tags: ['a'], place_name: 'Djibo' };
    expect(diffRecords(a, b)).toEqual([
      { field: 'fatalities_best', before: 2, after: 5 },
      { field: 'place_name', before: null, after: 'Djibo' },
    ]);
  });

  it('treats a first version as all fields new', () => {
    expect(diffRecords(null, { narrative: 'x' })).toEqual([{ field: 'narrative', before: null, after: 'x' }]);
  });

  it('compares nested values deeply', () => {
    const s = [{ name: 'Poste', reliability: 'B' }];
    expect(diffRecords({ sources: s }, { sources: [{ name: 'Poste', reliability: 'B' }] })).toEqual([]);
    expect(diffRecords({ sources: s }, { sources: [{ name: 'Poste', reliability: 'C' }] })).toHaveLength(1);
  });

  it('flags the fields both people changed differently as clashes', () => {
    const base = { fatalities_best: 2, narrative: 'a', injured: 0 };
    const current = { fatalities_best: 4, narrative: 'b', injured: 0 };
    const mine = { fatalities_best: 3, narrative: 'b', injured: 1 };
    expect(conflictReport(base, current, mine)).toEqual([
      { field: 'fatalities_best', before: 2, after: 4, mine: 3, clash: true },
      { field: 'narrative', before: 'a', after: 'b', mine: 'b', clash: false },
    ]);
  });

  it('shows values briefly', () => {
    expect(showValue(null)).toBe('—');
    expect(showValue(['a', 'b'])).toBe('a, b');
    expect(showValue(3)).toBe('3');
  });
});
