import { useState } from 'react';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';

/** Tells the owner, after sign-in, how many sign-ins failed on their account since their previous one. */
export function FailedAttemptsNotice() {
  const { t } = useLang();
  const { session } = useSession();
  const [hidden, setHidden] = useState<string | null>(null);
  const count = session?.failed_attempts_since_last_login ?? 0;
  // Hidden per session: a new sign-in brings its own count.
  if (!session || count === 0 || hidden === session.csrf_token) return null;
  return (
    <div role="alert" className="warning-banner" data-testid="failed-attempts">
      <span>{t('account.failed_attempts', { count })}</span>
      <button type="button" onClick={() => setHidden(session.csrf_token)}>{t('account.dismiss')}</button>
    </div>
  );
}
