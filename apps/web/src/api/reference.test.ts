import { describe, expect, it } from 'vitest';
import { actorName } from './reference';

const ref = { actors: [{ code: 'GAN', name: 'Groupes armés non étatiques' }, { code: 'CIVILS', name: 'Civils' }] } as never;

describe("an actor's name on the detail page", () => {
  it('is the name from the reference data, not the code', () => {
    expect(actorName(ref, 'GAN')).toBe('Groupes armés non étatiques');
    expect(actorName(ref, 'CIVILS')).toBe('Civils');
  });
  it('falls back to the code when the actor is unknown or the reference data is not loaded yet', () => {
    expect(actorName(ref, 'XYZ')).toBe('XYZ');
    expect(actorName(undefined, 'GAN')).toBe('GAN');
  });
});
