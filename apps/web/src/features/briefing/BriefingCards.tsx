/**
 * The briefing's cards, in reading order. Each takes the same props and returns its card, or null when the reader has
 * no part to see (its part of the briefing is null). A new card (e.g. the latest situation report) is one component
 * here and one entry in BRIEFING_CARDS.
 */
import type { ComponentType } from 'react';
import { Link } from '../../app/router';
import type { Briefing } from '@vigie/domain/notification.schema';
import { placeName } from '../../api/reference';
import type { Reference } from '../../api/types';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../i18n/format';
import { listHref } from '../incidents/filters';
import { Change } from '../periods/Change';
import './messages';

export interface BriefingCardProps {
  data: Briefing;
  reference?: Reference;
  /** The reader belongs to a member state (not the confederation). */
  member: boolean;
}

const MEASURES = ['incidents', 'fatalities', 'civilian_fatalities'] as const;

export function AlertsCard({ data, reference: ref, member }: BriefingCardProps) {
  const { t, lang } = useLang();
  if (!data.alerts) return null;
  return (
    <section className="card" aria-labelledby="b-alerts" data-testid="briefing-alerts">
      <h2 id="b-alerts">{t(member ? 'briefing.alerts' : 'briefing.alerts_conf')}</h2>
      {data.alerts.length === 0 ? <p>{t('briefing.no_alerts')}</p> : (
        <ul className="briefing-list">
          {data.alerts.map((a) => (
            <li key={a.id}>
              <Link to={`/alerts/${a.id}`}>{a.title}</Link>
              <span className="hint item-meta">{t(`briefing.severity.${a.severity}`)} · {formatDate(a.created_at, lang)} · {a.states.map((s) => placeName(ref, s, lang)).join(', ')}</span>
              {a.awaiting_acknowledgement ? <span className="badge warn">{t('briefing.awaiting')}</span> : <span className="badge">{t('briefing.acknowledged')}</span>}
            </li>
          ))}
        </ul>
      )}
      <Link to="/alerts">{t('briefing.all_alerts')}</Link>
    </section>
  );
}

export function ActionsCard({ data, reference: ref }: BriefingCardProps) {
  const { t, lang } = useLang();
  if (!data.overdue_actions) return null;
  const owner = (a: { owner_state: string | null; owner_body: string | null }) => (a.owner_state ? placeName(ref, a.owner_state, lang) : a.owner_body ?? '—');
  return (
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
  );
}

export function WeekCard({ data }: BriefingCardProps) {
  const { t, lang } = useLang();
  const { can } = useSession();
  if (!data.week) return null;
  const fmt = (n: number) => formatNumber(n, lang);
  return (
    <section className="card" aria-labelledby="b-week" data-testid="briefing-week">
      <h2 id="b-week">{t('briefing.week')}</h2>
      <p className="hint">{t('briefing.week_period', { from: formatDate(data.week.from, lang), to: formatDate(data.week.to, lang) })}</p>
      <ul className="kpis">
        {MEASURES.map((m) => {
          return (
            <li key={m} data-testid={`week-${m}`}>
              <span className="kpi-value">{fmt(data.week!.current[m])}</span>
              <span className="kpi-label">{t(`measures.${m}`)}</span>
              <Change current={data.week!.current[m]} base={data.week!.previous[m]} />
              <span className="hint">{t('briefing.vs_last', { value: fmt(data.week!.previous[m]) })}</span>
            </li>
          );
        })}
      </ul>
      {can('incident.read')
        ? <Link to={listHref({ from: data.week.from, to: data.week.to, status: ['validated'] })}>{t('briefing.open_list')}</Link>
        : can('aggregate.read') && <Link to="/">{t('briefing.open_dashboard')}</Link>}
      {can('aggregate.read') && <p><Link to="/compare?period=week" data-testid="briefing-compare">{t('briefing.compare_link')}</Link></p>}
    </section>
  );
}

export function EvaluationCard({ data }: BriefingCardProps) {
  const { t, lang } = useLang();
  const { can } = useSession();
  if (!can('strategy.read')) return null;
  return (
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
  );
}

export function SitrepCard({ data }: BriefingCardProps) {
  const { t, lang } = useLang();
  const { can } = useSession();
  if (!can('sitrep.read')) return null;
  return (
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
  );
}

/** The cards in reading order: what needs the reader first, then the figures, then the latest report(s). */
export const BRIEFING_CARDS: ComponentType<BriefingCardProps>[] = [AlertsCard, ActionsCard, WeekCard, SitrepCard, EvaluationCard];
