/**
 * The registry of map layer types. Each one installs its sources and styles once and then takes data
 * from its pure loader (../loaders.ts). Adding a layer type is one file here and one entry in LAYERS.
 */
import type { MapApi } from '../map-api';

export interface LayerType {
  id: string;
  /** The map layers (ids) it draws, for showing and hiding. */
  layerIds: string[];
  install(api: MapApi): void;
  update(api: MapApi, data: object): void;
}

/** Admin areas coloured by a measure (fill for polygons, discs at the centroid where there is no polygon). */
export const choroplethLayer: LayerType = {
  id: 'choropleth',
  layerIds: ['choro-fill', 'choro-line', 'choro-point'],
  install(api) {
    api.setData('choropleth', { type: 'FeatureCollection', features: [] });
    // Under the boundaries and labels of the base map, so names stay readable over the colours.
    api.addLayer({ id: 'choro-fill', type: 'fill', source: 'choropleth', filter: ['!=', ['geometry-type'], 'Point'],
      // Lighter close in, where the reader looks for places rather than at the pattern.
      paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 5, 0.8, 9, 0.5] } }, 'under-boundaries');
    api.addLayer({ id: 'choro-line', type: 'line', source: 'choropleth', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#6b6b6b', 'line-width': 0.6 } }, 'under-boundaries');
    api.addLayer({ id: 'choro-point', type: 'circle', source: 'choropleth', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 14, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#555', 'circle-stroke-width': 1 } });
  },
  update: (api, data) => api.setData('choropleth', data),
};

/** Incidents as server-side clusters (grid cells), sized by count. */
export const gridLayer: LayerType = {
  id: 'grid',
  layerIds: ['grid'],
  install(api) {
    api.setData('grid', { type: 'FeatureCollection', features: [] });
    api.addLayer({
      id: 'grid', type: 'circle', source: 'grid',
      paint: { 'circle-radius': ['get', 'radius'], 'circle-color': '#b3261e', 'circle-opacity': 0.6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    });
  },
  update: (api, data) => api.setData('grid', data),
};

/** The areas an alert is about: a light fill and a strong outline, under the base map's boundaries and labels. */
export const outlineLayer: LayerType = {
  id: 'outline',
  layerIds: ['outline-fill', 'outline-line'],
  install(api) {
    api.setData('outline', { type: 'FeatureCollection', features: [] });
    api.addLayer({ id: 'outline-fill', type: 'fill', source: 'outline', paint: { 'fill-color': '#b3261e', 'fill-opacity': 0.08 } }, 'under-boundaries');
    api.addLayer({ id: 'outline-line', type: 'line', source: 'outline', paint: { 'line-color': '#b3261e', 'line-width': 2.5 } }, 'under-labels');
  },
  update: (api, data) => api.setData('outline', data),
};

export const LAYERS = { outline: outlineLayer, choropleth: choroplethLayer, grid: gridLayer } as const;
export type LayerId = keyof typeof LAYERS;
