import { describe, expect, it } from 'vitest';
import { alertTexts, formatLongDate, rarity, type AlertFacts } from './alert-text.js';

const NAMES: Record<string, { fr: string; en: string }> = { ML10: { fr: 'Ménaka', en: 'Menaka' }, NE006: { fr: 'Tillabéri', en: 'Tillaberi' } };
const stats = (o: Partial<NonNullable<AlertFacts['statistics']>> = {}): NonNullable<AlertFacts['statistics']> => ({
  metric: 'count', observed: 11, expected: 1.2, quantile: 5, quantile_level: 0.99, p_value: 1e-6, distribution: 'negative_binomial', dispersion: 0.52,
  baseline: { from: '2026-06-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', periods: 26, values: [] }, ...o,
});
const facts = (o: Partial<AlertFacts> = {}): AlertFacts => ({
  rule: 'count_spike', areas: ['ML10'], window_start: '2026-11-30T00:00:00.000Z', window_end: '2026-12-07T00:00:00.000Z', statistics: stats(), title: 'stored', summary: 'stored', ...o,
});
const inWeek = Date.parse('2026-12-02T10:00:00Z');
const later = Date.parse('2027-01-10T10:00:00Z');
const name = (lang: 'fr' | 'en') => (c: string) => NAMES[c]?.[lang] ?? c;

describe('alert texts, from the facts, in the reader’s language', () => {
  it('leads with plain French: what was counted, against what is usual, how rare', () => {
    expect(alertTexts(facts(), 'fr', name('fr'), inWeek)).toEqual({
      title: 'Pic d’incidents — Ménaka, semaine du 30 novembre 2026',
      summary: 'Ménaka : 11 incidents cette semaine, contre 1,2 attendu d’habitude — un tel nombre n’arrive par hasard qu’environ une fois sur un million.',
    });
  });
  it('writes the same alert in English for an English reader', () => {
    expect(alertTexts(facts(), 'en', name('en'), later)).toEqual({
      title: 'Spike in incidents — Menaka, week of 30 November 2026',
      summary: 'Menaka: 11 incidents in the week of 30 November 2026, against 1.2 expected usually — a number this high happens by chance about once in a million.',
    });
  });
  it('agrees nouns with their numbers and names civilians killed one way', () => {
    const one = alertTexts(facts({ rule: 'civilian_harm', statistics: stats({ metric: 'civilian_fatalities', observed: 1, expected: 3, p_value: 0.004 }) }), 'fr', name('fr'), later);
    expect(one.title).toBe('Pic de civils tués — Ménaka, semaine du 30 novembre 2026');
    expect(one.summary).toBe('Ménaka : 1 civil tué la semaine du 30 novembre 2026, contre 3 attendus d’habitude — un tel nombre n’arrive par hasard qu’environ une fois sur 250.');
    const many = alertTexts(facts({ rule: 'civilian_harm', statistics: stats({ metric: 'civilian_fatalities', observed: 50, expected: 0.9, p_value: 1.9e-8 }) }), 'fr', name('fr'), inWeek);
    expect(many.summary).toBe('Ménaka : 50 civils tués cette semaine, contre 0,9 attendu d’habitude — un tel nombre n’arrive par hasard qu’environ une fois sur 53 millions.');
    expect(alertTexts(facts({ rule: 'fatality_spike', statistics: stats({ metric: 'fatalities', observed: 1, p_value: 1e-13 }) }), 'en', name('en'), inWeek).summary)
      .toBe('Menaka: 1 person killed this week, against 1.2 expected usually — a number this high practically never happens by chance (less than once in a trillion).');
  });
  it('writes the new hotspot and the cross-border spread from their facts', () => {
    const hot = facts({ rule: 'new_hotspot', statistics: stats({ observed: 3, expected: 0.02, p_value: 1e-6, fatalities: 12, quiet_months: 6 }) });
    expect(alertTexts(hot, 'fr', name('fr'), inWeek).summary).toBe('Ménaka : 3 incidents et 12 tués cette semaine, après 6 mois sans aucun incident.');
    expect(alertTexts(hot, 'en', name('en'), inWeek).summary).toBe('Menaka: 3 incidents and 12 people killed this week, after 6 months without any incident.');
    const spread = facts({
      rule: 'cross_border', areas: ['ML10', 'NE006'],
      statistics: stats({ observed: 9, within_days: 14, areas: [{ code: 'ML10', observed: 5, expected: 1.2, p_value: 0.001 }, { code: 'NE006', observed: 4, expected: 0.8, p_value: 0.002 }] }),
    });
    expect(alertTexts(spread, 'fr', name('fr'), inWeek)).toEqual({
      title: 'Propagation transfrontalière — Ménaka / Tillabéri, semaine du 30 novembre 2026',
      summary: 'Activité en hausse des deux côtés de la frontière en 14 jours : Ménaka 5 incidents contre 1,2 attendu d’habitude ; Tillabéri 4 incidents contre 0,8 attendu d’habitude.',
    });
  });
  it('keeps a flash alert’s words as written', () => {
    expect(alertTexts(facts({ rule: 'flash', statistics: null, title: 'Embuscade', summary: 'Texte' }), 'en', name('en'))).toEqual({ title: 'Embuscade', summary: 'Texte' });
  });
  it('formats dates and odds the way a reader writes them', () => {
    expect(formatLongDate('2026-12-01T00:00:00Z', 'fr')).toBe('1er décembre 2026');
    expect(formatLongDate('2026-12-01T00:00:00Z', 'en')).toBe('1 December 2026');
    expect(rarity(1 / 12345, 'fr')).toBe('un tel nombre n’arrive par hasard qu’environ une fois sur 12\u202f000');
  });
});
