import { useEffect, useRef, useState } from 'react';
import { useLang } from '../i18n';
import { LAYERS, type LayerId } from './layers';
import { canDrawMaps, createMap, type MapApi, type View } from './map-api';
import { LABEL_LAYER_IDS } from './style';

/** "layer:count" for the page's layers and the base map's boundaries and labels, as drawn now. */
function renderedSummary(api: MapApi): string {
  const ids = [...Object.values(LAYERS).flatMap((l) => l.layerIds), 'states-line', 'admin1-line', 'admin2-line', ...LABEL_LAYER_IDS];
  return Object.entries(api.rendered(ids)).map(([id, n]) => `${id}:${n}`).join(' ');
}

export interface MapViewProps {
  /** Data per layer type; a layer without data is hidden. */
  data: Partial<Record<LayerId, object | null>>;
  onView?(view: View): void;
  /** A click on a layer's feature: the page decides what to show (it gets a popup function). */
  onFeatureClick?(layer: LayerId, props: Record<string, unknown>, lngLat: [number, number], popup: (el: HTMLElement) => void): void;
  className?: string;
  /** A place to fly to and mark (a searched place). */
  focus?: { lat: number; lon: number } | null;
  /** A box [west, south, east, north] to frame once the map is ready (an alert's area). */
  fit?: [number, number, number, number] | null;
}

/** The map (lazy-loaded with the engine): base outlines plus the registered layers, fed by the page. */
export default function MapView({ data, onView, onFeatureClick, className, focus, fit }: MapViewProps) {
  const { t, lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const [api, setApi] = useState<MapApi | null>(null);
  const [ready, setReady] = useState(false);
  const [rendered, setRendered] = useState('');
  const [zoom, setZoom] = useState<number | null>(null);
  const handlers = useRef({ onView, onFeatureClick });
  handlers.current = { onView, onFeatureClick };
  const [ok] = useState(canDrawMaps);

  useEffect(() => {
    if (!ok || !ref.current) return;
    const m = createMap(ref.current, { ariaLabel: t('map.map_label'), lang });
    let alive = true;
    void m.ready.then(() => {
      if (!alive) return;
      for (const [id, layer] of Object.entries(LAYERS) as [LayerId, (typeof LAYERS)[LayerId]][]) {
        layer.install(m);
        for (const lid of layer.layerIds) {
          m.onClick(lid, (props, lngLat) => handlers.current.onFeatureClick?.(id, props, lngLat, (el) => m.popup(lngLat, el)));
        }
      }
      m.onView((v) => handlers.current.onView?.(v));
      handlers.current.onView?.(m.view());
      setApi(m);
    });
    return () => { alive = false; m.remove(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ok]);

  useEffect(() => {
    if (!api) return;
    let alive = true;
    setReady(false);
    let any = false;
    for (const [id, layer] of Object.entries(LAYERS) as [LayerId, (typeof LAYERS)[LayerId]][]) {
      const d = data[id];
      if (d) { layer.update(api, d); any = true; }
      for (const lid of layer.layerIds) api.setVisible(lid, !!d);
    }
    if (any) void api.idle().then(() => {
      if (!alive) return;
      setReady(true);
      setRendered(renderedSummary(api));
    });
    return () => { alive = false; };
  }, [api, data]);

  useEffect(() => { api?.setLanguage(lang); }, [api, lang]);
  // After each move, what is drawn (for checks: polygons, boundaries and labels on screen).
  useEffect(() => { api?.onView((v) => { setZoom(v.zoom); void api.idle().then(() => setRendered(renderedSummary(api))); }); }, [api]);
  useEffect(() => {
    if (!api) return;
    api.setMarker(focus ?? null);
    if (focus) api.flyTo(focus);
  }, [api, focus]);

  const fitKey = fit?.join(',');
  useEffect(() => { if (api && fit) api.fitBounds(fit); }, [api, fitKey]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!ok) return <p className="muted">{t('map.no_webgl')}</p>;
  return <div ref={ref} className={`map ${className ?? ''}`} role="region" aria-label={t('map.map_label')} data-map-ready={ready ? 'true' : 'false'} data-rendered={rendered} data-zoom={zoom === null ? undefined : zoom.toFixed(1)} />;
}
