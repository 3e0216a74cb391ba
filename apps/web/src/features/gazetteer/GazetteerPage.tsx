import { useEffect, useState } from 'react';
import { calendarDayText } from '@vigie/domain/boundary-frame-text';
import { getBoundarySets, getGazetteerJobs, postGazetteerJobsIdRetry } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './gazetteer.css';
import './messages';

interface BoundarySet { code: string; state: string; name_fr: string; name_en: string; valid_from: string | null; valid_to: string | null }
interface Job {
  id: string; reason: string; status: 'running' | 'done' | 'failed'; total: number; done: number; moved: number; percent: number;
  started_at: string; updated_at: string; finished_at: string | null; error: string | null;
}

/** Each state's boundary sets with their validity, and the re-placement jobs with their progress; a failed job is retried here. */
export function GazetteerPage() {
  const { t, lang } = useLang();
  const sets = useApi('boundary-sets', (s) => getBoundarySets({}, s));
  const jobs = useApi('gazetteer-jobs', (s) => getGazetteerJobs({}, s));
  const ref = useApi('ref', () => loadReference());
  const [error, setError] = useState<unknown>(null);
  const [retried, setRetried] = useState(false);
  const running = jobs.data?.items.some((j) => j.status === 'running') ?? false;
  // While a job runs, its progress is read again every two seconds.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => jobs.reload(), 2000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload is a new function each render; `running` decides
  }, [running]);
  const day = (d: string) => calendarDayText(d, lang === 'en' ? 'en' : 'fr');
  const num = (n: number) => formatNumber(n, lang);

  return (
    <section aria-labelledby="gazetteer-title" className="gazetteer">
      <h1 id="gazetteer-title">{t('gazetteer.title')}</h1>
      <p className="muted">{t('gazetteer.intro')}</p>
      <ErrorMessage error={sets.error ?? jobs.error ?? error} />
      <h2>{t('gazetteer.sets')}</h2>
      {sets.data && (
        <div className="table-wrap">
          <table data-testid="boundary-sets">
            <thead><tr><th scope="col">{t('gazetteer.col_state')}</th><th scope="col">{t('gazetteer.col_name')}</th><th scope="col">{t('gazetteer.col_from')}</th><th scope="col">{t('gazetteer.col_to')}</th></tr></thead>
            <tbody>
              {sets.data.sets.map((s) => (
                <tr key={s.code}>
                  <td>{placeName(ref.data, s.state, lang)}</td>
                  <th scope="row">{lang === 'fr' ? s.name_fr : s.name_en}</th>
                  <td>{s.valid_from ? day(s.valid_from) : t('gazetteer.no_start')}</td>
                  <td>{s.valid_to ? day(s.valid_to) : <span className="badge">{t('gazetteer.current')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('gazetteer.jobs')}</h2>
      <p className="muted">{t('gazetteer.jobs_intro')}</p>
      {retried && <p role="status">✓ {t('gazetteer.retried')}</p>}
      {jobs.data && (jobs.data.items.length === 0 ? <p>{t('gazetteer.no_jobs')}</p> : (
        <div className="table-wrap">
          <table data-testid="replacement-jobs">
            <thead>
              <tr><th scope="col">{t('gazetteer.col_job')}</th><th scope="col">{t('gazetteer.col_progress')}</th><th scope="col">{t('gazetteer.col_error')}</th></tr>
            </thead>
            <tbody>
              {jobs.data.items.map((j) => (
                <tr key={j.id} data-testid={`job-${j.status}`}>
                  <th scope="row">{formatDateTime(j.started_at, lang)}<br /><span className="muted">{j.reason}</span></th>
                  <td>
                    <span className={`badge${j.status === 'failed' ? ' warn' : ''}`}>{t(`gazetteer.status.${j.status}`)}</span>{' '}
                    <span className="nowrap">{t('gazetteer.progress', { done: num(j.done), total: num(j.total), percent: j.percent })}</span>
                    <br /><progress max={100} value={j.percent} aria-label={t('gazetteer.col_progress')} />
                    <br /><span className="muted">{t('gazetteer.moved', { count: j.moved, n: num(j.moved) })}</span>
                  </td>
                  <td>
                    {j.error ?? '—'}
                    {j.status === 'failed' && (
                      <> <button type="button" onClick={() => {
                        setError(null);
                        postGazetteerJobsIdRetry({ id: j.id }).then(() => { setRetried(true); jobs.reload(); }, setError);
                      }}>{t('gazetteer.retry')}</button></>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
