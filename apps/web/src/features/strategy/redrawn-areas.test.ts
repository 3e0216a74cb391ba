import { describe, expect, it } from 'vitest';
import { definitionAreas, redrawnAreas, type BoundarySets } from './redrawn-areas';

const set = { code: 'mli-2025-07-01', state: 'MLI', name_fr: 'Mali — 2023', name_en: 'Mali — 2023', valid_from: '2025-07-01', valid_to: null };
const link = (from_code: string, to_code: string, share_of_from: number, from_level = 1, to_level = 1) =>
  ({ from_set: 'mli-ocha-cod-2015', from_code, from_level, to_set: set.code, to_code, to_level, share_of_from });
const data: BoundarySets = {
  sets: [set],
  crosswalk: [link('ML05', 'ML13', 0.3), link('ML05', 'ML05', 0.45), link('ML05', 'ML15', 0.25), link('ML04', 'ML04', 0.998), link('ML04', 'ML05', 0.002), link('ML0501', 'ML13', 1, 2, 1)],
};

describe('areas a definition names that a newer set redrew', () => {
  it('lists what a split area became, largest share first; an unchanged area (slivers aside) is not mentioned', () => {
    expect(redrawnAreas(['ML05', 'ML04', 'BF56'], data)).toEqual([{ code: 'ML05', set, to: ['ML05', 'ML13', 'ML15'] }]);
  });
  it('reads the areas of the filter and of a ratio’s parts, once each', () => {
    expect(definitionAreas({ measure: 'ratio', filter: { admin1: ['ML05'] }, numerator: { measure: 'fatalities', filter: { admin1: ['ML05'], admin2: ['ML0501'] } }, denominator: { measure: 'incidents', filter: {} }, scale: 1 })).toEqual(['ML05', 'ML0501']);
  });
});
