import { periodKeyOf } from '@vigie/domain/compare-period';
import { describe, expect, it } from 'vitest';
import { changeText, formatSigned, formatSignedPercent, periodName, shiftAnchor } from './compare-format';

describe('period comparison: how changes and periods read', () => {
  it('writes signed changes the French way (minus sign, space before %)', () => {
    expect(formatSigned(-3, 'fr')).toBe('−3');
    expect(formatSigned(12, 'fr')).toBe('+12');
    expect(formatSigned(0, 'fr')).toBe('0');
    expect(formatSignedPercent(0.12, 'fr')).toBe('+12\u202f%');
    expect(formatSignedPercent(-0.034, 'fr')).toBe('−3\u202f%');
    expect(formatSignedPercent(0.12, 'en')).toBe('+12%');
    expect(formatSigned(1234, 'fr')).toMatch(/^\+1\s234$/u);
  });

  it('gives the per cent only against a base', () => {
    expect(changeText(12, 10, 'fr')).toEqual({ text: '+2 (+20\u202f%)', direction: 'up' });
    expect(changeText(3, 0, 'fr')).toEqual({ text: '+3', direction: 'up' });
    expect(changeText(4, 4, 'en')).toEqual({ text: '0', direction: 'same' });
  });

  it('names periods and moves between them', () => {
    expect(periodName('week', '2026-W47', '2026-11-16', '2026-11-22', 'fr')).toBe('semaine 47 de 2026');
    expect(periodName('month', '2026-11', '', '', 'fr')).toBe('novembre 2026');
    expect(periodName('quarter', '2026-Q4', '', '', 'en')).toBe('Q4 2026');
    expect(shiftAnchor('week', '2026-01-05', '2026-01-11', -1, (d) => periodKeyOf('week', d))).toBe('2026-W01');
    expect(shiftAnchor('month', '2026-12-01', '2026-12-31', 1, (d) => periodKeyOf('month', d))).toBe('2027-01');
  });
});
