import { lazy, Suspense, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from '../../app/router';
import { EVENT_TYPES } from '@vigie/domain/taxonomy';
import { areaWithState, loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatMonth, formatNumber, formatPercent } from '../../i18n/format';
import { cellBbox, gridToGeoJSON } from '../../map/loaders';
import { BoundaryFrameNote } from '../../map/BoundaryFrameNote';
import { getAggregates, getAggregatesGrid } from '../../api/generated';
import { prefetchedOr } from '../../api/prefetch';
import { UPlotChart } from '../../ui/charts/UPlotChart';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CheckGroup } from '../../ui/MultiSelect';
import { ListLink, useCanList } from '../../ui/ListLink';
import { listHref, monthRange } from '../incidents/filters';
import { ExportMenu } from '../incidents/ExportMenu';
import { shareLineChart, stackedBarsChart, TYPE_COLOURS } from './charts';
import { civilianShare, isPartialMonth, monthlyByType, monthlyTotals, monthToUnix, withoutPartial } from './dashboard-data';
import { ClearanceNotice } from '../../ui/ClearanceNotice';
import { dashboardQueries, PERIODS } from './queries';

// The dashboard's map is a light SVG (no map engine on the first view); the map page has the full MapLibre map.
// The country outlines start loading as soon as the map's code is here, not after its first render: on a warm visit
// both come from the cache, and the map is drawn one render sooner (issue 18's warm budget).
const MiniMap = lazy(() => import('../../map/svg/MiniMap').then((m) => {
  void m.loadCountries();
  return m;
}));
const TYPE_SLUGS = EVENT_TYPES.map((e) => e.slug);

/** The first view after sign-in: validated incidents, fatalities and civilian harm by month, area and state. */
export function DashboardPage() {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = dashboardQueries(params);
  const { n, states, months, range } = q;
  const base = { ...range, states, status: ['validated'] };
  const key = `${n}-${states.join(',')}`;
  const load = <Q, R>(op: (input: { query: Q }, signal?: AbortSignal) => Promise<R>, query: Q) => (signal: AbortSignal) =>
    prefetchedOr(op, { query }, signal);

  const ref = useApi('ref', () => loadReference());
  const byMonth = useApi(`m-${key}`, load(getAggregates, q.byMonth));
  const byArea = useApi(`a-${key}`, load(getAggregates, q.byArea));
  const byState = useApi(`s-${key}`, load(getAggregates, q.byState));
  const grid = useApi(byMonth.data ? `g-${key}` : null, load(getAggregatesGrid, q.grid));

  // The current month is marked wherever it shows (its figures are partial) and left out of the share's line.
  const fmtMonth = (m: string) => (isPartialMonth(m) ? t('dashboard.partial', { month: formatMonth(m, lang) }) : formatMonth(m, lang));
  const partial = useMemo(() => months.map((m) => isPartialMonth(m)), [months]);
  const fmtNum = (v: number) => formatNumber(v, lang);
  const x = useMemo(() => months.map(monthToUnix), [months]);
  const charts = useMemo(() => {
    if (!byMonth.data) return null;
    const rows = byMonth.data.items;
    const series = (measure: 'incidents' | 'fatalities') => monthlyByType(rows, months, TYPE_SLUGS, measure).map((s) => ({
      label: EVENT_TYPES.find((e) => e.slug === s.type)?.label[lang] ?? s.type, colour: TYPE_COLOURS[TYPE_SLUGS.indexOf(s.type as never)] ?? '#999', values: s.values,
    }));
    const tot = monthlyTotals(rows, months);
    const first = partial.indexOf(true);
    const band = first < 0 ? undefined : { from: (x[first] as number) - 15.5 * 86_400, label: t('dashboard.partial_band') };
    return {
      incidents: stackedBarsChart(x, series('incidents'), t('dashboard.month'), fmtMonth, fmtNum, undefined, band),
      fatalities: stackedBarsChart(x, series('fatalities'), t('dashboard.month'), fmtMonth, fmtNum, undefined, band),
      share: shareLineChart(x, withoutPartial(civilianShare(tot.fatalities, tot.civilian_fatalities), partial), t('dashboard.month'), t('measures.civilian_share'), '#b3261e', fmtMonth, (r) => formatPercent(r, lang), undefined, band),
      tot,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byMonth.data, months, lang]);
  const gridFc = useMemo(() => (grid.data ? gridToGeoJSON(grid.data) : null), [grid.data]);
  const members = useMemo(() => (ref.data?.states ?? []).flatMap((s) => (s.iso_numeric ? [s.iso_numeric] : [])), [ref.data]);

  const totals = byState.data?.totals;
  const ready = !!(charts && byArea.data && byState.data);
  const canList = useCanList();
  const pickMonth = (idx: number) => { const m = months[idx]; if (m && canList) navigate(listHref({ ...base, ...monthRange(m) })); };
  const maxArea = Math.max(1, ...(byArea.data?.items ?? []).map((r) => r.fatalities));

  return (
    <section aria-labelledby="dash-title" className="dashboard" data-charts-ready={ready ? 'true' : 'false'}>
      <div className="dash-head">
        <h1 id="dash-title">{t('dashboard.title')}</h1>
        <form className="dash-filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field"><label htmlFor="d-period">{t('dashboard.period')}</label>
            <select id="d-period" value={n} onChange={(e) => { const p = new URLSearchParams(params); p.set('months', e.target.value); setParams(p); }}>
              {PERIODS.map((p) => <option key={p} value={p}>{t(`dashboard.months_${p}`)}</option>)}
            </select></div>
          <CheckGroup name="states" legend={t('incidents.states')} value={states}
            onChange={(v) => { const p = new URLSearchParams(params); if (v.length) p.set('states', v.join(',')); else p.delete('states'); setParams(p); }}
            options={(ref.data?.states ?? []).map((s) => ({ value: s.code, label: lang === 'fr' ? s.name_fr : s.name_en }))} />
        </form>
        <Link to="/compare">{t('periods.nav')}</Link>
        <ExportMenu filters={base} />
      </div>
      <ErrorMessage error={byMonth.error ?? byArea.error ?? byState.error} />
      <ClearanceNotice messageKey="dashboard.clearance_notice" />

      <section aria-labelledby="totals-title" className="card">
        <h2 id="totals-title">{t('dashboard.totals')} — {fmtMonth(months[0])} → {fmtMonth(months[months.length - 1])}</h2>
        {totals ? (
          <ul className="kpis" data-testid="totals">
            {(['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const).map((m) => (
              <li key={m} data-testid={`total-${m}`}><ListLink to={listHref(base)}><span className="kpi-value">{fmtNum(totals[m])}</span><span className="kpi-label">{t(`measures.${m}`)}</span></ListLink></li>
            ))}
            <li data-testid="total-civilian-share"><span className="kpi-value">{totals.fatalities ? formatPercent(totals.civilian_fatalities / totals.fatalities, lang) : '—'}</span><span className="kpi-label">{t('measures.civilian_share')}</span></li>
          </ul>
        ) : <p role="status">{t('app.loading')}</p>}
      </section>

      <div className="dash-grid">
        {(['incidents', 'fatalities'] as const).map((m) => (
          <section key={m} className="card" aria-labelledby={`c-${m}`}>
            <h2 id={`c-${m}`}>{t(`dashboard.by_month_${m}`)}</h2>
            {charts ? <UPlotChart options={charts[m].options} data={charts[m].data} onPick={pickMonth} label={t(`dashboard.by_month_${m}`)} testId={`chart-${m}`} /> : <p role="status">{t('app.loading')}</p>}
            {canList && <Link to={listHref(base)}>{t('dashboard.chart_link')}</Link>}
          </section>
        ))}
        <section className="card" aria-labelledby="c-share">
          <h2 id="c-share">{t('dashboard.civilian_share')}</h2>
          {charts ? <UPlotChart options={charts.share.options} data={charts.share.data} onPick={pickMonth} label={t('dashboard.civilian_share')} testId="chart-share" /> : <p role="status">{t('app.loading')}</p>}
          {partial.some(Boolean) && <p className="muted" data-testid="partial-note">{t('dashboard.partial_note')}</p>}
          {canList && <Link to={listHref({ ...base, event_types: ['violence_against_civilians'] })}>{t('dashboard.chart_link')}</Link>}
          {charts && (
            <details>
              <summary>{t('dashboard.table_summary')}</summary>
              <div className="table-wrap"><table data-testid="monthly-table">
                <thead><tr><th scope="col">{t('dashboard.month')}</th>{(['incidents', 'fatalities', 'civilian_fatalities'] as const).map((m) => <th key={m} scope="col" className="num">{t(`measures.${m}`)}</th>)}<th scope="col" className="num">{t('measures.civilian_share')}</th></tr></thead>
                <tbody>{months.map((m, i) => (
                  <tr key={m}><th scope="row"><ListLink to={listHref({ ...base, ...monthRange(m) })}>{fmtMonth(m)}</ListLink></th>
                    <td className="num">{fmtNum(charts.tot.incidents[i])}</td><td className="num">{fmtNum(charts.tot.fatalities[i])}</td><td className="num">{fmtNum(charts.tot.civilian_fatalities[i])}</td>
                    <td className="num">{charts.tot.fatalities[i] ? formatPercent(charts.tot.civilian_fatalities[i] / charts.tot.fatalities[i], lang) : '—'}</td></tr>
                ))}</tbody>
              </table></div>
            </details>
          )}
        </section>
        <section className="card" aria-labelledby="c-areas">
          <h2 id="c-areas">{t('dashboard.top_areas')}</h2>
          <BoundaryFrameNote of={byArea.data} />
          <ol className="bars" data-testid="top-areas">
            {(byArea.data?.items ?? []).map((r) => (
              <li key={r.admin1 ?? 'none'}>
                <ListLink className="bar-row" to={listHref({ ...base, ...(r.admin1 ? { admin1: [r.admin1] } : {}) })}>
                  <span className="bar-label">{areaWithState(ref.data, r.admin1, lang)}</span>
                  <span className="bar" aria-hidden="true"><span style={{ width: `${(100 * r.fatalities) / maxArea}%` }} /><span className="civ" style={{ width: `${(100 * r.civilian_fatalities) / maxArea}%` }} /></span>
                  <span className="bar-value">{fmtNum(r.fatalities)} ({t('measures.civilian_fatalities')}{t('common.sep')}{fmtNum(r.civilian_fatalities)})</span>
                </ListLink>
              </li>
            ))}
          </ol>
        </section>
        <section className="card" aria-labelledby="c-states">
          <h2 id="c-states">{t('dashboard.states')}</h2>
          <div className="table-wrap"><table data-testid="states-table">
            <thead><tr><th scope="col">{t('dashboard.state')}</th>{(['incidents', 'fatalities', 'civilian_fatalities'] as const).map((m) => <th key={m} scope="col" className="num">{t(`measures.${m}`)}</th>)}<th scope="col" className="num">{t('measures.civilian_share')}</th></tr></thead>
            <tbody>{(byState.data?.items ?? []).map((r) => (
              <tr key={r.state}><th scope="row"><ListLink to={listHref({ ...base, states: r.state ? [r.state] : [] })}>{placeName(ref.data, r.state, lang)}</ListLink></th>
                <td className="num">{fmtNum(r.incidents)}</td><td className="num">{fmtNum(r.fatalities)}</td><td className="num">{fmtNum(r.civilian_fatalities)}</td>
                <td className="num">{r.fatalities ? formatPercent(r.civilian_fatalities / r.fatalities, lang) : '—'}</td></tr>
            ))}</tbody>
          </table></div>
        </section>
        <section className="card" aria-labelledby="c-map">
          <h2 id="c-map">{t('dashboard.map')}</h2>
          <Suspense fallback={<div className="map placeholder" role="status">{t('app.loading')}</div>}>
            {gridFc && ref.data && <MiniMap grid={gridFc} memberIsoNumeric={members} cellHref={canList ? (lon, lat, cell) => listHref({ ...base, bbox: cellBbox(lon, lat, cell) }) : undefined} />}
          </Suspense>
          <Link to={`/map?from=${months[0]}&to=${months[months.length - 1]}`}>{t('nav.map')}</Link>
        </section>
      </div>
    </section>
  );
}
