import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AreaCollection } from '../../api/types';
import { useLang } from '../../i18n';
import { areasFrame, countryShapes, loadCountries, regionView, type Country } from './MiniMap';
import { labelPoint, svgPath } from './project';

const WIDTH = 800;

/**
 * The light choropleth (SVG, no map engine): the areas coloured by class, their names, the neighbours' outlines.
 * The map page's first view on a slow link; a click or Enter on an area selects it (the page shows its figures).
 */
export default function SvgAreaMap({ data, memberIsoNumeric, onSelect, marker, selected }: {
  data: AreaCollection;
  memberIsoNumeric: string[];
  onSelect(code: string): void;
  marker?: { lat: number; lon: number } | null;
  selected?: string | null;
}) {
  const { t, lang } = useLang();
  const [all, setAll] = useState<Country[] | null>(null);
  useEffect(() => { void loadCountries().then(setAll); }, []);
  // Names keep a readable size on a phone: the drawing shrinks with the screen, the letters less so.
  const box = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(WIDTH);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => { if (e.contentRect.width > 0) setShown(e.contentRect.width); });
    ro.observe(el);
    return () => ro.disconnect();
  }, [all]);
  const scale = Math.min(2.4, Math.max(1, (WIDTH / shown) * 0.8));
  // The frame comes from the areas themselves, so they are drawn at once; the neighbours' outlines (a chunk of their
  // own) join when they arrive. With no area at all, the member states' outlines give the frame.
  const frame = useMemo(() => areasFrame(data.features.map((f) => f.geometry), WIDTH), [data]);
  const view = useMemo(() => {
    if (!frame) return all ? regionView(all, memberIsoNumeric, WIDTH) : null;
    return { p: frame.p, shapes: all ? countryShapes(all, memberIsoNumeric, frame.bbox, frame.p) : [] };
  }, [frame, all, memberIsoNumeric]);
  const areas = useMemo(() => (view
    ? data.features.map((f) => {
      const name = lang === 'fr' ? f.properties.name_fr : f.properties.name_en;
      const at = labelPoint(f.geometry);
      const point = f.geometry.type === 'Point';
      return { code: f.properties.code, name, colour: String(f.properties.colour ?? '#f2f2f2'), value: Number(f.properties.value ?? 0), point,
        d: point ? '' : svgPath(f.geometry, view.p), label: at ? view.p.point(at[0], at[1]) : null };
    })
    : []), [view, data, lang]);
  if (!view) return <div className="map placeholder" role="status">{t('app.loading')}</div>;
  const { p, shapes } = view;
  const key = (code: string) => (e: KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(code); } };
  const polygons = areas.filter((a) => !a.point);
  // Names where they fit: areas drawn at least ~45 px wide at this scale (small ones are named in the table).
  // Biggest areas first; a name that would overlap one already placed is left out.
  const placed: [number, number, number, number][] = [];
  const labelled = polygons
    .filter((a) => a.label && pathWidth(a.d) > 45 * scale)
    .sort((x, y) => pathWidth(y.d) - pathWidth(x.d))
    .filter((a) => {
      const [x, y] = a.label as [number, number];
      const w = (a.name.length * 3.6 + 4) * scale;
      const h = 8 * scale;
      const r: [number, number, number, number] = [x - w, y - h, x + w, y + h];
      if (placed.some((b) => r[0] < b[2] && r[2] > b[0] && r[1] < b[3] && r[3] > b[1])) return false;
      placed.push(r);
      return true;
    });
  const pin = marker ? p.point(marker.lon, marker.lat) : null;
  return (
    <div className="svg-area-map" ref={box}>
      <svg className="minimap" viewBox={`0 0 ${p.width} ${p.height}`} role="group" aria-label={t('map.map_label')}
        data-map-ready="true" data-rendered={`choro-fill:${polygons.length} choro-point:${areas.length - polygons.length} admin1-labels:${labelled.length}`} data-testid="svg-area-map">
        <rect width={p.width} height={p.height} fill="#d7e3ec" />
        {shapes.map((s) => <path key={s.id} d={s.d} fill={s.member ? '#fbf9f3' : '#ece8dc'} stroke="#8a8a8a" strokeWidth={0.6} />)}
        {areas.map((a) => {
          const label = `${a.name}${t('common.sep')}${a.value}`;
          const common = { ref: focusable, role: 'button', 'aria-label': label, 'aria-pressed': selected === a.code, onClick: () => onSelect(a.code), onKeyDown: key(a.code), className: 'area' };
          if (a.point) return a.label ? <circle key={a.code} cx={a.label[0]} cy={a.label[1]} r={9} fill={a.colour} stroke="#555" {...common}><title>{label}</title></circle> : null;
          return <path key={a.code} d={a.d} fill={a.colour} fillOpacity={0.85} stroke={selected === a.code ? '#000' : '#6b6b6b'} strokeWidth={selected === a.code ? 2 : 0.6} {...common}><title>{label}</title></path>;
        })}
        {shapes.filter((s) => s.member).map((s) => <path key={`b-${s.id}`} d={s.d} fill="none" stroke="#444" strokeWidth={1.2} pointerEvents="none" />)}
        <g className="svg-labels" pointerEvents="none" aria-hidden="true" style={{ fontSize: `${11 * scale}px`, strokeWidth: `${3 * scale}px` }}>
          {labelled.map((a) => <text key={a.code} x={a.label?.[0]} y={a.label?.[1]} textAnchor="middle" dominantBaseline="middle">{a.name}</text>)}
        </g>
        {pin && <g transform={`translate(${pin[0]},${pin[1]})`} pointerEvents="none"><circle r={7} fill="#b30000" stroke="#fff" strokeWidth={2} /><circle r={2} fill="#fff" /></g>}
      </svg>
    </div>
  );
}

/** The horizontal extent of an SVG path made of M/L commands (to decide whether a name fits inside). */
function pathWidth(d: string): number {
  let min = Infinity;
  let max = -Infinity;
  for (const m of d.matchAll(/[ML](-?[\d.]+),/g)) {
    const x = Number(m[1]);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return max - min;
}

/**
 * Makes an area reachable with the keyboard. Written as the `tabindex` attribute itself: the browser build (Preact)
 * writes an SVG element's props as attributes under their JSX name, and `tabIndex` is not `tabindex` there.
 */
function focusable(el: SVGElement | null): void {
  el?.setAttribute('tabindex', '0');
}
