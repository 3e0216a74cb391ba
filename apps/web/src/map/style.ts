/**
 * The map style Vigie builds for itself: every source, font and tile comes from Vigie's own origin, so the map
 * works offline and sends nothing to a third party. Pure: it returns a MapLibre style object and is unit-tested.
 *
 * Tiles: /api/v1/tiles/{z}/{x}/{y}.pbf with the layers `states`, `admin1`, `admin2`, `admin1_labels`,
 * `admin2_labels`, `places` (name, population, rank) and, when the server has it, `water`.
 * Fonts: open Noto Sans files (woff2) declared in `font-faces`; MapLibre (≥ 6) draws the labels' signed-distance
 * glyphs from them in the browser, so no glyph PBFs need generating or serving.
 */
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** The regular and the semibold label fonts, each as font files with the Unicode ranges they cover. */
export interface FontFiles {
  regular: { url: string; ranges: string[] }[];
  bold: { url: string; ranges: string[] }[];
}

export interface StyleOptions {
  /** The page's origin (absolute URLs are required by the map engine's worker). */
  origin: string;
  lang: 'fr' | 'en';
  fonts: FontFiles;
  /** Draw the vector tiles (boundaries, labels, places). Off: only the background and what pages add. */
  tiles?: boolean;
}

export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans SemiBold';
export const TILE_MAX_ZOOM = 12;

/** Who the boundaries and places come from: shown in the map's attribution control and under the picker. */
export const GEO_ATTRIBUTION = 'GeoNames (CC BY 4.0) · OCHA COD · geoBoundaries (CC BY 4.0) · Natural Earth';

export const COLOURS = {
  sea: '#d7e3ec',
  land: '#f6f3ea',
  member: '#fbf9f3',
  water: '#a9c6dc',
  state: '#4a4a4a',
  admin1: '#7d7468',
  admin2: '#b3aa9c',
  text: '#2b2b2b',
  halo: '#ffffff',
} as const;

/**
 * The largest rank (1 = capitals and big cities … 5 = villages) labelled from a zoom on: big places first, every
 * village when close in. The tiles already leave small places out of far views; this keeps the style honest too.
 */
export const PLACE_RANK_BY_ZOOM: [number, number][] = [[0, 1], [3, 2], [5, 3], [7, 4], [8, 5]];

/** A step expression over the zoom: the largest rank labelled. */
function maxRank(): ExpressionSpecification {
  const [[, first], ...rest] = PLACE_RANK_BY_ZOOM;
  return ['step', ['zoom'], first, ...rest.flatMap(([z, r]) => [z, r])] as ExpressionSpecification;
}
const rank: ExpressionSpecification = ['coalesce', ['get', 'rank'], 5];

/** Places of the member states first; neighbours' towns (for orientation) after them and in grey. */
export function placeEmphasis(members: string[]): { sortKey: ExpressionSpecification; colour: ExpressionSpecification | string } {
  const member: ExpressionSpecification = ['in', ['get', 'state'], ['literal', members]];
  const byRank: ExpressionSpecification = ['-', ['*', rank, 10_000_000], ['coalesce', ['get', 'population'], 0]];
  if (!members.length) return { sortKey: byRank, colour: COLOURS.text };
  return { sortKey: ['+', byRank, ['case', member, 0, 100_000_000]], colour: ['case', member, COLOURS.text, '#6e6e6e'] };
}

/** A feature's name in the reader's language, falling back to any name it has. */
export function nameExpression(lang: 'fr' | 'en'): ExpressionSpecification {
  return ['coalesce', ['get', `name_${lang}`], ['get', 'name'], ['get', lang === 'fr' ? 'name_en' : 'name_fr'], ''];
}

/** The label and boundary layers over the vector tiles. */
export function tileLayers(lang: 'fr' | 'en'): LayerSpecification[] {
  const name = nameExpression(lang);
  const halo = { 'text-color': COLOURS.text, 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.6, 'text-halo-blur': 0.3 };
  return [
    { id: 'states-fill', type: 'fill', source: 'vigie', 'source-layer': 'states', paint: { 'fill-color': COLOURS.member } },
    { id: 'water-fill', type: 'fill', source: 'vigie', 'source-layer': 'water', filter: ['!=', ['geometry-type'], 'LineString'], paint: { 'fill-color': COLOURS.water } },
    { id: 'water-line', type: 'line', source: 'vigie', 'source-layer': 'water', filter: ['==', ['geometry-type'], 'LineString'], minzoom: 5, paint: { 'line-color': COLOURS.water, 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.6, 10, 2] } },
    { id: 'admin2-line', type: 'line', source: 'vigie', 'source-layer': 'admin2', minzoom: 5.5, paint: { 'line-color': COLOURS.admin2, 'line-width': ['interpolate', ['linear'], ['zoom'], 5.5, 0.4, 10, 1.2], 'line-dasharray': [3, 2] } },
    { id: 'admin1-line', type: 'line', source: 'vigie', 'source-layer': 'admin1', paint: { 'line-color': COLOURS.admin1, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.5, 10, 2] } },
    { id: 'states-line', type: 'line', source: 'vigie', 'source-layer': 'states', paint: { 'line-color': COLOURS.state, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1, 10, 3] } },
    {
      id: 'admin1-labels', type: 'symbol', source: 'vigie', 'source-layer': 'admin1_labels', minzoom: 4, maxzoom: 8,
      layout: { 'text-field': name, 'text-font': [FONT_BOLD], 'text-size': ['interpolate', ['linear'], ['zoom'], 4, 9, 7, 13], 'text-transform': 'uppercase', 'text-letter-spacing': 0.08, 'text-max-width': 8, 'text-padding': 4 },
      paint: { ...halo, 'text-color': '#6b5f52' },
    },
    {
      id: 'admin2-labels', type: 'symbol', source: 'vigie', 'source-layer': 'admin2_labels', minzoom: 7, maxzoom: 10,
      layout: { 'text-field': name, 'text-font': [FONT_REGULAR], 'text-size': 12, 'text-max-width': 7, 'text-padding': 4 },
      paint: { ...halo, 'text-color': '#7d7468' },
    },
    {
      id: 'places-dot', type: 'circle', source: 'vigie', 'source-layer': 'places',
      filter: ['<=', rank, maxRank()],
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 2, 10, 3.5], 'circle-color': COLOURS.text, 'circle-stroke-color': COLOURS.halo, 'circle-stroke-width': 1 },
    },
    {
      id: 'places', type: 'symbol', source: 'vigie', 'source-layer': 'places',
      filter: ['<=', rank, maxRank()],
      layout: {
        // Bigger places first (by rank, then population): they win the collisions and keep their label.
        'symbol-sort-key': placeEmphasis([]).sortKey,
        'text-field': name, 'text-font': [FONT_REGULAR],
        'text-size': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 0, 12.5, 100_000, 14, 1_000_000, 17],
        'text-anchor': 'bottom', 'text-offset': [0, -0.3], 'text-max-width': 8, 'text-padding': 3,
      },
      paint: halo,
    },
  ];
}

/** The whole style: background, then (with tiles) land, water, boundaries and labels. Pages add their layers. */
export function buildStyle({ origin, lang, fonts, tiles = true }: StyleOptions): StyleSpecification {
  const face = (files: FontFiles['regular']) => files.map((f) => ({ url: new URL(f.url, origin).href, 'unicode-range': f.ranges }));
  return {
    version: 8,
    // No `glyphs` URL: every label is drawn in the browser from the declared font files, and a character none of
    // them covers from the device's own fonts, so the map never asks for glyph tiles (nor a foreign server).
    'font-faces': { [FONT_REGULAR]: face(fonts.regular), [FONT_BOLD]: face(fonts.bold) },
    sources: tiles
      ? { vigie: { type: 'vector', tiles: [`${origin}/api/v1/tiles/{z}/{x}/{y}.pbf`], minzoom: 0, maxzoom: TILE_MAX_ZOOM, attribution: GEO_ATTRIBUTION } }
      : {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': COLOURS.sea } }, ...(tiles ? tileLayers(lang) : [])],
  } as StyleSpecification;
}

/** The layer ids that draw labels (for checks and for placing page layers under them). */
export const LABEL_LAYER_IDS = ['admin1-labels', 'admin2-labels', 'places', 'places-dot'];
