import { Link } from 'react-router';
import type { Briefing } from '@vigie/domain/notification.schema';
import { get } from '../../api/client';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { listHref } from '../incidents/filters';
import { weekChange } from './briefing-format';

const MEASURES = ['incidents', 'fatalities', 'civilian_fatalities'] as const;

/** The decision maker's first page: what needs them now, one API call, readable on a phone, every link one they may open. */
export function BriefingPage() {
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const b = useApi('briefing', (s) => get<Briefing>('briefing', {}, s));
  const ref = useApi('ref', () => loadReference());
  const member = !!ref.data?.states.some((s) => s.code === session?.user.organisation);
  const data = b.data;
  const fmt = (n: number) => formatNumber(n, lang);
  const owner = (a: { owner_state: string | null; owner_body: string | null }) => (a.owner_state ? placeName(ref.data, a.owner_state, lang) : a.owner_body ?? '—');

  return (
    <section aria-labelledby="briefing-title" className="briefing">
      <h1 id="briefing-title">{t('briefing.title')}</h1>
      <ErrorMessage error={b.error} />
      {!data ? <p role="status">{t('app.loading')}</p> : (
        <>
          <p className="hint">{t('briefing.generated', { date: formatDateTime(data.generated_at, lang) })}</p>
          {data.week && (
            <section className="card" aria-labelledby="b-week" data-testid="briefing-week">
              <h2 id="b-week">{t('briefing.week')}</h2>
              <p className="hint">{t('briefing.week_period', { from: formatDate(data.week.from, lang), to: formatDate(data.week.to, lang) })}</p>
              <ul className="kpis">
                {MEASURES.map((m) => {
                  const c = weekChange(data.week!.current[m], data.week!.previous[m]);
                  const change = c.trend === 'same' ? t('briefing.trend_same') : t(`briefing.trend_${c.trend}`, { delta: fmt(Math.abs(c.delta)) + (c.ratio !== null ? ` (${formatPercent(Math.abs(c.ratio), lang)})` : '') });
                  return (
                    <li key={m} data-testid={`week-${m}`}>
                      <span className="kpi-value">{fmt(data.week!.current[m])}</span>
                      <span className="kpi-label">{t(`measures.${m}`)}</span>
                      <span className={`trend trend-${c.trend}`}>{c.trend === 'up' ? '▲ ' : c.trend === 'down' ? '▼ ' : ''}{change}</span>
                      <span className="hint">{t('briefing.vs_last', { value: fmt(data.week!.previous[m]) })}</span>
                    </li>
                  );
                })}
              </ul>
              {can('incident.read')
                ? <Link to={listHref({ from: data.week.from, to: data.week.to, status: ['validated'] })}>{t('briefing.open_list')}</Link>
                : can('aggregate.read') && <Link to="/">{t('briefing.open_dashboard')}</Link>}
            </section>
          )}
          {data.alerts && (
            <section className="card" aria-labelledby="b-alerts" data-testid="briefing-alerts">
              <h2 id="b-alerts">{t(member ? 'briefing.alerts' : 'briefing.alerts_conf')}</h2>
              {data.alerts.length === 0 ? <p>{t('briefing.no_alerts')}</p> : (
                <ul className="briefing-list">
                  {data.alerts.map((a) => (
                    <li key={a.id}>
                      <Link to={`/alerts/${a.id}`}>{a.title}</Link>
                      <span className="hint item-meta">{t(`briefing.severity.${a.severity}`)} · {formatDate(a.created_at, lang)} · {a.states.map((s) => placeName(ref.data, s, lang)).join(', ')}</span>
                      {a.awaiting_acknowledgement ? <span className="badge warn">{t('briefing.awaiting')}</span> : <span className="badge">{t('briefing.acknowledged')}</span>}
                    </li>
                  ))}
                </ul>
              )}
              <Link to="/alerts">{t('briefing.all_alerts')}</Link>
            </section>
          )}
          {data.overdue_actions && (
            <section className="card" aria-labelledby="b-actions" data-testid="briefing-actions">
              <h2 id="b-actions">{t('briefing.actions')}</h2>
              {data.overdue_actions.length === 0 ? <p>{t('briefing.no_actions')}</p> : (
                <ul className="briefing-list">
                  {data.overdue_actions.map((a) => (
                    <li key={a.id}>
                      {a.meeting_id ? <Link to={`/coordination/meetings/${a.meeting_id}`}>{a.title}</Link> : <strong>{a.title}</strong>}
                      <span className="hint item-meta">{t('briefing.due', { date: formatDate(a.due_date, lang) })} · {t('briefing.owner', { owner: owner(a) })}{a.decision_code ? ` · ${t('briefing.decision', { code: a.decision_code })}` : ''} · {formatPercent(a.progress / 100, lang)}</span>
                    </li>
                  ))}
                </ul>
              )}
              <Link to="/coordination">{t('briefing.all_actions')}</Link>
            </section>
          )}
          {can('sitrep.read') && (
            <section className="card" aria-labelledby="b-sitrep" data-testid="briefing-sitrep">
              <h2 id="b-sitrep">{t('briefing.sitrep')}</h2>
              {data.latest_sitrep ? (
                <p>
                  {lang === 'fr' ? data.latest_sitrep.headline_fr : data.latest_sitrep.headline_en}{' '}
                  <span className="hint">({formatDateTime(data.latest_sitrep.as_of, lang)})</span><br />
                  <Link to={`/sitreps/${data.latest_sitrep.id}`}>{t('briefing.open_sitrep', { period: data.latest_sitrep.period })}</Link>
                </p>
              ) : <p>{t('briefing.no_sitrep')}</p>}
              <Link to="/sitreps">{t('briefing.all_sitreps')}</Link>
            </section>
          )}
          {can('strategy.read') && (
            <section className="card" aria-labelledby="b-eval" data-testid="briefing-evaluation">
              <h2 id="b-eval">{t('briefing.evaluation')}</h2>
              {data.latest_evaluation ? (
                <p>
                  <strong>{lang === 'fr' ? data.latest_evaluation.strategy_title_fr : data.latest_evaluation.strategy_title_en}</strong>{' '}
                  <span className="hint">({data.latest_evaluation.strategy_code} · {formatDate(data.latest_evaluation.updated_at, lang)})</span><br />
                  <Link to={`/strategy/evaluations/${data.latest_evaluation.id}`}>{t('briefing.open_report', { period: data.latest_evaluation.period })}</Link>
                </p>
              ) : <p>{t('briefing.no_evaluation')}</p>}
            </section>
          )}
        </>
      )}
    </section>
  );
}
