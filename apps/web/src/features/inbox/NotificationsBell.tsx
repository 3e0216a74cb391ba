import { useEffect, useState } from 'react';
import { Link, useLocation } from '../../app/router';
import { getNotifications } from '../../api/generated';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { onUnread } from './inbox-data';

const POLL_MS = 60_000;

/** The header's bell: a link to the inbox with the unread count, refreshed on each page change and every minute. */
export function NotificationsBell() {
  const { t } = useLang();
  const { session } = useSession();
  const { pathname } = useLocation();
  const [unread, setUnread] = useState(0);
  const signedIn = !!session?.user;
  useEffect(() => {
    if (!signedIn) return;
    const ctrl = new AbortController();
    const load = () => getNotifications({ query: { limit: 1 } }, ctrl.signal).then((p) => setUnread(p.unread), () => undefined);
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    const off = onUnread(setUnread);
    return () => { ctrl.abort(); clearInterval(timer); off(); };
  }, [signedIn, pathname]);
  if (!signedIn) return null;
  const label = unread ? t('inbox.bell', { count: unread }) : t('inbox.bell_none');
  return (
    <Link to="/notifications" className="bell" aria-label={label} title={label} data-testid="notifications-bell" aria-current={pathname === '/notifications' ? 'page' : undefined}>
      {/* An SVG, not an emoji: many machines of the ministries have no emoji font. */}
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>{unread > 0 && <span className="badge" data-testid="notifications-unread">{unread}</span>}
    </Link>
  );
}
