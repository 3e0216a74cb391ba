import { useEffect } from 'react';
import { Link } from '../../app/router';
import { loadReference } from '../../api/reference';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { sendOutbox, startOutbox } from './outbox-runner';
import { useOutbox } from './use-outbox';
import './messages';

/** Opens the signed-in user's outbox, sends it on each sign-in, and shows the number of reports waiting. */
export default function OutboxBadge({ userId }: { userId: string }) {
  const { t } = useLang();
  const { session } = useSession();
  // The reference data is asked for once per start so that the service worker holds a fresh copy for offline use.
  useEffect(() => { startOutbox(userId); void loadReference().catch(() => undefined); }, [userId]);
  // A new session (signed in again after expiry) sends what waited.
  const csrf = session?.csrf_token;
  useEffect(() => { if (csrf) void sendOutbox({ force: true }); }, [csrf]);
  const { counts } = useOutbox();
  const waiting = counts.pending + counts.rejected + counts.conflict + counts.draft;
  if (!waiting && !counts.files && !counts.filesRefused) return null;
  // Reports received, only their files still waiting: « 2 fichiers en attente d’envoi ».
  if (!waiting) {
    const files = counts.filesRefused ? t('outbox.files.refused', { count: counts.filesRefused }) : t('outbox.files.pending', { count: counts.files });
    return (
      <Link to="/my-reports" className="outbox-badge" data-testid="outbox-badge" aria-label={files} title={files}>
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
        </svg><span className="badge">{counts.files + counts.filesRefused}</span>
      </Link>
    );
  }
  // Only waiting reports: « 3 signalements en attente d’envoi »; with some to correct, everything not yet received.
  const label = waiting === counts.pending ? t('outbox.badge', { count: counts.pending }) : t('outbox.badge_unreceived', { count: waiting });
  return (
    <Link to="/my-reports" className="outbox-badge" data-testid="outbox-badge" aria-label={label} title={label}>
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M22 12h-6l-2 3h-4l-2-3H2" /><path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z" />
      </svg><span className="badge">{waiting}</span>
    </Link>
  );
}
