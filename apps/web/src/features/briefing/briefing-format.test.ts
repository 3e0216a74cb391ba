import { describe, expect, it } from 'vitest';
import { weekChange } from './briefing-format';

describe('weekChange', () => {
  it('says how this week compares with the last, without a ratio over nothing', () => {
    expect(weekChange(6, 4)).toEqual({ delta: 2, trend: 'up', ratio: 0.5 });
    expect(weekChange(1, 4)).toEqual({ delta: -3, trend: 'down', ratio: -0.75 });
    expect(weekChange(3, 3)).toEqual({ delta: 0, trend: 'same', ratio: 0 });
    expect(weekChange(2, 0)).toEqual({ delta: 2, trend: 'up', ratio: null });
  });
});
