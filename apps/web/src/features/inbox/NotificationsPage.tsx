import { useState } from 'react';
import { Link } from '../../app/router';
import type { Notification } from '@vigie/domain/notification.schema';
import { getNotifications, postNotificationsRead } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { notificationHref, publishUnread } from './inbox-data';
import './messages';

/** The inbox: newest first, unread marked, each opening its object when the reader has a page for it. */
export function NotificationsPage() {
  const { t, lang } = useLang();
  const { can } = useSession();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [tick, setTick] = useState(0);
  const [more, setMore] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const page = useApi(`inbox-${unreadOnly}-${tick}`, (s) => getNotifications({ query: { limit: 20, ...(unreadOnly ? { unread: 'true' } : {}) } }, s).then((p) => {
    setMore([]);
    setCursor(p.next_cursor);
    publishUnread(p.unread);
    return p;
  }));
  const ref = useApi('ref', () => loadReference());
  const items = [...(page.data?.items ?? []), ...more];

  async function markRead(body: { ids: string[] } | { all: true }) {
    try {
      const r = await postNotificationsRead({ body });
      publishUnread(r.unread);
      setTick((x) => x + 1);
    } catch (e) { setError(e as Error); }
  }
  async function loadMore() {
    if (!cursor) return;
    try {
      const p = await getNotifications({ query: { limit: 20, cursor, ...(unreadOnly ? { unread: 'true' } : {}) } });
      setMore((m) => [...m, ...p.items]);
      setCursor(p.next_cursor);
    } catch (e) { setError(e as Error); }
  }
  const subjectOf = (n: Notification) => n.object_type === 'incident'
    ? t('inbox.report', { date: n.date ? formatDate(n.date, lang) : '—', area: n.area ? ` (${placeName(ref.data, n.area, lang)})` : '' })
    : n.subject ?? '—';

  return (
    <section aria-labelledby="inbox-title" className="inbox">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <p><Link to="/account#notifications">{t('inbox.settings_link')}</Link></p>
      <div className="toolbar">
        <label className="check"><input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{t('inbox.unread_only')}</label>
        <button type="button" onClick={() => void markRead({ all: true })} disabled={!page.data?.unread}>{t('inbox.mark_all')}</button>
      </div>
      <ErrorMessage error={page.error ?? error} />
      {!page.data ? <p role="status">{t('app.loading')}</p> : items.length === 0 ? <p>{t('inbox.none')}</p> : (
        <ul className="inbox-list" data-testid="inbox">
          {items.map((n) => {
            const href = notificationHref(n, can);
            const text = t(`inbox.kind.${n.kind}`, { subject: subjectOf(n), date: n.date ? formatDate(n.date, lang) : '' });
            return (
              <li key={n.id} className={n.read_at ? 'read' : 'unread'} data-testid="notification">
                <p className="inbox-text">{!n.read_at && <span className="sr-only">{t('inbox.unread')} — </span>}{href ? <Link to={href} onClick={() => { if (!n.read_at) void markRead({ ids: [n.id] }); }}>{text}</Link> : text}</p>
                {n.reason && <p className="inbox-reason">{t('inbox.reason', { reason: n.reason })}</p>}
                <p className="hint">{formatDateTime(n.created_at, lang)}{!n.read_at && <> · <button type="button" className="link" onClick={() => void markRead({ ids: [n.id] })}>{t('inbox.mark_read')}</button></>}</p>
              </li>
            );
          })}
        </ul>
      )}
      {cursor && <button type="button" onClick={() => void loadMore()}>{t('inbox.more')}</button>}
    </section>
  );
}
