import { useEffect, useRef, useState } from 'react';
import { useLang } from '../i18n';
import { canDrawMaps, createMap, type MapApi } from './map-api';

/** A small map on which a click sets the incident's coordinates (the fields stay editable by hand). */
export default function LocationPicker({ value, onPick }: { value: { lat: number; lon: number } | null; onPick(p: { lat: number; lon: number }): void }) {
  const { t } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const api = useRef<MapApi | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [ok] = useState(canDrawMaps);

  useEffect(() => {
    if (!ok || !ref.current) return;
    const m = createMap(ref.current, { zoom: 4, ariaLabel: t('form.pick_on_map') });
    api.current = m;
    m.onMapClick((p) => pick.current(p));
    return () => { m.remove(); api.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ok]);
  useEffect(() => { api.current?.setMarker(value); }, [value]);

  if (!ok) return <p className="muted">{t('map.no_webgl')}</p>;
  return <div ref={ref} className="map picker" role="application" aria-describedby="pick-hint" />;
}
