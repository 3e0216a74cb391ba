import { describe, expect, it } from 'vitest';
import { achievementText, incompleteCoverage, indicatorsById, indicatorText, isPartialPeriod, valueText } from './strategy-format';

const ind = (id: string, code: string, name_fr: string, name_en: string) => ({ id, code, name_fr, name_en }) as never;
const tree = { axes: [{ objectives: [{ indicators: [ind('i1', 'I1.1', 'Civils tués', 'Civilians killed')] }, { indicators: [ind('i2', 'I2.3', 'Écoles ouvertes', '')] }] }] } as never;

describe("a value's indicator on the values page", () => {
  it('shows the code and the name in the reader’s language, found by the id the API sends', () => {
    const byId = indicatorsById(tree);
    expect(indicatorText('i1', byId, 'fr')).toBe('I1.1 — Civils tués');
    expect(indicatorText('i1', byId, 'en')).toBe('I1.1 — Civilians killed');
    expect(indicatorText('i2', byId, 'en')).toBe('I2.3 — Écoles ouvertes');
  });
  it('never shows an empty cell: an unknown indicator (tree not loaded yet) shows its id', () => {
    expect(indicatorText('i9', indicatorsById(undefined), 'fr')).toBe('i9');
  });
});

describe('figures as a reader checks them', () => {
  it('shows counts as whole numbers, ratios with decimals, and a setback instead of a negative achievement', () => {
    expect(valueText(0.8, 'count', 'fr')).toBe('1');
    expect(valueText(0.75, 'ratio', 'fr')).toBe('0,75');
    expect(valueText(42.5, 'percent', 'fr')).toBe('42,5 %');
    expect(achievementText(-1.29, 'fr', 'recul')).toBe('0 % (recul)');
    expect(achievementText(0.904, 'fr')).toBe('90 %');
  });
  it('marks the running quarter as partial, and a total from one state of three as incomplete', () => {
    expect(isPartialPeriod('2026-Q4', '2026-12-01')).toBe(true);
    expect(isPartialPeriod('2026-Q3', '2026-12-01')).toBe(false);
    expect(incompleteCoverage({ coverage: { reported: 1, expected: 3 } })).toBe(true);
    expect(incompleteCoverage({ coverage: { reported: 3, expected: 3 } })).toBe(false);
    expect(incompleteCoverage({})).toBe(false);
  });
});
