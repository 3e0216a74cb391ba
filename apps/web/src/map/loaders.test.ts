import { describe, expect, it } from 'vitest';
import type { AreaCollection } from '../api/types';
import { CHOROPLETH_COLOURS, cellBbox, cellForZoom, roundBbox, choroplethData, classOf, gridToGeoJSON, lastMonths, legendClasses, monthsBetween, quantileBreaks } from './loaders';

describe('map data loaders', () => {
  it('asks for finer server clusters as the user zooms in', () => {
    expect([3, 5, 6, 8].map(cellForZoom)).toEqual([1, 0.5, 0.25, 0.1]);
  });

  it('turns grid cells into sized points and skips empty ones', () => {
    const fc = gridToGeoJSON({ cell: 0.5, items: [
      { lat: 14.25, lon: -4.25, incidents: 9, fatalities: 3, civilian_fatalities: 1 },
      { lat: 13.75, lon: 1.25, incidents: 1, fatalities: 0, civilian_fatalities: 0 },
      { lat: 12.25, lon: 2.25, incidents: 0, fatalities: 0, civilian_fatalities: 0 },
    ] });
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0]?.geometry.coordinates).toEqual([-4.25, 14.25]);
    expect(Number(fc.features[0]?.properties.radius)).toBeGreaterThan(Number(fc.features[1]?.properties.radius));
    expect(gridToGeoJSON({ cell: 0.5, items: [{ lat: 1, lon: 1, incidents: 3, fatalities: 0, civilian_fatalities: 0 }] }, 'fatalities').features).toEqual([]);
  });

  it('rounds a view outwards to whole degrees for the fine grid', () => {
    expect(roundBbox([-4.3, 13.2, -1.1, 15.9])).toBe('-5,13,-1,16');
    expect(roundBbox([-200, -95, 200, 95])).toBe('-180,-90,180,90');
  });

  it('gives the bbox of a cell', () => {
    expect(cellBbox(-4.25, 14.25, 0.5)).toBe('-4.5,14,-4,14.5');
  });

  it('classes values by quantiles, zero apart', () => {
    const breaks = quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(breaks).toEqual([3, 5, 7, 9]);
    expect(classOf(0, breaks)).toBe(0);
    expect(classOf(1, breaks)).toBe(1);
    expect(classOf(10, breaks)).toBe(5);
  });

  it('lists the legend classes matching the colours the areas get', () => {
    const breaks = quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    const classes = legendClasses(breaks);
    expect(classes.map((c) => [c.from, c.to])).toEqual([[0, 0], [1, 3], [4, 5], [6, 7], [8, 9], [10, null]]);
    expect(classes.map((c) => c.colour)).toEqual(CHOROPLETH_COLOURS);
    // Each value falls in the class whose colour it gets on the map.
    for (const v of [0, 1, 3, 4, 7, 8, 10]) {
      const k = classOf(v, breaks);
      const c = classes[k];
      expect(v >= c.from && (c.to === null || v <= c.to)).toBe(true);
    }
    expect(legendClasses([])).toHaveLength(1);
  });

  it('joins admin-2 areas with the admin-2 rows', () => {
    const areas: AreaCollection = { type: 'FeatureCollection', features: ['BF4601', 'BF4602'].map((code) => ({
      type: 'Feature', id: code, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { code, state: 'BFA', level: 2, parent: 'BF46', name_fr: code, name_en: code, boundary_set: null },
    })) };
    const { data } = choroplethData(areas, [{ admin1: 'BF46', admin2: 'BF4602', incidents: 7, fatalities: 1, civilian_fatalities: 0, injured: 0, abducted: 0 }], 'incidents', 2);
    expect(data.features.map((f) => f.properties.value)).toEqual([0, 7]);
    expect(data.features[1].geometry.type).toBe('Polygon');
    expect(data.features[1].properties.colour).not.toBe(CHOROPLETH_COLOURS[0]);
  });

  it('joins areas with their counts for the choropleth', () => {
    const areas: AreaCollection = { type: 'FeatureCollection', features: ['ML05', 'ML07'].map((code) => ({
      type: 'Feature', id: code, geometry: { type: 'Point', coordinates: [0, 0] }, properties: { code, state: 'MLI', level: 1, parent: null, name_fr: code, name_en: code, boundary_set: null },
    })) };
    const { data } = choroplethData(areas, [{ admin1: 'ML05', incidents: 4, fatalities: 10, civilian_fatalities: 2, injured: 0, abducted: 0 }], 'fatalities');
    expect(data.features.map((f) => (f.properties as unknown as { value: number }).value)).toEqual([10, 0]);
  });

  it('lists months for the period slider', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(lastMonths(3, new Date('2026-01-15T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01']);
  });
});
