import { describe, expect, it } from 'vitest';
import { change, dayLabel, plural, rangeLabel, toll } from './sitrep-text.js';

describe('the words of a situation report', () => {
  it('writes dates as French and English readers do: "1er décembre 2026", ranges across months and years', () => {
    expect(dayLabel('2026-12-01', 'fr')).toBe('1er décembre 2026');
    expect(dayLabel('2026-12-02', 'fr')).toBe('2 décembre 2026');
    expect(dayLabel('2026-12-01', 'en')).toBe('1 December 2026');
    expect(rangeLabel('2026-11-23', '2026-11-29', 'fr')).toBe('du 23 au 29 novembre 2026');
    expect(rangeLabel('2026-12-01', '2026-12-07', 'fr')).toBe('du 1er au 7 décembre 2026');
    expect(rangeLabel('2026-11-30', '2026-12-06', 'fr')).toBe('du 30 novembre au 6 décembre 2026');
    expect(rangeLabel('2025-12-29', '2026-01-04', 'fr')).toBe('du 29 décembre 2025 au 4 janvier 2026');
    expect(rangeLabel('2025-12-29', '2026-01-04', 'en')).toBe('29 December 2025 to 4 January 2026');
  });

  it('agrees in number: singular for 0 and 1 in French, plural from 2; thousands spaced', () => {
    expect(plural(0, 'fr', 'incident', 'incidents')).toBe('0 incident');
    expect(plural(1, 'fr', 'incident', 'incidents')).toBe('1 incident');
    expect(plural(2, 'fr', 'incident', 'incidents')).toBe('2 incidents');
    expect(plural(0, 'en', 'incident', 'incidents')).toBe('0 incidents');
    expect(plural(12_345, 'fr', 'incident', 'incidents')).toBe('12 345 incidents');
    expect(toll({ incidents: 1, fatalities: 1, civilian_fatalities: 1, injured: 0, abducted: 1 }, 'fr')).toBe('1 personne tuée, dont 1 civil et 1 personne enlevée');
    expect(toll({ incidents: 3, fatalities: 30, civilian_fatalities: 4, injured: 5, abducted: 2 }, 'fr')).toBe('30 personnes tuées, dont 4 civils, 5 blessés et 2 personnes enlevées');
    expect(toll({ incidents: 3, fatalities: 30, civilian_fatalities: 0, injured: 1, abducted: 0 }, 'en')).toBe('30 people killed and 1 injured');
  });

  it('states changes in per cent, or in numbers against zero', () => {
    expect(change(6, 4, 'fr')).toBe('+50 %');
    expect(change(3, 4, 'en')).toBe('−25%');
    expect(change(3, 0, 'fr')).toBe('+3');
    expect(change(2, 2, 'fr')).toBe('=');
  });
});
