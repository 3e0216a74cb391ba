import { describe, expect, it } from 'vitest';
import { pointLabel } from './point-label';

const t = (key: string, o?: Record<string, unknown>) => (key === 'map.near_place' ? `près de ${String(o?.place)} (${String(o?.km)} km)` : key);
const states = (code: string) => ({ BFA: 'Burkina Faso' }[code] ?? code);

describe('pointLabel', () => {
  it('names a cluster by its nearest place, its areas and its state', () => {
    const p = { latitude: 14.25, longitude: -1.75, state: 'BFA', admin1: { code: 'BF-SA', name_fr: 'Sahel', name_en: 'Sahel' }, admin2: { code: 'BF-SO', name_fr: 'Soum', name_en: 'Soum' }, place: { name: 'Djibo', distance_km: 12 } };
    expect(pointLabel(p, 'fr', states, t)).toBe('près de Djibo (12 km) — Soum, Sahel (Burkina Faso)');
    expect(pointLabel({ ...p, place: null, admin2: null }, 'fr', states, t)).toBe('Sahel (Burkina Faso)');
    expect(pointLabel({ ...p, admin2: { code: 'ML-MO', name_fr: 'Sahel', name_en: 'Sahel' } }, 'fr', states, t)).toBe('près de Djibo (12 km) — Sahel (Burkina Faso)');
    expect(pointLabel({ ...p, place: null, admin1: null, admin2: null, state: null }, 'fr', states, t)).toBeNull();
  });
});
