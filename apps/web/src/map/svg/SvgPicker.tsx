import { useEffect, useMemo, useState, type MouseEvent } from 'react';
import { loadReference } from '../../api/reference';
import type { AreaCollection } from '../../api/types';
import { loadAreas } from '../area-data';
import { GEO_ATTRIBUTION } from '../style';
import { useLang } from '../../i18n';
import { loadCountries, regionView, type Country } from './MiniMap';
import { svgPath } from './project';

const WIDTH = 800;

/**
 * A light location picker (SVG outlines, ~40 KB, and the regions' simplified boundaries from our API): a click sets
 * the coordinates, to be refined by typing them.
 * The form offers the detailed MapLibre picker on demand only, so a remote post's link is not spent on it.
 */
export default function SvgPicker({ value, onPick }: { value: { lat: number; lon: number } | null; onPick(p: { lat: number; lon: number }): void }) {
  const { t, lang } = useLang();
  const [all, setAll] = useState<Country[] | null>(null);
  const [members, setMembers] = useState<string[]>([]);
  const [regions, setRegions] = useState<AreaCollection | null>(null);
  useEffect(() => {
    void loadCountries().then(setAll);
    // Regions are a refinement: the picker works with the country outlines alone if they do not come.
    void loadAreas(1).then(setRegions, () => undefined);
    void loadReference().then((r) => setMembers(r.states.flatMap((s) => (s.iso_numeric ? [s.iso_numeric] : []))), () => undefined);
  }, []);
  const view = useMemo(() => (all ? regionView(all, members, WIDTH) : null), [all, members]);
  const regionPaths = useMemo(() => (view && regions
    ? regions.features.filter((f) => f.geometry.type !== 'Point').map((f) => ({ code: f.properties.code, name: lang === 'fr' ? f.properties.name_fr : f.properties.name_en, d: svgPath(f.geometry, view.p) }))
    : []), [view, regions, lang]);
  if (!view) return <div className="picker-placeholder" role="status">{t('app.loading')}</div>;
  const { p, shapes } = view;

  function click(e: MouseEvent<SVGSVGElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * p.width;
    const y = ((e.clientY - box.top) / box.height) * p.height;
    const [lon, lat] = p.invert(x, y);
    onPick({ lat: Math.round(lat * 1e4) / 1e4, lon: Math.round(lon * 1e4) / 1e4 });
  }
  const marker = value ? p.point(value.lon, value.lat) : null;
  return (
    <figure className="svg-picker">
    <svg className="minimap picker-svg" viewBox={`0 0 ${p.width} ${p.height}`} onClick={click} aria-describedby="pick-hint" role="img" aria-label={t('form.pick_on_map')} data-testid="svg-picker">
      <rect width={p.width} height={p.height} fill="#d7e3ec" />
      {shapes.map((s) => <path key={s.id} d={s.d} fill={s.member ? '#fbf9f3' : '#ece8dc'} stroke={s.member ? '#444' : '#8a8a8a'} strokeWidth={s.member ? 1.2 : 0.6} />)}
      <g data-testid="svg-picker-regions">
        {regionPaths.map((r) => <path key={r.code} d={r.d} fill="none" stroke="#7d7468" strokeWidth={0.6} strokeLinejoin="round"><title>{r.name}</title></path>)}
      </g>
      {shapes.filter((s) => s.member).map((s) => <path key={`b-${s.id}`} d={s.d} fill="none" stroke="#444" strokeWidth={1.2} />)}
      {marker && <g transform={`translate(${marker[0]},${marker[1]})`}><circle r={7} fill="#b30000" stroke="#fff" strokeWidth={2} /><circle r={2} fill="#fff" /></g>}
    </svg>
    <figcaption className="attribution">{GEO_ATTRIBUTION}</figcaption>
    </figure>
  );
}
