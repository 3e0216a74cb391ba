import { describe, expect, it } from 'vitest';
import { isSlowLink } from './link';

describe('slow link detection', () => {
  it('keeps the light map on a remote post\'s link or with data saver on', () => {
    expect(isSlowLink({ effectiveType: '3g', downlink: 0.25 })).toBe(true);
    expect(isSlowLink({ effectiveType: '4g', downlink: 10, saveData: true })).toBe(true);
    expect(isSlowLink({ effectiveType: 'slow-2g' })).toBe(true);
  });

  it('gives the detailed map to a fast or unknown link', () => {
    expect(isSlowLink({ effectiveType: '4g', downlink: 10 })).toBe(false);
    expect(isSlowLink(undefined)).toBe(false);
    expect(isSlowLink({})).toBe(false);
  });
});
