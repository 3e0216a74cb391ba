import './strategy.css';
import { useState } from 'react';
import { Link, useParams } from '../../app/router';
import { apiUrl } from '../../api/client';
import { getEvaluationsId, patchEvaluationsId } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { loadReference } from '../../api/reference';
import { formatDateTime } from '../../i18n/format';
import { orgName } from '../../api/reference';
import { achievementText, periodText, ratingClass } from './strategy-format';
import './messages';

/** An evaluation: ratings per objective (derived or kept by the experts, with the justification), narrative, and the reports. */
export function EvaluationPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { can } = useSession();
  const ev = useApi(`evaluation-${id}`, (s) => getEvaluationsId({ id: id! }, s));
  const ref = useApi('ref', () => loadReference());
  const [error, setError] = useState<unknown>(null);
  const e = ev.data;
  const ratings = new Map((e?.ratings ?? []).map((r) => [r.objective_id, r]));
  return (
    <section>
      <p><Link to="/strategy">← {t('strategy.title')}</Link></p>
      <ErrorMessage error={ev.error} />
      {e && (
        <>
          <h1>{t('strategy.evaluation_title', { period: periodText(e.period, lang) })} <span className="muted">({e.status === 'final' ? t('strategy.final') : t('strategy.draft')})</span></h1>
          {/* Whose view the figures are: the evaluation's stated audience and ceiling, frozen once final. */}
          <p className={e.status === 'final' ? 'notice' : 'warning-banner'} role="status" data-testid="evaluation-audience">
            {t(e.status === 'final' && e.as_of ? 'strategy.audience_final' : 'strategy.audience_draft', {
              audience: orgName(ref.data, e.audience, lang), level: t(`classification.${e.ceiling}`), date: e.as_of ? formatDateTime(e.as_of, lang) : '',
            })}
          </p>
          <p>
            <a href={apiUrl(`evaluations/${e.id}/report.html`)} target="_blank" rel="noopener" data-testid="report-html">{t('strategy.report_html')}</a> ·{' '}
            <a href={apiUrl(`evaluations/${e.id}/report.pdf`)} target="_blank" rel="noopener">{t('strategy.report_pdf')}</a>
          </p>
          <h2>{t('strategy.narrative')}</h2>
          {can('evaluation.write') ? (
            <form className="stack" onSubmit={(x) => {
              x.preventDefault();
              const f = new FormData(x.currentTarget);
              setError(null);
              patchEvaluationsId({ id: e.id, body: { version: e.version, narrative: String(f.get('narrative') ?? ''), status: f.get('final') === 'on' ? 'final' : 'draft' } }).then(() => ev.reload(), setError);
            }}>
              <ErrorMessage error={error} />
              <textarea name="narrative" rows={8} defaultValue={e.narrative} aria-label={t('strategy.narrative')} />
              <label className="check"><input type="checkbox" name="final" defaultChecked={e.status === 'final'} /> {t('strategy.final')}</label>
              <div className="actions"><button type="submit">{t('strategy.save')}</button></div>
            </form>
          ) : <div className="narrative">{e.narrative.split(/\n{2,}/).map((p, k) => <p key={k}>{p}</p>)}</div>}
          {e.progress.axes.map((a, k) => (
            <section key={a.id} className="card stack">
              <h3>{t('strategy.axis')} {k + 1} — {lang === 'fr' ? a.name_fr : a.name_en}</h3>
              <ul>
                {a.objectives.map((o) => {
                  const r = ratings.get(o.id);
                  return (
                    <li key={o.id}>
                      {o.code} — {lang === 'fr' ? o.name_fr : o.name_en}{t('common.sep')}<span className={ratingClass(r?.final ?? null)}>{t(`strategy.rating.${r?.final ?? 'none'}`)}</span>{' '}
                      <span className="muted">({t('strategy.derived')}{t('common.sep')}{t(`strategy.rating.${o.status ?? 'none'}`)}, {achievementText(o.achievement, lang, t('strategy.setback'))})</span>
                      {r?.rating && r.rating !== r.derived && <p className="notice">{r.justification}</p>}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
