import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EVENT_TYPES, SUB_EVENT_TYPE_SLUGS, eventTypeOf, foldText, incidentCreateSchema, interactionCode, interactionLabel, ucdpTypeOfViolence } from './index.js';

describe('ACLED taxonomy', () => {
  it('has the 6 event types with their stable slugs and 25 sub-types, each labelled in French and English', () => {
    expect(EVENT_TYPES.map((t) => t.slug)).toEqual(['battles', 'explosions_remote_violence', 'violence_against_civilians', 'protests', 'riots', 'strategic_developments']);
    expect(SUB_EVENT_TYPE_SLUGS).toHaveLength(25);
    expect(new Set(SUB_EVENT_TYPE_SLUGS).size).toBe(25);
    for (const t of EVENT_TYPES) for (const s of t.subTypes) {
      expect(eventTypeOf(s.slug)).toBe(t.slug);
      expect(s.label.fr && s.label.en).toBeTruthy();
    }
  });

  it('derives ACLED interaction codes and UCDP types of violence from actor kinds', () => {
    expect(interactionCode(1, 2)).toBe(12);
    expect(interactionCode(7, 2)).toBe(27);
    expect(interactionCode(1, null)).toBe(10);
    expect(ucdpTypeOfViolence(2, 7)).toBe(3);
    expect(ucdpTypeOfViolence(1, 2)).toBe(1);
    expect(ucdpTypeOfViolence(2, 4)).toBe(2);
  });

  it('writes an interaction code in words, in French and in English, after its number', () => {
    expect(interactionLabel(17, 'fr')).toBe('17 — Forces étatiques / Civils');
    expect(interactionLabel(27, 'en')).toBe('27 — Rebel group / Civilians');
    expect(interactionLabel(30, 'fr')).toBe('30 — Milice politique (acteur unique)');
    expect(interactionLabel(10, 'en')).toBe('10 — State forces (sole actor)');
    // Not an interaction code: written as it is, never half-named.
    expect(interactionLabel(19, 'fr')).toBe('19');
    expect(interactionLabel(90, 'en')).toBe('90');
  });
});

describe('text folding for search', () => {
  it('matches regardless of accents, case and hyphens', () => {
    expect(foldText('Tillabéri')).toBe(foldText('TILLABERI'));
    expect(foldText('Centre-Nord')).toBe('centre nord');
    expect(foldText("Ségou  l'Hôpital")).toBe('segou l hopital');
  });
  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => foldText(foldText(s)) === foldText(s)));
  });
});

describe('incident schema', () => {
  const base = {
    id: '0193a1c2-7d4e-7f00-8000-000000000001', occurred_start: '2026-01-02T03:04:05Z', latitude: 14, longitude: -1,
    event_type: 'battles', sub_event_type: 'armed_clash',
  };
  it('fills defaults for a minimal report', () => {
    const r = incidentCreateSchema.parse(base);
    expect(r).toMatchObject({ status: 'draft', classification: 'restricted', sharing_scope: 'national', fatalities_best: 0, civilian_fatalities: 0 });
  });
  it('refuses inconsistent tolls and times, naming the field', () => {
    const bad = incidentCreateSchema.safeParse({ ...base, fatalities_best: 2, civilian_fatalities: 3, fatalities_low: 5, occurred_end: '2026-01-01T00:00:00Z' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['civilian_fatalities', 'fatalities_low', 'occurred_end']);
  });
});
