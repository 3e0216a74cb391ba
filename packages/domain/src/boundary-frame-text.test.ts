import { describe, expect, it } from 'vitest';
import { boundaryFrameText, calendarDayText } from './boundary-frame-text.js';

const frame = {
  sets: [
    { code: 'mli-2025-07-01', state: 'MLI', name_fr: 'Mali — 19 régions (2023)', name_en: 'Mali — 19 regions (2023)', valid_from: '2025-07-01' },
    { code: 'ner-ocha-rowca-wca', state: 'NER', name_fr: 'Niger — 8 régions (OCHA)', name_en: 'Niger — 8 regions (OCHA)', valid_from: null },
  ],
};

describe('boundary sets in words', () => {
  it('writes days as in running text: « 1er » in French for the first of the month', () => {
    expect(calendarDayText('2025-07-01', 'fr')).toBe('1er juillet 2025');
    expect(calendarDayText('2025-06-30', 'fr')).toBe('30 juin 2025');
    expect(calendarDayText('2025-07-01', 'en')).toBe('1 July 2025');
  });
  it('names each set with the date it is in force from; a set without one alone, or said so when explicit', () => {
    expect(boundaryFrameText(frame, 'fr')).toBe('Mali — 19 régions (2023), en vigueur depuis le 1er juillet 2025 · Niger — 8 régions (OCHA)');
    expect(boundaryFrameText(frame, 'en', true)).toBe('Mali — 19 regions (2023), in force since 1 July 2025 · Niger — 8 regions (OCHA), in force with no start date');
  });
});
