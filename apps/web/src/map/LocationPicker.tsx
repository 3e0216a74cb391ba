import { useEffect, useRef, useState } from 'react';
import { useLang } from '../i18n';
import { canDrawMaps, createMap, type MapApi } from './map-api';

/** A small map on which a click sets the incident's coordinates (the fields stay editable by hand). */
export default function LocationPicker({ value, onPick }: { value: { lat: number; lon: number } | null; onPick(p: { lat: number; lon: number }): void }) {
  const { t, lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const api = useRef<MapApi | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [ok] = useState(canDrawMaps);
  /** Set by a click on the map: that point is already in view, no need to move. */
  const picked = useRef(false);

  useEffect(() => {
    if (!ok || !ref.current) return;
    const m = createMap(ref.current, { zoom: 4, ariaLabel: t('form.pick_on_map'), lang });
    api.current = m;
    m.onMapClick((p) => { picked.current = true; pick.current(p); });
    if (value) void m.ready.then(() => { m.setMarker(value); m.flyTo(value, 8); });
    return () => { m.remove(); api.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ok]);
  // A point set elsewhere (typed, or a searched place) is shown and brought into view.
  const shown = useRef<string>('');
  useEffect(() => {
    api.current?.setMarker(value);
    const key = value ? `${value.lat},${value.lon}` : '';
    if (value && key !== shown.current && !picked.current) void api.current?.ready.then(() => api.current?.flyTo(value, 8));
    shown.current = key;
    picked.current = false;
  }, [value]);

  if (!ok) return <p className="muted">{t('map.no_webgl')}</p>;
  return <div ref={ref} className="map picker" role="application" aria-describedby="pick-hint" data-testid="location-picker" />;
}
