import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useSearchParams } from '../../app/router';
import { getAggregates, getAggregatesGrid, getPlacesNearest } from '../../api/generated';
import { prefetchedOr } from '../../api/prefetch';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatMonth, formatNumber } from '../../i18n/format';
import { loadAreas } from '../../map/area-data';
import { BoundaryFrameNote } from '../../map/BoundaryFrameNote';
import { cellBbox, cellForZoom, choroplethData, gridToGeoJSON, lastMonths, legendClasses, MEASURES, roundBbox, type Measure } from '../../map/loaders';
import type { View } from '../../map/map-api';
import { loadReference, placeName } from '../../api/reference';
import { pointLabel } from '../../map/places/point-label';
import { currentLink, isSlowLink } from '../../map/link';
import { PlaceSearch } from '../../map/places/PlaceSearch';
import { GEO_ATTRIBUTION } from '../../map/style';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useCanList } from '../../ui/ListLink';
import { listHref } from '../incidents/filters';
import { MAP_MONTHS, mapQueries } from './queries';
import { ExportMenu } from '../incidents/ExportMenu';

const MapView = lazy(() => import('../../map/MapView'));
// The light maps (SVG, no map engine): the first view on a slow link.
const SvgAreaMap = lazy(() => import('../../map/svg/SvgAreaMap'));
const MiniMap = lazy(() => import('../../map/svg/MiniMap'));

/** The incident map: server clusters or a choropleth by area, a measure and a period slider, all in the URL. */
export function MapPage() {
  const { t, lang } = useLang();
  const [params, setParams] = useSearchParams();
  const q = mapQueries(params);
  const months = useMemo(() => lastMonths(MAP_MONTHS), []);
  const { layer, level, adminKey } = q;
  const [focus, setFocus] = useState<{ lat: number; lon: number } | null>(null);
  const measure = (MEASURES as string[]).includes(params.get('measure') ?? '') ? (params.get('measure') as Measure) : 'incidents';
  const { fromIdx, toIdx } = q;
  const [slider, setSlider] = useState<[number, number] | null>(null);
  const [from, to] = slider ?? [fromIdx, toIdx];
  const [view, setView] = useState<View | null>(null);
  const cell = cellForZoom(view?.zoom ?? 4);
  // Fine cells only for what is on screen (rounded outwards to whole degrees so small pans reuse the answer).
  const bbox = cell < 0.5 && view ? roundBbox(view.bbox) : undefined;
  const range = q.range;

  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) next.set(k, v);
    setParams(next, { replace: true });
  };
  const commitSlider = () => {
    if (!slider) return;
    update({ from: months[slider[0]], to: months[slider[1]] });
    setSlider(null);
  };

  const canList = useCanList();
  // A slow link gets the light map first (MapLibre alone would take its first view past the budget); ?view= overrides.
  const [detailed, setDetailed] = useState(() => (params.get('view') ? params.get('view') !== 'light' : !isSlowLink(currentLink())));
  const [selected, setSelected] = useState<string | null>(null);
  const ref = useApi('ref', () => loadReference());
  const members = useMemo(() => (ref.data?.states ?? []).flatMap((st) => (st.iso_numeric ? [st.iso_numeric] : [])), [ref.data]);
  const areas = useApi(layer === 'choropleth' ? `areas-${level}` : null, () => loadAreas(level));
  const grid = useApi(layer === 'grid' ? `grid-${cell}-${bbox}-${range.from}-${range.to}` : null, (s) => getAggregatesGrid({ query: { cell, bbox, ...range } }, s));
  // The boot may have asked for it already (main.tsx), in parallel with "who am I".
  const byArea = useApi(layer === 'choropleth' ? `${adminKey}-${range.from}-${range.to}` : null, (s) => prefetchedOr(getAggregates, { query: q.byArea }, s));

  const gridFc = useMemo(() => (grid.data ? gridToGeoJSON(grid.data, measure) : null), [grid.data, measure]);
  const choro = useMemo(() => (areas.data && byArea.data ? choroplethData(areas.data, byArea.data.items, measure, level) : null), [areas.data, byArea.data, measure, level]);
  // The base map's tiles draw the boundaries and labels; the page adds only its measure.
  const mapData = useMemo(() => ({ grid: layer === 'grid' ? gridFc : null, choropleth: layer === 'choropleth' ? choro?.data ?? null : null }), [gridFc, choro, layer]);

  const areaState = (code: string) => {
    const st = areas.data?.features.find((x) => x.properties.code === code)?.properties.state;
    return st ? ` (${placeName(ref.data, st, lang)})` : '';
  };
  const areaName = (code: string) => {
    const f = areas.data?.features.find((x) => x.properties.code === code);
    return f ? (lang === 'fr' ? f.properties.name_fr : f.properties.name_en) : code;
  };

  function onFeatureClick(kind: string, props: Record<string, unknown>, lngLat: [number, number], popup: (el: HTMLElement) => void) {
    const el = document.createElement('div');
    const p = document.createElement('p');
    const a = document.createElement('a');
    if (kind === 'grid') {
      p.textContent = MEASURES.map((m) => `${t(`measures.${m}`)}${t('common.sep')}${formatNumber(Number(props[m] ?? 0), lang)}`).join(' · ');
      a.href = listHref({ ...range, status: ['validated'], bbox: cellBbox(lngLat[0], lngLat[1], Number(props.cell ?? cell)) });
    } else {
      const code = String(props.code ?? '');
      p.textContent = `${lang === 'fr' ? String(props.name_fr) : String(props.name_en)} — ${MEASURES.map((m) => `${t(`measures.${m}`)}${t('common.sep')}${formatNumber(Number(props[m] ?? 0), lang)}`).join(' · ')}`;
      a.href = listHref({ ...range, status: ['validated'], [adminKey]: [code] });
    }
    a.textContent = t('map.popup_open');
    el.append(p);
    if (canList) el.append(a);
    popup(el);
  }

  const topCells = (grid.data?.items ?? []).filter((c) => c[measure] > 0).sort((a, b) => b[measure] - a[measure]).slice(0, 15);
  const cellKey = topCells.map((c) => `${c.lat},${c.lon}`).join(';');
  const names = useApi(layer === 'grid' && cellKey ? `names-${cellKey}` : null, (s) => getPlacesNearest({ query: { points: cellKey } }, s));
  const cellName = (lat: number, lon: number) => {
    const n = names.data?.items.find((x) => x.latitude === lat && x.longitude === lon);
    return n ? pointLabel(n, lang, (code) => placeName(ref.data, code, lang), t) : null;
  };
  const areaRows = (byArea.data?.items ?? []).filter((r) => r[adminKey]).sort((a, b) => b[measure] - a[measure]).slice(0, 15);
  const period = `${formatMonth(months[fromIdx], lang)} – ${formatMonth(months[toIdx], lang)}`;

  return (
    <section aria-labelledby="map-title" className="map-page">
      <div className="page-head"><h1 id="map-title">{t('map.title')}</h1><ExportMenu filters={{ ...range, status: ['validated'], bbox }} /></div>
      <form className="map-controls card" onSubmit={(e) => e.preventDefault()} aria-label={t('map.layers')}>
        <fieldset className="check-group">
          <legend>{t('map.layers')}</legend>
          {(['grid', 'choropleth'] as const).map((l) => (
            <label key={l} className="check"><input type="radio" name="layer" checked={layer === l} onChange={() => update({ layer: l })} />{t(l === 'grid' ? 'map.points' : 'map.choropleth')}</label>
          ))}
        </fieldset>
        {layer === 'choropleth' && (
          <fieldset className="check-group">
            <legend>{t('places.level')}</legend>
            {([1, 2] as const).map((l) => (
              <label key={l} className="check"><input type="radio" name="level" checked={level === l} onChange={() => update({ level: String(l) })} />{t(l === 1 ? 'places.admin1' : 'places.admin2')}</label>
            ))}
          </fieldset>
        )}
        <div className="field"><label htmlFor="m-measure">{t('map.measure')}</label>
          <select id="m-measure" value={measure} onChange={(e) => update({ measure: e.target.value })}>
            {MEASURES.map((m) => <option key={m} value={m}>{t(`measures.${m}`)}</option>)}
          </select></div>
        <div className="field period">
          <label htmlFor="m-from">{t('map.month_from')}{t('common.sep')}{formatMonth(months[from], lang)}</label>
          <input id="m-from" type="range" min={0} max={months.length - 1} value={from} aria-valuetext={formatMonth(months[from], lang)}
            onChange={(e) => setSlider([Math.min(Number(e.target.value), to), to])} onPointerUp={commitSlider} onKeyUp={commitSlider} onBlur={commitSlider} />
          <label htmlFor="m-to">{t('map.month_to')}{t('common.sep')}{formatMonth(months[to], lang)}</label>
          <input id="m-to" type="range" min={0} max={months.length - 1} value={to} aria-valuetext={formatMonth(months[to], lang)}
            onChange={(e) => setSlider([from, Math.max(Number(e.target.value), from)])} onPointerUp={commitSlider} onKeyUp={commitSlider} onBlur={commitSlider} />
        </div>
        <PlaceSearch label={t('places.search')} hint={t('places.map_hint')} testId="map-place-search" onPick={(p) => setFocus({ lat: p.latitude, lon: p.longitude })} />
      </form>
      <ErrorMessage error={areas.error ?? grid.error ?? byArea.error} />
      <Suspense fallback={<div className="map placeholder" role="status">{t('app.loading')}</div>}>
        {detailed
          ? <MapView data={mapData} onView={(v: View) => setView(v)} onFeatureClick={onFeatureClick} className="large" focus={focus} />
          : layer === 'choropleth'
            ? choro && <SvgAreaMap data={choro.data} memberIsoNumeric={members} onSelect={setSelected} selected={selected} marker={focus} />
            : gridFc && <MiniMap grid={gridFc} memberIsoNumeric={members} cellHref={canList ? (lon, lat, c) => listHref({ ...range, status: ['validated'], bbox: cellBbox(lon, lat, c) }) : undefined} />}
      </Suspense>
      {!detailed && (
        <p className="light-map-note"><span className="hint">{t('places.light_map')}</span>{' '}
          <button type="button" className="link" onClick={() => setDetailed(true)}>{t('places.detailed_map')}</button></p>
      )}
      {!detailed && layer === 'choropleth' && selected && choro && (() => {
        const f = choro.data.features.find((x) => x.properties.code === selected);
        if (!f) return null;
        return (
          <div className="card selected-area" role="status" data-testid="selected-area">
            <strong>{lang === 'fr' ? f.properties.name_fr : f.properties.name_en}</strong>{' — '}
            {MEASURES.map((m) => `${t(`measures.${m}`)}${t('common.sep')}${formatNumber(Number(f.properties[m] ?? 0), lang)}`).join(' · ')}
            {canList && <>{' '}<Link to={listHref({ ...range, status: ['validated'], [adminKey]: [selected] })}>{t('map.popup_open')}</Link></>}
          </div>
        );
      })()}
      {layer === 'choropleth' && choro && (
        <figure className="legend" data-testid="map-legend">
          <figcaption>{t('places.legend_title', { measure: t(`measures.${measure}`), period })}</figcaption>
          <BoundaryFrameNote of={byArea.data} />
          <ul>
            {legendClasses(choro.breaks).map((c) => (
              <li key={c.colour} className="legend-item"><span className="swatch" style={{ background: c.colour }} aria-hidden="true" />
                {c.from === 0 ? '0' : c.to === null ? `≥ ${formatNumber(c.from, lang)}` : c.from === c.to ? formatNumber(c.from, lang) : `${formatNumber(c.from, lang)} – ${formatNumber(c.to, lang)}`}</li>
            ))}
          </ul>
          {choro.data.features.some((f) => f.geometry.type === 'Point') && <p className="hint">{t('places.no_polygon')}</p>}
        </figure>
      )}
      <p className="hint map-attribution">{t('places.attribution', { sources: GEO_ATTRIBUTION })}</p>
      <details className="card" open>
        <summary>{t('map.table')}</summary>
        <div className="table-wrap"><table data-testid="map-table">
          <thead><tr><th scope="col">{layer === 'grid' ? t('map.place') : t('dashboard.area')}</th>
            {MEASURES.map((m) => <th key={m} scope="col" className="num">{t(`measures.${m}`)}</th>)}<th scope="col"><span className="sr-only">{t('common.see_list')}</span></th></tr></thead>
          <tbody>
            {layer === 'grid' && topCells.map((c) => (
              <tr key={`${c.lat},${c.lon}`}><th scope="row">{cellName(c.lat, c.lon) ?? `${formatNumber(c.lat, lang, 2)} / ${formatNumber(c.lon, lang, 2)}`}</th>
                {MEASURES.map((m) => <td key={m} className="num">{formatNumber(c[m], lang)}</td>)}
                <td>{canList && <Link to={listHref({ ...range, status: ['validated'], bbox: cellBbox(c.lon, c.lat, grid.data?.cell ?? cell) })}>{t('common.see_list')}</Link>}</td></tr>
            ))}
            {layer === 'choropleth' && areaRows.map((r) => (
              <tr key={r[adminKey]}><th scope="row">{areaName(r[adminKey] ?? '')}{areaState(r[adminKey] ?? '')}</th>
                {MEASURES.map((m) => <td key={m} className="num">{formatNumber(r[m], lang)}</td>)}
                <td>{canList && <Link to={listHref({ ...range, status: ['validated'], [adminKey]: [r[adminKey] ?? ''] })}>{t('common.see_list')}</Link>}</td></tr>
            ))}
          </tbody>
        </table></div>
      </details>
    </section>
  );
}
