import { describe, expect, it } from 'vitest';
import { indicatorsById, indicatorText } from './strategy-format';

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
