import './strategy.css';
import { useState } from 'react';
import { Link, useSearchParams } from '../../app/router';
import { periodBounds } from '@vigie/domain/period';
import { apiUrl } from '../../api/client';
import { getStrategies, getStrategiesIdEvaluations, getStrategiesIdProgress, getStrategiesIdReporting } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { StrategyBuilder } from './StrategyBuilder';
import { EvaluationForm } from './EvaluationForm';
import { ClearanceNotice } from '../../ui/ClearanceNotice';
import { achievementText, incompleteCoverage, isPartialPeriod, periodText, quartersOf, ratingClass, valueText } from './strategy-format';
import './messages';

/** The strategy at a glance: progress per axis, objective and indicator at a period, evaluations and their reports, late values. */
export function StrategyPage() {
  const { t, lang } = useLang();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const list = useApi('strategies', (s) => getStrategies({}, s));
  const strategies = list.data?.items ?? [];
  const current = strategies.find((s) => s.id === params.get('id')) ?? strategies.find((s) => s.status === 'active') ?? strategies[0];
  const periods = current ? quartersOf(current) : [];
  // The last ended quarter by default: the current one is still partial.
  const today = new Date().toISOString().slice(0, 10);
  const period = params.get('period') ?? periods.find((p) => periodBounds(p).end <= today) ?? periods[0] ?? '';
  const progress = useApi(current && period ? `progress-${current.id}-${period}` : null, (s) => getStrategiesIdProgress({ id: current!.id, query: { period } }, s));
  const evals = useApi(current ? `evals-${current.id}` : null, (s) => getStrategiesIdEvaluations({ id: current!.id }, s));
  const reporting = useApi(current ? `reporting-${current.id}` : null, (s) => getStrategiesIdReporting({ id: current!.id }, s));
  const [showEval, setShowEval] = useState(false);
  const late = (reporting.data?.items ?? []).filter((r) => r.late);
  const set = (k: string, v: string) => { const p = new URLSearchParams(params); p.set(k, v); setParams(p); };
  const name = (x: { name_fr: string; name_en: string }) => (lang === 'fr' ? x.name_fr : x.name_en);
  const stateLabel = (s: string | null) => s ?? t('strategy.confederation');

  return (
    <section>
      <div className="dash-head">
        <h1>{t('strategy.title')}</h1>
        {can('indicator_value.enter') && <Link to="/strategy/values">{t('strategy.values')}</Link>}
      </div>
      <ErrorMessage error={list.error} />
      {list.data && !strategies.length && <p className="muted">{t('strategy.none')}</p>}
      {current && (
        <>
          <div className="dash-filters">
            <label className="field">{t('strategy.choose')}
              <select value={current.id} onChange={(e) => set('id', e.target.value)}>
                {strategies.map((s) => <option key={s.id} value={s.id}>{lang === 'fr' ? s.title_fr : s.title_en}{s.status === 'superseded' ? ` (${t('strategy.superseded')})` : ''}</option>)}
              </select>
            </label>
            <label className="field">{t('strategy.period')}
              <select value={period} onChange={(e) => set('period', e.target.value)}>
                {periods.map((p) => <option key={p} value={p}>{isPartialPeriod(p) ? t('strategy.partial', { period: periodText(p, lang) }) : periodText(p, lang)}</option>)}
              </select>
            </label>
          </div>
          <p className="muted">{t('strategy.validity', { from: formatDate(current.valid_from, lang), to: formatDate(current.valid_to, lang) })}</p>
          {late.length > 0 && <p role="status" className="warning-banner" data-testid="late-values">{t('strategy.missing_late', { count: late.length })}{t('common.sep')}{[...new Set(late.map((r) => `${r.indicator_code} ${r.state} ${periodText(r.period, lang)}`))].slice(0, 8).join(', ')}{late.length > 8 ? '…' : ''}</p>}

          <h2>{t('strategy.evaluations')}</h2>
          <ErrorMessage error={evals.error} />
          {evals.data && !evals.data.items.length && <p className="muted">{t('strategy.no_evaluation')}</p>}
          <ul data-testid="evaluations">
            {(evals.data?.items ?? []).map((e) => (
              <li key={e.id}>
                <Link to={`/strategy/evaluations/${e.id}`}>{periodText(e.period, lang)}</Link> ({e.status === 'final' ? t('strategy.final') : t('strategy.draft')}{e.as_of ? `, ${t('strategy.frozen_on', { date: formatDate(e.as_of, lang) })}` : ''}) —{' '}
                <a href={apiUrl(`evaluations/${e.id}/report.html`)} target="_blank" rel="noopener">{t('strategy.report_html')}</a> ·{' '}
                <a href={apiUrl(`evaluations/${e.id}/report.pdf`)} target="_blank" rel="noopener">{t('strategy.report_pdf')}</a>
              </li>
            ))}
          </ul>
          {can('evaluation.write') && current.status !== 'superseded' && (
            <>
              <button type="button" onClick={() => setShowEval(!showEval)} aria-expanded={showEval}>{t('strategy.new_evaluation')}</button>
              {showEval && progress.data && <EvaluationForm progress={progress.data} onDone={() => { setShowEval(false); evals.reload(); }} />}
            </>
          )}

          <h2>{t('strategy.progress')} — {period ? (isPartialPeriod(period) ? t('strategy.partial', { period: periodText(period, lang) }) : periodText(period, lang)) : ''}</h2>
          <ClearanceNotice messageKey="strategy.viewer_notice" />
          {period && isPartialPeriod(period) && <p className="muted">{t('strategy.partial_note')}</p>}
          <ErrorMessage error={progress.error} />
          {progress.loading && !progress.data && <p role="status">{t('app.loading')}</p>}
          {progress.data?.axes.map((a, k) => (
            <section key={a.id} className="card stack" data-testid={`axis-${a.code}`}>
              <h3>{t('strategy.axis')} {k + 1} — {name(a)}</h3>
              {a.objectives.map((o) => (
                <div key={o.id}>
                  <h4>{o.code} — {name(o)} <span className={ratingClass(o.status)}>{t(`strategy.rating.${o.status ?? 'none'}`)}</span> <span className="muted">{achievementText(o.achievement, lang, t('strategy.setback'))}</span></h4>
                  <div className="table-wrap">
                    <table>
                      <thead><tr><th scope="col">{t('strategy.indicator')}</th>{[null, ...(progress.data?.states ?? [])].map((s) => <th key={s ?? 'conf'} scope="col" className="num">{stateLabel(s)}</th>)}<th scope="col">{t('strategy.status_col')}</th></tr></thead>
                      <tbody>
                        {o.indicators.map((i) => (
                          <tr key={i.id}>
                            <td><Link to={`/strategy/indicators/${i.id}`}>{i.code} — {name(i)}</Link> <span className="muted">({i.source === 'computed' ? t('strategy.computed') : t('strategy.manual')}{i.civilian_harm ? `, ${t('strategy.civilian')}` : ''}) <span className="direction">{t(`strategy.better.${i.direction}`)}</span></span></td>
                            {i.cells.map((c) => (
                              <td key={c.state ?? 'conf'} className="num" title={`${t('strategy.target')} ${valueText(c.target, i.unit, lang)}`}>
                                {valueText(c.value, i.unit, lang)}<br /><span className="muted">/ {valueText(c.target, i.unit, lang)}</span>
                                {c.coverage && incompleteCoverage(c) && <><br /><span className="muted" data-testid="coverage">{t('strategy.coverage', { count: c.coverage.reported, expected: c.coverage.expected })}</span></>}
                              </td>
                            ))}
                            <td>{i.cells[0] && incompleteCoverage(i.cells[0]) ? <span className="badge rating-none">{t('strategy.incomplete')}</span> : <span className={ratingClass(i.status)}>{t(`strategy.rating.${i.status ?? 'none'}`)}</span>}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              ))}
            </section>
          ))}
        </>
      )}
      {can('strategy.edit') && <StrategyBuilder strategy={current && current.status !== 'superseded' ? current : undefined} onChange={() => { list.reload(); progress.reload(); }} />}
    </section>
  );
}
