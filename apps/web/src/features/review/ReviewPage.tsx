import { useState } from 'react';
import { Link } from 'react-router';
import { taxonomyLabel } from '@vigie/domain/taxonomy';
import { del, get, post } from '../../api/client';
import { loadReference, placeName } from '../../api/reference';
import type { Incident, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';

interface Duplicate {
  incident: Incident;
  distance_km: number;
  days_apart: number;
}

function Summary({ i, title }: { i: Incident; title: string }) {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  return (
    <div className="card compare-col">
      <h3>{title}</h3>
      <dl className="details">
        <div><dt>{t('incidents.col_date')}</dt><dd>{formatDateTime(i.occurred_start, lang)}</dd></div>
        <div><dt>{t('incidents.col_type')}</dt><dd>{taxonomyLabel(i.sub_event_type, lang)}</dd></div>
        <div><dt>{t('incidents.col_place')}</dt><dd>{i.place_name ?? placeName(ref.data, i.admin1_code, lang)}</dd></div>
        <div><dt>{t('incidents.col_status')}</dt><dd>{t(`status.${i.status}`)}</dd></div>
        <div><dt>{t('measures.fatalities')}</dt><dd>{formatNumber(i.fatalities_best, lang)} ({t('measures.civilian_fatalities')}{t('common.sep')}{formatNumber(i.civilian_fatalities, lang)})</dd></div>
        <div><dt>{t('form.narrative')}</dt><dd>{i.narrative}</dd></div>
      </dl>
      <Link to={`/incidents/${i.id}`}>{t('review.open')}</Link>
    </div>
  );
}

/** Duplicates of one report, side by side, with the merge action. */
function Duplicates({ report, onChanged }: { report: Incident; onChanged(): void }) {
  const { t, lang } = useLang();
  const dups = useApi(`dups-${report.id}`, (s) => get<{ items: Duplicate[] }>(`incidents/${report.id}/duplicates`, {}, s));
  const [error, setError] = useState<unknown>(null);
  if (dups.loading) return <p role="status">{t('app.loading')}</p>;
  if (dups.error) return <ErrorMessage error={dups.error} />;
  const items = dups.data?.items ?? [];
  if (!items.length) return <p className="muted">{t('review.no_duplicates')}</p>;
  return (
    <div>
      <ErrorMessage error={error} />
      {items.map((d) => (
        <div key={d.incident.id} className="compare">
          <Summary i={report} title={t('review.this_report')} />
          <Summary i={d.incident} title={`${t('review.candidate')} — ${t('review.distance', { km: formatNumber(d.distance_km, lang, 1), days: formatNumber(d.days_apart, lang, 1), count: d.days_apart })}`} />
          <button type="button" onClick={() => void post(`incidents/${report.id}/merge`, { into: d.incident.id, version: report.version }).then(onChanged, setError)}>
            {t('review.merge')}
          </button>
        </div>
      ))}
    </div>
  );
}

/** The analysts' review queue: submitted reports of their state, "take it", duplicates and validation. */
export function ReviewPage() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const queue = useApi(`queue-${tick}`, (s) => get<Page<Incident>>('incidents', { status: 'submitted', sort: 'occurred_start', limit: 100 }, s));
  const ref = useApi('ref', () => loadReference());
  const me = session?.user.id;
  const refresh = () => setTick((n) => n + 1);
  const run = (p: Promise<unknown>) => p.then(refresh, (e: unknown) => { setError(e); refresh(); });

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <p className="muted">{t('review.intro')}</p>
      <ErrorMessage error={error ?? queue.error} />
      {queue.data?.items.length === 0 && <p>{t('common.empty')}</p>}
      <ul className="queue" data-testid="review-queue">
        {queue.data?.items.map((i) => {
          const mine = i.assigned_to === me;
          return (
            <li key={i.id} className="card">
              <div className="queue-head">
                <Link to={`/incidents/${i.id}`}><strong>{taxonomyLabel(i.sub_event_type, lang)}</strong> — {i.place_name ?? placeName(ref.data, i.admin1_code, lang)}</Link>
                <span className="muted">{formatDateTime(i.occurred_start, lang)} · {t('measures.fatalities')}{t('common.sep')}{formatNumber(i.fatalities_best, lang)} ({t('measures.civilian_fatalities')}{t('common.sep')}{formatNumber(i.civilian_fatalities, lang)})</span>
                <span className={`badge ${i.assigned_to ? (mine ? 'mine' : 'taken') : 'free'}`}>
                  {i.assigned_to ? (mine ? t('review.taken_by_me') : t('review.taken_by_other')) : t('review.free')}
                </span>
              </div>
              <div className="actions">
                {!i.assigned_to && <button type="button" onClick={() => void run(post(`incidents/${i.id}/assign`))}>{t('review.take')}</button>}
                {mine && <button type="button" onClick={() => void run(del(`incidents/${i.id}/assign`))}>{t('review.release')}</button>}
                {(!i.assigned_to || mine) && <button type="button" className="primary" onClick={() => void run(post(`incidents/${i.id}/validate`, { version: i.version }))}>{t('review.validate')}</button>}
                <button type="button" aria-expanded={open === i.id} onClick={() => setOpen(open === i.id ? null : i.id)}>{t('review.duplicates')}</button>
              </div>
              {open === i.id && <Duplicates report={i} onChanged={refresh} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
