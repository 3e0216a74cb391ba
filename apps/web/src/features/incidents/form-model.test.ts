import { incidentCreateSchema } from '@vigie/domain/incident.schema';
import { describe, expect, it } from 'vitest';
import { changedFields, emptyForm, formToBody, localInputToIso, lowersProtection } from './form-model';

describe('incident form model', () => {
  const filled = () => ({
    ...emptyForm(), occurred_start: '2025-03-14T08:00', latitude: '14.49', longitude: '-4.19', event_type: 'battles', sub_event_type: 'armed_clash',
    fatalities_best: '3', civilian_fatalities: '1', sources: [{ name: 'Poste', kind: 'security_forces', reliability: 'B', credibility: '2' }],
  });

  it('builds a body the shared schema accepts', () => {
    const parsed = incidentCreateSchema.safeParse({ id: '01950000-0000-7000-8000-000000000000', ...formToBody(filled()) });
    expect(parsed.success).toBe(true);
  });

  it('keeps bad input for the schema to name the field', () => {
    const body = formToBody({ ...filled(), latitude: 'abc', fatalities_best: '' });
    const parsed = incidentCreateSchema.safeParse({ id: '01950000-0000-7000-8000-000000000000', ...body });
    expect(parsed.success).toBe(false);
    const fields = parsed.error?.issues.map((i) => i.path.join('.'));
    expect(fields).toContain('latitude');
    expect(fields).toContain('fatalities_best');
  });

  it('drops an untouched empty source row and reads times as UTC', () => {
    expect(formToBody({ ...filled(), sources: [{ name: '', kind: 'media', reliability: 'F', credibility: '6' }] }).sources).toEqual([]);
    expect(localInputToIso('2025-03-14T08:00')).toBe('2025-03-14T08:00:00Z');
  });

  it('sends only the changed fields in a patch', () => {
    const base = formToBody(filled());
    expect(changedFields(base, formToBody({ ...filled(), injured: '4' }))).toEqual({ injured: 4 });
  });
});

describe('lowering a protection', () => {
  const base = { classification: 'confidential', exact_location_classification: 'secret' } as const;
  it('is recognised so the form asks for a reason before sending', () => {
    expect(lowersProtection(base, { classification: 'restricted' })).toBe(true);
    expect(lowersProtection(base, { exact_location_classification: null })).toBe(true);
    expect(lowersProtection(base, { exact_location_classification: 'confidential' })).toBe(true);
    expect(lowersProtection(base, { classification: 'secret', injured: 2 })).toBe(false);
    expect(lowersProtection({ classification: 'restricted', exact_location_classification: null }, { exact_location_classification: 'confidential' })).toBe(false);
  });
});
