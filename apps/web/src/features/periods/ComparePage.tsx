import { Link, useSearchParams } from '../../app/router';
import { COMPARE_PERIODS, periodKeyOf, type ComparePeriod } from '@vigie/domain/compare-period';
import type { AggregateTotals } from '@vigie/domain/aggregate.schema';
import { EVENT_TYPES } from '@vigie/domain/taxonomy';
import { getAggregatesCompare, getAlerts, getIncidents } from '../../api/generated';
import { areaWithState, loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatNumber } from '../../i18n/format';
import { ClearanceNotice } from '../../ui/ClearanceNotice';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CheckGroup } from '../../ui/MultiSelect';
import { listHref } from '../incidents/filters';
import { Change } from './Change';
import { periodName, shiftAnchor, spanDays } from './compare-format';
import './periods.css';
import '../briefing/messages';
import './messages';

const MEASURES = ['incidents', 'fatalities', 'civilian_fatalities', 'injured', 'abducted'] as const;
const STATE_MEASURES = ['incidents', 'fatalities', 'civilian_fatalities'] as const;
type Side = 'current' | 'previous' | 'last_year';
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Week, month, quarter, year or custom: the figures beside the period before and the same period last year. */
export function ComparePage() {
  const { t, lang } = useLang();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const period = (COMPARE_PERIODS.find((p) => p === params.get('period')) ?? 'week') as ComparePeriod;
  const anchor = params.get('anchor') ?? undefined;
  const today = new Date().toISOString().slice(0, 10);
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const states = (params.get('states') ?? '').split(',').filter(Boolean);
  const query = {
    period, states: states.join(',') || undefined,
    ...(period === 'custom' ? { from: from ?? today, to: to ?? today } : anchor ? { anchor } : {}),
  };
  const key = JSON.stringify(query);
  const cmp = useApi(`compare-${key}`, (s) => getAggregatesCompare({ query }, s));
  const ref = useApi('ref', () => loadReference());
  // While another period loads, the last answer is not shown under the new period's names.
  const data = cmp.data?.period === period ? cmp.data : undefined;
  const latest = useApi(data && can('incident.read') ? `compare-latest-${data.current.from}-${data.current.to}-${states}` : null, (s) => getIncidents({ query: {
    from: data!.current.from, to: data!.current.to, status: 'validated', states: states.join(',') || undefined, sort: '-occurred_start', limit: 8,
  } }, s));
  const alerts = useApi(can('alert.read') ? 'compare-alerts' : null, (s) => getAlerts({ query: { open: 'true', limit: 8 } }, s));

  const set = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v === null) p.delete(k); else p.set(k, v);
    setParams(p);
  };
  const fmt = (n: number) => formatNumber(n, lang);
  const name = (side: Side) => (data ? periodName(period, data[side].key, data[side].from, data[side].to, lang) : '');
  const move = (step: -1 | 1) => {
    if (!data || period === 'custom') return;
    set({ anchor: shiftAnchor(period, data.current.from, data.current.to, step, (d) => periodKeyOf(period, d)) });
  };
  const nextStarted = !!data && period !== 'custom' && data.complete && data.current.to < today;

  const change = (cur: number, base: number) => <Change current={cur} base={base} />;
  const compared = (side: Side): AggregateTotals | undefined => data?.[side].compared.totals;

  return (
    <section aria-labelledby="cmp-title" className="compare-page">
      <div className="dash-head">
        <h1 id="cmp-title">{t('periods.title')}</h1>
        <Link to="/">{t('periods.to_dashboard')}</Link>
      </div>
      <form className="dash-filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field"><label htmlFor="cmp-period">{t('periods.period')}</label>
          <select id="cmp-period" value={period} onChange={(e) => set({ period: e.target.value, anchor: null, ...(e.target.value === 'custom' && data ? { from: data.current.from, to: data.current.compared.to } : { from: null, to: null }) })}>
            {COMPARE_PERIODS.map((p) => <option key={p} value={p}>{t(`periods.kind.${p}`)}</option>)}
          </select></div>
        {period === 'custom' ? (
          <>
            <div className="field"><label htmlFor="cmp-from">{t('periods.from')}</label><input id="cmp-from" type="date" value={from ?? today} max={today} onChange={(e) => e.target.value && set({ from: e.target.value })} /></div>
            <div className="field"><label htmlFor="cmp-to">{t('periods.to')}</label><input id="cmp-to" type="date" value={to ?? today} onChange={(e) => e.target.value && set({ to: e.target.value })} /></div>
          </>
        ) : (
          <div className="field period-steps">
            <button type="button" onClick={() => move(-1)} disabled={!data}>{t('periods.earlier')}</button>
            <button type="button" onClick={() => move(1)} disabled={!nextStarted}>{t('periods.later')}</button>
          </div>
        )}
        <CheckGroup name="states" legend={t('incidents.states')} value={states}
          onChange={(v) => set({ states: v.length ? v.join(',') : null })}
          options={(ref.data?.states ?? []).map((s) => ({ value: s.code, label: lang === 'fr' ? s.name_fr : s.name_en }))} />
      </form>
      <ErrorMessage error={cmp.error} />
      <ClearanceNotice messageKey="dashboard.clearance_notice" />

      {!data ? <p role="status">{t('app.loading')}</p> : (
        <>
          <section className="card" aria-labelledby="cmp-figures" data-testid="compare-figures">
            <h2 id="cmp-figures">{capitalised(name('current'))} <span className="hint">({spanDays(data.current.from, data.current.to, lang)})</span></h2>
            {data.complete ? <p className="hint">{t('periods.complete')}</p> : (
              <p className="notice-partial" data-testid="compare-partial">
                <span className="badge warn">{t('periods.in_progress')}</span>{' '}
                {t('periods.elapsed', { count: data.elapsed_days, days: data.days })}{' '}
                {t('periods.like_for_like', { count: data.elapsed_days })}
              </p>
            )}
            <ul className="kpis compare-kpis">
              {MEASURES.map((m) => (
                <li key={m} data-testid={`cmp-${m}`}>
                  <span className="kpi-value">{fmt(data.current.totals[m])}</span>
                  <span className="kpi-label">{t(`measures.${m}`)}</span>
                  {(['previous', 'last_year'] as const).map((side) => (
                    <span key={side} className="cmp-line" data-testid={`cmp-${m}-${side}`}>
                      <span className="hint">{t(`periods.vs_${side}`, { name: name(side), value: fmt(compared(side)![m]) })}</span>{' '}
                      {change(data.current.totals[m], compared(side)![m])}
                      {!data.complete && <span className="hint cmp-whole">{t('periods.whole', { value: fmt(data[side].totals[m]) })}</span>}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
            {can('incident.read') && <Link to={listHref({ from: data.current.from, to: data.current.compared.to, states, status: ['validated'] })}>{t('periods.open_list')}</Link>}
          </section>

          <div className="dash-grid">
            <section className="card" aria-labelledby="cmp-states">
              <h2 id="cmp-states">{t('periods.by_state')}</h2>
              <p className="hint">{t('periods.by_state_hint', { previous: name('previous'), last_year: name('last_year') })}</p>
              <div className="table-wrap"><table data-testid="compare-states">
                <thead><tr><th scope="col">{t('dashboard.state')}</th>{STATE_MEASURES.map((m) => <th key={m} scope="col" className="num">{t(`measures.${m}`)}</th>)}</tr></thead>
                <tbody>{data.by_state.map((r) => (
                  <tr key={r.state ?? 'none'}>
                    <th scope="row">{placeName(ref.data, r.state, lang)}</th>
                    {STATE_MEASURES.map((m) => (
                      <td key={m} className="num"><strong>{fmt(r.current[m])}</strong><br />{change(r.current[m], r.previous[m])}<br />{change(r.current[m], r.last_year[m])}</td>
                    ))}
                  </tr>
                ))}</tbody>
              </table></div>
              {data.by_state.length === 0 && <p>{t('periods.none')}</p>}
            </section>

            {can('alert.read') && (
              <section className="card" aria-labelledby="cmp-alerts" data-testid="compare-alerts">
                <h2 id="cmp-alerts">{t('periods.open_alerts')}</h2>
                <ErrorMessage error={alerts.error} />
                {alerts.data && (alerts.data.items.length === 0 ? <p>{t('periods.no_alerts')}</p> : (
                  <ul className="briefing-list">
                    {alerts.data.items.map((a) => (
                      <li key={a.id}>
                        <Link to={`/alerts/${a.id}`}>{a.title}</Link>
                        <span className="hint item-meta">{t(`briefing.severity.${a.severity}`)} · {formatDate(a.created_at, lang)} · {a.states.map((s) => placeName(ref.data, s.state, lang)).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                ))}
                <Link to="/alerts">{t('briefing.all_alerts')}</Link>
              </section>
            )}

            {can('incident.read') && (
              <section className="card" aria-labelledby="cmp-latest" data-testid="compare-latest">
                <h2 id="cmp-latest">{t('periods.latest')}</h2>
                <ErrorMessage error={latest.error} />
                {latest.data && (latest.data.items.length === 0 ? <p>{t('periods.none')}</p> : (
                  <ul className="briefing-list">
                    {latest.data.items.map((i) => (
                      <li key={i.id}>
                        <Link to={`/incidents/${i.id}`}>{EVENT_TYPES.find((e) => e.slug === i.event_type)?.label[lang] ?? i.event_type} — {areaWithState(ref.data, i.admin1_code, lang)}</Link>
                        <span className="hint item-meta">{formatDate(i.occurred_start, lang)} · {t('periods.toll', { n: fmt(i.fatalities_best ?? 0), civilians: fmt(i.civilian_fatalities ?? 0) })}</span>
                      </li>
                    ))}
                  </ul>
                ))}
              </section>
            )}
          </div>
        </>
      )}
    </section>
  );
}
