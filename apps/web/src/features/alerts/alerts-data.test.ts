import { describe, expect, it } from 'vitest';
import { alertOutline, applyLive, awaitsAcknowledgement, badgeCount, baselineSeries, evidenceToGeoJSON, figuresNote, mayRespond, mergeAlert, type Alert } from './alerts-data';

const alert = (o: Partial<Alert> = {}): Alert => ({
  id: 'a1', rule: 'count_spike', severity: 'high', status: 'issued', title: 'Pic', summary: '', areas: ['ML05'],
  states: [{ state: 'MLI', acknowledged_at: null, acknowledged_by: null, note: null }],
  window_start: '2026-03-16T00:00:00.000Z', window_end: '2026-03-23T00:00:00.000Z',
  statistics: { metric: 'count', observed: 12, expected: 1.5, quantile: 5, quantile_level: 0.99, p_value: 1e-6, distribution: 'poisson', dispersion: null,
    baseline: { from: '2026-02-23T00:00:00.000Z', to: '2026-03-16T00:00:00.000Z', periods: 3, values: [1, 2, 1] } },
  classification: 'restricted', sharing_scope: 'confederation', raised_by: null, created_at: '', updated_at: '', closed_at: null,
  closure_note: null, evidence_count: 12, responses: [], ...o,
});

describe('alert helpers', () => {
  it('knows what awaits a state', () => {
    expect(awaitsAcknowledgement(alert(), 'MLI')).toBe(true);
    expect(awaitsAcknowledgement(alert(), 'NER')).toBe(false);
    expect(awaitsAcknowledgement(alert({ status: 'closed' }), 'MLI')).toBe(false);
    expect(badgeCount([alert(), alert({ id: 'a2', states: [{ state: 'MLI', acknowledged_at: 'x', acknowledged_by: 'u', note: null }] })], 'MLI', true)).toBe(1);
    // The confederation staff count what is still issued.
    expect(badgeCount([alert(), alert({ id: 'a2', status: 'acknowledged' })], 'CONF', false)).toBe(1);
  });
  it('merges live changes into a list', () => {
    expect(mergeAlert([alert()], alert({ status: 'closed' })).map((a) => a.status)).toEqual(['closed']);
    expect(mergeAlert([alert()], alert({ id: 'a2' })).map((a) => a.id)).toEqual(['a2', 'a1']);
  });
  it('applies live changes to a list: an alert that no longer fits leaves, and so does one withdrawn', () => {
    const list = [alert(), alert({ id: 'a2', origin_node: 'conf', read_only: true })];
    expect(applyLive(list, { kind: 'issued', alert: alert({ id: 'a3' }) }).map((a) => a.id)).toEqual(['a3', 'a1', 'a2']);
    expect(applyLive(list, { kind: 'closed', alert: alert({ status: 'closed' }) }, (a) => a.status !== 'closed').map((a) => a.id)).toEqual(['a2']);
    expect(applyLive(list, { kind: 'withdrawn', gone: { id: 'a2', origin_node: 'conf' } }).map((a) => a.id)).toEqual(['a1']);
    expect(applyLive(list, { kind: 'withdrawn', gone: { id: 'a9', origin_node: 'conf' } })).toEqual(list);
  });
  it('lays out the baseline and the observed week for the chart', () => {
    const s = baselineSeries(alert());
    expect(s?.x).toHaveLength(4);
    expect(s?.baseline).toEqual([1, 2, 1, null]);
    expect(s?.observed).toEqual([null, null, null, 12]);
    expect(s?.x[3]).toBe(Date.parse('2026-03-16T00:00:00.000Z') / 1000);
    expect(baselineSeries(alert({ statistics: null }))).toBeNull();
  });
  it('turns evidence into sized points', () => {
    const fc = evidenceToGeoJSON([{ id: 'i', reporting_state: 'MLI', occurred_start: '', admin1_code: 'ML05', admin2_code: null, event_type: 'battles', sub_event_type: 'armed_clash', fatalities_best: 16, civilian_fatalities: 0, latitude: 14.5, longitude: -4.2, classification: 'public' }]);
    expect(fc.features[0]?.geometry.coordinates).toEqual([-4.2, 14.5]);
    expect(fc.features[0]?.properties.radius).toBe(12);
  });

  it('says whose figures the reader sees, and who may respond', () => {
    expect(figuresNote(alert({ figures_for: { view: 'NER', ceiling: 'confidential' } }))).toEqual({ key: 'figures_state', state: 'NER', ceiling: 'confidential' });
    expect(figuresNote(alert({ figures_for: { view: '*', ceiling: 'secret' } }))).toEqual({ key: 'figures_shared', ceiling: 'secret' });
    expect(figuresNote(alert({ figures_for: null }))).toEqual({ key: 'figures_all' });
    expect(figuresNote(alert({ rule: 'flash', figures_for: null }))).toEqual({ key: 'figures_flash' });
    expect(mayRespond(alert(), 'MLI', true)).toBe(true);
    expect(mayRespond(alert(), 'NER', true)).toBe(false);
    expect(mayRespond(alert(), 'CONF', false)).toBe(true);
    expect(mayRespond(alert({ status: 'closed' }), 'MLI', true)).toBe(false);
  });
});

describe('the alert map', () => {
  it('outlines the alerted areas and frames them with the evidence', () => {
    const areas = { features: [
      { geometry: { coordinates: [[[1, 14], [3, 14], [3, 16], [1, 16], [1, 14]]] }, properties: { code: 'ML10' } },
      { geometry: { coordinates: [[[5, 10], [6, 10], [6, 11], [5, 10]]] }, properties: { code: 'NE001' } },
    ] };
    const out = alertOutline(areas, ['ML10', 'NE006'], [{ code: 'NE006', centroid_lat: 14.4, centroid_lon: 1.5 }], [{ latitude: 13.5, longitude: 2 }]);
    expect(out.data.features).toHaveLength(1);
    expect(out.bbox).toEqual([1, 13.5, 3, 16]);
    expect(alertOutline(undefined, ['X'], [], []).bbox).toBeNull();
  });
});
