import { afterEach, describe, expect, it, vi } from 'vitest';

const ref = {
  actors: [{ code: 'GAN', name: 'Groupes armés non étatiques' }, { code: 'CIVILS', name: 'Civils' }],
  states: [{ code: 'MLI', name_fr: 'Mali', name_en: 'Mali' }, { code: 'BFA', name_fr: 'Burkina Faso', name_en: 'Burkina Faso' }],
  admin_areas: [{ code: 'ML05', state: 'MLI', name_fr: 'Mopti', name_en: 'Mopti' }],
};

/** The module afresh (its reference data not loaded yet), with the API's answer to GET /reference. */
async function referenceModule(answer: () => Promise<unknown>) {
  vi.resetModules();
  vi.doMock('./generated', () => ({ getReference: answer }));
  return import('./reference');
}

afterEach(() => {
  vi.doUnmock('./generated');
});

describe("names from the reference data (an actor's, a state's, an area's)", () => {
  it('are the names, not the codes; an unknown code is written as it is', async () => {
    const { actorName, areaWithState, placeName } = await referenceModule(() => Promise.resolve(ref));
    expect(actorName(ref as never, 'GAN')).toBe('Groupes armés non étatiques');
    expect(actorName(ref as never, 'CIVILS')).toBe('Civils');
    expect(actorName(ref as never, 'XYZ')).toBe('XYZ');
    expect(placeName(ref as never, 'MLI', 'fr')).toBe('Mali');
    expect(areaWithState(ref as never, 'ML05', 'fr')).toBe('Mopti (Mali)');
    expect(placeName(ref as never, 'ZZ99', 'fr')).toBe('ZZ99');
  });

  it('never flash the raw code while the reference data is on its way, and come from the copy already loaded', async () => {
    let arrive: (r: unknown) => void = () => undefined;
    const { actorName, areaWithState, loadReference, NAME_PENDING, placeName } = await referenceModule(() => new Promise((resolve) => { arrive = resolve; }));
    const loading = loadReference();
    expect(actorName(undefined, 'GAN')).toBe(NAME_PENDING);
    expect(placeName(undefined, 'MLI', 'fr')).toBe(NAME_PENDING);
    expect(areaWithState(undefined, 'ML05', 'fr')).toBe(NAME_PENDING);
    expect(placeName(undefined, null, 'fr')).toBe('—');
    arrive(ref);
    await loading;
    // A page whose own copy has not reached its state yet names with the one loaded.
    expect(placeName(undefined, 'MLI', 'fr')).toBe('Mali');
    expect(areaWithState(undefined, 'ML05', 'en')).toBe('Mopti (Mali)');
    expect(actorName(undefined, 'GAN')).toBe('Groupes armés non étatiques');
  });

  it('fall back to the codes once the reference data failed to load, rather than wait for ever', async () => {
    const { actorName, loadReference, placeName } = await referenceModule(() => Promise.reject(new Error('offline')));
    await expect(loadReference()).rejects.toThrow('offline');
    expect(placeName(undefined, 'MLI', 'fr')).toBe('MLI');
    expect(actorName(undefined, 'GAN')).toBe('GAN');
  });
});
