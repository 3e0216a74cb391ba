import { describe, expect, it } from 'vitest';
import { subTypeGroups } from './sub-types';

describe('the sub-type list of the incident form', () => {
  it('lists the chosen type’s sub-types alphabetically, so « Violences sexuelles » is no longer first', () => {
    const [civilians] = subTypeGroups('fr', 'violence_against_civilians', '');
    expect(civilians?.options.map((o) => o.label)).toEqual(['Attaque', 'Enlèvement / disparition forcée', 'Violences sexuelles']);
    expect(subTypeGroups('en', 'violence_against_civilians', '')[0]?.options[0]?.label).toBe('Abduction/forced disappearance');
  });

  it('finds sub-types of any type by a few letters, accents ignored', () => {
    const found = subTypeGroups('fr', '', 'enlev');
    expect(found.flatMap((g) => g.options.map((o) => o.slug))).toEqual(['abduction_forced_disappearance']);
    expect(subTypeGroups('fr', 'battles', 'explosion').map((g) => g.type)).toEqual(['explosions_remote_violence']);
    expect(subTypeGroups('fr', 'battles', 'zzz')).toEqual([]);
  });
});
