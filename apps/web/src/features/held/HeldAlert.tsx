import { useState, type ReactNode } from 'react';
import { Link } from '../../app/router';
import { getFederationObjects } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { AlertCard } from './HeldCards';
import '../alerts/messages';

/**
 * The alert page of an alert held read-only from the confederation (a national node): its card with the owner node,
 * the greyed edit button and this state's acknowledgement and response; `fallback` when this node holds no such alert.
 */
export function HeldAlert({ id, fallback }: { id: string; fallback: ReactNode }) {
  const { t } = useLang();
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const held = useApi(`held-alert-${id}-${tick}`, (s) => getFederationObjects({ query: { type: 'alert', id } }, s));
  const item = held.data?.items[0];
  if (held.error) return <ErrorMessage error={held.error} />;
  if (!held.data) return <p role="status">{t('app.loading')}</p>;
  if (!item) return <>{fallback}</>;
  return (
    <article>
      <p><Link to="/alerts">← {t('alerts.title')}</Link></p>
      <AlertCard item={item} org={session?.user.organisation ?? ''} reload={() => setTick((n) => n + 1)} asPage />
    </article>
  );
}
