import { useState } from 'react';
import { Link } from '../../app/router';
import { getFederationObjects } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { AlertCard } from './HeldCards';
import '../alerts/messages';
import './messages';

/**
 * The alert page of an alert held read-only from the confederation (a national node): whose it is and where answers go,
 * its card with the owner node, the greyed edit button and this state's acknowledgement and response (this node's own
 * objects, sent to the owner). `refresh` changes when the alert changed live.
 */
export function HeldAlert({ id, node, refresh = '' }: { id: string; node: string; refresh?: string }) {
  const { t } = useLang();
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const held = useApi(`held-alert-${id}-${tick}-${refresh}`, (s) => getFederationObjects({ query: { type: 'alert', id } }, s));
  const item = held.data?.items[0];
  if (held.error) return <ErrorMessage error={held.error} />;
  if (!held.data) return <p role="status">{t('app.loading')}</p>;
  if (!item) return <HeldGone node={node} />;
  return (
    <article>
      <p><Link to="/alerts">← {t('alerts.title')}</Link></p>
      <p data-testid="held-alert-note">{t('held.alert_page', { node: item.origin_node })}</p>
      <AlertCard item={item} org={session?.user.organisation ?? ''} reload={() => setTick((n) => n + 1)} asPage />
    </article>
  );
}

/** A held alert that is no longer there for the reader (withdrawn by its owner, or re-classified above them). */
export function HeldGone({ node }: { node: string }) {
  const { t } = useLang();
  return (
    <article>
      <p><Link to="/alerts">← {t('alerts.title')}</Link></p>
      <p role="status" data-testid="held-alert-gone">{t('held.alert_gone', { node })}</p>
    </article>
  );
}
