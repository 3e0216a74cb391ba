import { describe, expect, it } from 'vitest';
import { fitProjection, geometryBbox, intersects, labelPoint, svgPath } from './project';

describe('small static map projection', () => {
  const p = fitProjection([-10, 10, 10, 20], 400);

  it('maps the corners of the bbox to the corners of the picture', () => {
    expect(p.point(-10, 20)).toEqual([0, 0]);
    const [x, y] = p.point(10, 10);
    expect(x).toBe(400);
    expect(Math.abs(y - p.height)).toBeLessThan(0.5);
    expect(p.height).toBeGreaterThan(200); // longitudes are shortened by cos(15°)
  });

  it('turns a click on the picture back into coordinates', () => {
    const [lon, lat] = p.invert(...p.point(-4.19, 14.49));
    expect(lon).toBeCloseTo(-4.19, 1);
    expect(lat).toBeCloseTo(14.49, 1);
  });

  it('draws polygons and finds their extent', () => {
    const square = { type: 'Polygon', coordinates: [[[-10, 10], [0, 10], [0, 20], [-10, 20], [-10, 10]]] };
    expect(svgPath(square, p)).toMatch(/^M0,\d+(\.\d)?L200,/);
    expect(svgPath(square, p).endsWith('Z')).toBe(true);
    expect(geometryBbox(square)).toEqual([-10, 10, 0, 20]);
    expect(intersects([-10, 10, 0, 20], [5, 5, 6, 6])).toBe(false);
    expect(svgPath({ type: 'Point', coordinates: [0, 0] }, p)).toBe('');
  });

  it('puts a label in the middle of the largest part', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[10, 10], [14, 10], [14, 12], [10, 10]]]] };
    expect(labelPoint(multi)).toEqual([12, 11]);
    expect(labelPoint({ type: 'Point', coordinates: [3, 4] })).toEqual([3, 4]);
    expect(labelPoint({ type: 'LineString', coordinates: [] })).toBeNull();
  });
});
