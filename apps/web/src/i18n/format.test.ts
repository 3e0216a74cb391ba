import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatLevel, formatProbability, formatWindow } from './format';

const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

describe('locale formats', () => {
  it('writes the first of the month as French does', () => {
    expect(formatDate('2026-12-01T10:00:00Z', 'fr')).toBe('1er déc. 2026');
    expect(formatDate('2026-12-11T10:00:00Z', 'fr')).toBe('11 déc. 2026');
    expect(formatDate('2026-12-01T10:00:00Z', 'en')).toBe('1 Dec 2026');
    expect(formatDateTime('2026-12-01T10:05:00Z', 'fr')).toBe('1er déc. 2026, 10:05 UTC');
  });
  it('shows a week window by the days it covers (the end is exclusive)', () => {
    expect(plain(formatWindow('2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 'fr'))).toMatch(/^30 nov\. – 6 déc\. 2026$/);
    expect(plain(formatWindow('2026-12-01T00:00:00.000Z', '2026-12-08T00:00:00.000Z', 'fr'))).toMatch(/^1er–7 déc\. 2026$/);
    expect(plain(formatWindow('2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 'en'))).toMatch(/^30 Nov – 6 Dec 2026$/);
  });
  it('never shows a raw level or a computer exponent', () => {
    expect(plain(formatLevel(0.99, 'fr'))).toBe('99 %');
    expect(formatLevel(0.995, 'en')).toBe('99.5%');
    expect(formatProbability(1.9e-8, 'fr')).toBe('1,9 × 10⁻⁸');
    expect(formatProbability(1e-6, 'en')).toBe('10⁻⁶');
    expect(formatProbability(0.0123, 'fr')).toBe('0,012');
  });
});
