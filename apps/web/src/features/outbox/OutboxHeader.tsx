import { lazy, Suspense } from 'react';
import { useSession } from '../../app/session';

// The outbox (IndexedDB, sender) loads after the first view, and only for users who write reports.
const OutboxBadge = lazy(() => import('./OutboxBadge'));

/** In the header: starts the user's outbox and shows how many reports wait to be sent. */
export function OutboxHeader() {
  const { session, can } = useSession();
  if (!session?.user || !can('incident.create')) return null;
  return <Suspense fallback={null}><OutboxBadge userId={session.user.id} /></Suspense>;
}
