import { useEffect, useMemo, useState } from 'react';
import { Link } from '../../app/router';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { useLang } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { FeatureCollection } from '../loaders';
import { fitProjection, geometryBbox, intersects, svgPath, type Bbox, type Projection } from './project';

export interface Country {
  id: string;
  bbox: Bbox;
  geometry: { type: string; coordinates: unknown };
}

let countries: Promise<Country[]> | null = null;
/** Natural Earth 1:110m outlines from the world-atlas package (a lazy chunk of ~40 KB gzip). */
export function loadCountries(): Promise<Country[]> {
  countries ??= import('world-atlas/countries-110m.json').then((m) => {
    const topo = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection }>;
    const fc = feature(topo, topo.objects.countries) as unknown as { features: { id?: string | number; geometry: Country['geometry'] | null }[] };
    return fc.features.flatMap((f) => (f.geometry ? [{ id: String(f.id ?? ''), geometry: f.geometry, bbox: geometryBbox(f.geometry) }] : []));
  });
  return countries;
}

/**
 * A light static map for the dashboard (SVG, no map engine): the member states and their neighbours, and the
 * server's clusters as discs; each disc links to the list of its incidents. The full map page uses MapLibre.
 */
export default function MiniMap({ grid, memberIsoNumeric, cellHref, width = 800 }: { grid: FeatureCollection; memberIsoNumeric: string[]; cellHref?: (lon: number, lat: number, cell: number) => string; width?: number }) {
  const { t, lang } = useLang();
  const [all, setAll] = useState<Country[] | null>(null);
  useEffect(() => { void loadCountries().then(setAll); }, []);

  const view = useMemo(() => (all ? regionView(all, memberIsoNumeric, width) : null), [all, memberIsoNumeric, width]);

  if (!view) return <div className="map placeholder" role="status">{t('app.loading')}</div>;
  const { p, shapes } = view;
  // With links on its discs the map is a group of controls (an image may not hold any: axe's nested-interactive).
  return (
    <svg className="minimap" viewBox={`0 0 ${p.width} ${p.height}`} role={cellHref ? 'group' : 'img'} aria-labelledby="minimap-title" data-map-ready="true" data-testid="minimap">
      <title id="minimap-title">{t('map.map_label')}</title>
      <rect width={p.width} height={p.height} fill="#d7e3ec" />
      {shapes.map((s) => <path key={s.id} d={s.d} fill={s.member ? '#fbf9f3' : '#ece8dc'} stroke={s.member ? '#444' : '#8a8a8a'} strokeWidth={s.member ? 1.2 : 0.6} />)}
      {grid.features.map((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const [x, y] = p.point(lon, lat);
        const label = `${t('measures.incidents')}${t('common.sep')}${formatNumber(Number(f.properties.incidents), lang)} · ${t('measures.fatalities')}${t('common.sep')}${formatNumber(Number(f.properties.fatalities), lang)} · ${t('measures.civilian_fatalities')}${t('common.sep')}${formatNumber(Number(f.properties.civilian_fatalities), lang)}`;
        const disc = (
          <circle key={`${lon},${lat}`} cx={x} cy={y} r={Number(f.properties.radius) * (width / 800)} fill="#b3261e" fillOpacity={0.55} stroke="#fff" strokeWidth={1}>
            <title>{label}</title>
          </circle>
        );
        return cellHref ? <Link key={`${lon},${lat}`} to={cellHref(lon, lat, Number(f.properties.cell))} aria-label={label}>{disc}</Link> : disc;
      })}
    </svg>
  );
}

/** The member states and their neighbours, fitted to `width` pixels. */
export function regionView(all: Country[], memberIsoNumeric: string[], width: number) {
  const members = all.filter((c) => memberIsoNumeric.includes(c.id));
  const b: Bbox = members.length ? members.map((c) => c.bbox).reduce(union) : [-18, 4, 25, 28];
  const bbox: Bbox = [b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1];
  const p = fitProjection(bbox, width);
  return { p, shapes: countryShapes(all, memberIsoNumeric, bbox, p) };
}

/** The outlines of the countries that show in `bbox`, drawn with `p`; the member states marked. */
export function countryShapes(all: Country[], memberIsoNumeric: string[], bbox: Bbox, p: Projection) {
  return all.filter((c) => intersects(c.bbox, bbox)).map((c) => ({ id: c.id, member: memberIsoNumeric.includes(c.id), d: svgPath(c.geometry, p) }));
}

/**
 * The frame of a map of areas, fitted to `width` pixels: their extent and a degree around it, where the neighbours'
 * edges show. Known from the areas alone, so they are drawn without waiting for the countries' outlines.
 */
export function areasFrame(geometries: { type: string; coordinates: unknown }[], width: number): { bbox: Bbox; p: Projection } | null {
  const boxes = geometries.map((g) => (g.type === 'Point' ? pointBbox(g.coordinates as number[]) : geometryBbox(g))).filter((b) => Number.isFinite(b[0]));
  if (!boxes.length) return null;
  const b = boxes.reduce(union);
  const bbox: Bbox = [b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1];
  return { bbox, p: fitProjection(bbox, width) };
}

const union = (a: Bbox, c: Bbox): Bbox => [Math.min(a[0], c[0]), Math.min(a[1], c[1]), Math.max(a[2], c[2]), Math.max(a[3], c[3])];
const pointBbox = ([x, y]: number[]): Bbox => [x ?? NaN, y ?? NaN, x ?? NaN, y ?? NaN];
