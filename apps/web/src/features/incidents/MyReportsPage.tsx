import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from '../../app/router';
import { getIncidents } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import type { Incident } from '../../api/types';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './my-reports-messages';
import '../outbox/messages';

const PAGE = 20;
// The reports still on this device (IndexedDB): loaded with the page, not with the first view.
const OutboxPanel = lazy(() => import('../outbox/OutboxPanel'));

/** "Mes signalements": the caller's own reports, most recently changed first, each with its status and a rejection's reason. */
export function MyReportsPage() {
  const { t, lang } = useLang();
  const [more, setMore] = useState<Incident[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const query = { reporter: 'me', sort: '-updated_at', limit: PAGE };
  const first = useApi('my-reports', (s) => getIncidents({ query }, s).then((p) => { setCursor(p.next_cursor); return p; }));
  const ref = useApi('ref', () => loadReference());
  const arrived = useLocation().state as { savedOffline?: boolean; keptOnDevice?: boolean } | null;
  const saved = arrived?.savedOffline;
  const listError = first.error ?? error;
  const offline = listError instanceof TypeError;
  const items = [...(first.data?.items ?? []), ...more];

  async function loadMore() {
    if (!cursor) return;
    try {
      const p = await getIncidents({ query: { ...query, cursor } });
      setMore((m) => [...m, ...p.items]);
      setCursor(p.next_cursor);
    } catch (e) { setError(e as Error); }
  }

  return (
    <section aria-labelledby="mine-title" className="my-reports">
      <h1 id="mine-title">{t('my_reports.title')}</h1>
      <p className="hint">{t('my_reports.intro')}</p>
      {saved && <p className="notice" role="status" data-testid="saved-offline">{t('outbox.saved_offline')}</p>}
      {arrived?.keptOnDevice && <p className="notice" role="status" data-testid="kept-on-device">{t('outbox.kept_on_device')}</p>}
      <Suspense fallback={null}><OutboxPanel /></Suspense>
      {offline ? <p className="notice">{t('outbox.offline_list')}</p> : <ErrorMessage error={listError} />}
      {offline ? null : !first.data ? <p role="status">{t('app.loading')}</p> : items.length === 0 ? <p>{t('my_reports.none')}</p> : (
        <ul className="report-list" data-testid="my-reports">
          {items.map((i) => (
            <li key={i.id} className="card" data-testid="my-report">
              <p className="report-head">
                <Link to={`/incidents/${i.id}`}>{formatDate(i.occurred_start, lang)} — {i.place_name ?? placeName(ref.data, i.admin2_code ?? i.admin1_code, lang)}</Link>{' '}
                <span className={`badge ${i.status}`}>{t(`status.${i.status}`)}</span>
              </p>
              {i.rejection_reason && i.status === 'rejected' && <p className="inbox-reason"><strong>{t('my_reports.col_reason')}</strong>{t('common.sep')}{i.rejection_reason}</p>}
              <p className="hint">{t('my_reports.col_updated')}{t('common.sep')}{formatDateTime(i.updated_at, lang)}</p>
            </li>
          ))}
        </ul>
      )}
      {cursor && <button type="button" onClick={() => void loadMore()}>{t('my_reports.more')}</button>}
    </section>
  );
}
