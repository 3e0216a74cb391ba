/**
 * The one wrapper around the map engine (MapLibre GL). Pages and layers talk to this small API, so the
 * engine can change in one place. The style (./style.ts) has no foreign source: the country outlines from
 * Natural Earth (world-atlas, bundled), Vigie's own vector tiles (boundaries, places, labels), fonts shipped
 * with the app, and GeoJSON from our own API.
 */
import { AttributionControl, Map as MapLibreMap, Marker, NavigationControl, Popup, setWorkerUrl, type GeoJSONSource, type LayerSpecification, type MapGeoJSONFeature, type MapLayerMouseEvent, type MapMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { loadReference } from '../api/reference';
import { FONT_FILES } from './fonts';
import { buildStyle, COLOURS, GEO_ATTRIBUTION, LABEL_LAYER_IDS, nameExpression, placeEmphasis } from './style';

export interface View {
  zoom: number;
  bbox: [number, number, number, number];
}

export type LayerPosition = 'under-boundaries' | 'under-labels' | 'top';

export interface MapApi {
  ready: Promise<void>;
  setData(sourceId: string, data: object): void;
  /** Adds a page layer: under the boundaries (area fills), under the labels (points, the default) or on top. */
  addLayer(layer: LayerSpecification, position?: LayerPosition): void;
  /** Moves the view to a point (a searched place). */
  flyTo(p: { lat: number; lon: number }, zoom?: number): void;
  /** Frames a box [west, south, east, north] (an alert's area and its incidents). */
  fitBounds(bbox: [number, number, number, number]): void;
  /** Labels in this language. */
  setLanguage(lang: 'fr' | 'en'): void;
  /** The member states, whose places are labelled before their neighbours'. */
  setMembers(states: string[]): void;
  setVisible(layerId: string, visible: boolean): void;
  onClick(layerId: string, fn: (props: Record<string, unknown>, lngLat: [number, number]) => void): void;
  onView(fn: (view: View) => void): void;
  popup(lngLat: [number, number], content: HTMLElement): void;
  /** A click anywhere on the map (to pick a location). */
  onMapClick(fn: (p: { lat: number; lon: number }) => void): void;
  /** Shows one marker at a point, or none. */
  setMarker(p: { lat: number; lon: number } | null): void;
  view(): View;
  /** How many features each of these layers shows on screen now (placed labels only, for symbol layers). */
  rendered(layerIds: string[]): Record<string, number>;
  /** Resolves once the map has drawn everything it was given. */
  idle(): Promise<void>;
  remove(): void;
}

/** Whether this browser can draw the map at all (WebGL). */
export function canDrawMaps(): boolean {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') ?? c.getContext('webgl'));
  } catch {
    return false;
  }
}

// The engine's worker is its own file: point the engine at the copy the build emits.
setWorkerUrl(workerUrl);

let countries: Promise<object> | null = null;
/** Country outlines (Natural Earth 1:110m), loaded once, only by map pages. */
function countryOutlines(): Promise<object> {
  countries ??= import('world-atlas/countries-110m.json').then((m) => {
    const topo = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    return feature(topo, topo.objects.countries);
  });
  return countries;
}

/** Creates a map in `container`, centred on the Sahel, with the base layers. */
export function createMap(container: HTMLElement, options: { center?: [number, number]; zoom?: number; ariaLabel: string; lang?: 'fr' | 'en' }): MapApi {
  const map = new MapLibreMap({
    container,
    style: buildStyle({ origin: window.location.origin, lang: options.lang ?? 'fr', fonts: FONT_FILES }),
    center: options.center ?? [0.5, 16],
    zoom: options.zoom ?? 4.2,
    minZoom: 2,
    maxZoom: 13,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new AttributionControl({ compact: true, customAttribution: GEO_ATTRIBUTION }));
  map.getCanvas().setAttribute('aria-label', options.ariaLabel);

  const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()));
  const ready = loaded.then(async () => {
    map.addSource('countries', { type: 'geojson', data: (await countryOutlines()) as GeoJSON.FeatureCollection });
    // Neighbours come from Natural Earth; the member states' own land and boundaries from the tiles, drawn over them.
    const first = map.getLayer('states-fill') ? 'states-fill' : undefined;
    map.addLayer({ id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': COLOURS.land } }, first);
    map.addLayer({ id: 'countries-line', type: 'line', source: 'countries', paint: { 'line-color': '#8a8a8a', 'line-width': 0.8 } }, first);
  });
  const beforeId = (position: LayerPosition): string | undefined => {
    const candidates = position === 'under-boundaries' ? ['water-fill', 'admin2-line', ...LABEL_LAYER_IDS] : position === 'under-labels' ? LABEL_LAYER_IDS : [];
    return candidates.find((id) => map.getLayer(id));
  };

  // Member states from the reference (cached, usually already loaded by the page).
  void loadReference().then((r) => api.setMembers(r.states.map((st) => st.code)), () => undefined);

  let marker: Marker | null = null;
  const api: MapApi = {
    ready,
    setData(sourceId, data) {
      const src = map.getSource(sourceId) as GeoJSONSource | undefined;
      if (src) src.setData(data as GeoJSON.GeoJSON);
      else map.addSource(sourceId, { type: 'geojson', data: data as GeoJSON.GeoJSON });
    },
    addLayer(layer, position = 'under-labels') {
      if (!map.getLayer(layer.id)) map.addLayer(layer, beforeId(position));
    },
    flyTo(p, zoom = 9) {
      map.flyTo({ center: [p.lon, p.lat], zoom: Math.max(zoom, map.getZoom()), essential: true });
    },
    fitBounds(bbox) {
      map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 24, maxZoom: 9, animate: false });
    },
    setMembers(states) {
      const { sortKey, colour } = placeEmphasis(states);
      void ready.then(() => {
        if (!map.getLayer('places')) return;
        map.setLayoutProperty('places', 'symbol-sort-key', sortKey);
        map.setPaintProperty('places', 'text-color', colour);
      });
    },
    setLanguage(lang) {
      for (const id of ['admin1-labels', 'admin2-labels', 'places']) if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', nameExpression(lang));
    },
    setVisible(layerId, visible) {
      if (map.getLayer(layerId)) map.setLayoutProperty(layerId, 'visibility', visible ? 'visible' : 'none');
    },
    onClick(layerId, fn) {
      map.on('click', layerId, (e: MapLayerMouseEvent) => {
        const f: MapGeoJSONFeature | undefined = e.features?.[0];
        if (f) fn(f.properties as Record<string, unknown>, [e.lngLat.lng, e.lngLat.lat]);
      });
      map.on('mouseenter', layerId, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', layerId, () => { map.getCanvas().style.cursor = ''; });
    },
    onView(fn) {
      map.on('moveend', () => fn(api.view()));
    },
    popup(lngLat, content) {
      new Popup({ closeButton: true, maxWidth: '280px' }).setLngLat(lngLat).setDOMContent(content).addTo(map);
    },
    onMapClick(fn) {
      map.on('click', (e: MapMouseEvent) => fn({ lat: e.lngLat.lat, lon: e.lngLat.lng }));
    },
    setMarker(p) {
      if (!p) { marker?.remove(); marker = null; return; }
      marker ??= new Marker({ color: '#b30000' });
      marker.setLngLat([p.lon, p.lat]).addTo(map);
    },
    rendered(layerIds) {
      const present = layerIds.filter((id) => map.getLayer(id));
      const counts: Record<string, number> = Object.fromEntries(present.map((id) => [id, 0]));
      for (const f of map.queryRenderedFeatures({ layers: present })) counts[f.layer.id] = (counts[f.layer.id] ?? 0) + 1;
      return counts;
    },
    view() {
      const b = map.getBounds();
      return { zoom: map.getZoom(), bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
    },
    idle: () => new Promise<void>((resolve) => { if (map.loaded() && !map.isMoving()) { map.once('idle', () => resolve()); map.triggerRepaint(); } else map.once('idle', () => resolve()); }),
    remove: () => map.remove(),
  };
  return api;
}
