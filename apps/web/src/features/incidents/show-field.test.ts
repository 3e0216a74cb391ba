import { describe, expect, it } from 'vitest';
import { showField } from './show-field';

const ref = {
  alliance: { code: 'AES', name_fr: 'Confédération des États du Sahel', name_en: 'Confederation of Sahel States' },
  states: [{ code: 'MLI', name_fr: 'Mali', name_en: 'Mali' }],
  admin_areas: [{ code: 'ML05', state: 'MLI', level: 1, name_fr: 'Mopti', name_en: 'Mopti' }],
  actors: [{ code: 'GAN', name: 'Groupe armé non identifié' }],
} as never;
const t = (key: string) => key;

describe('a field of a history, conflict or merge table', () => {
  it('is written in words: places, actors, the interaction code after its number, the merged-into record by its short id', () => {
    const fr = { t, lang: 'fr' as const, ref };
    expect(showField(fr, 'admin1_code', 'ML05')).toBe('Mopti');
    expect(showField(fr, 'actor1', 'GAN')).toBe('Groupe armé non identifié');
    expect(showField(fr, 'interaction', 17)).toBe('17 — Forces étatiques / Civils');
    expect(showField({ ...fr, lang: 'en' }, 'interaction', 27)).toBe('27 — Rebel group / Civilians');
    expect(showField(fr, 'merged_into', '01a23f11-3fa8-7405-9c93-00a3ecc77cb1')).toBe('01a23f11');
    expect(showField(fr, 'merged_into', null)).toBe('—');
  });
});
