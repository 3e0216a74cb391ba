import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { postAuthLogin } from '../../api/generated';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';

/** Sign-in form; asks for the TOTP code when the server answers `totp_required`. */
export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useLang();
  const { signedIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const info = await postAuthLogin({ body: { login, password, ...(needTotp ? { totp } : {}) } });
      signedIn(info);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') setNeedTotp(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  // A throttled sign-in (429) says when to come back.
  const retryAfter = error instanceof ApiError ? error.problem.retry_after : undefined;
  const retryMinutes = typeof retryAfter === 'number' ? Math.max(1, Math.ceil(retryAfter / 60)) : null;
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.title')}</h1>
      <p className="muted">{t('app.tagline')}</p>
      {expired && <p role="status" className="notice">{t('auth.expired')}</p>}
      <form onSubmit={submit} className="stack">
        <label>{t('auth.login')}<input name="login" autoComplete="username" required value={login} onChange={(e) => setLogin(e.target.value)} /></label>
        <label>{t('auth.password')}<input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {needTotp && (
          <label>{t('auth.totp')}
            <input name="totp" inputMode="numeric" pattern="\d{6}" autoComplete="one-time-code" required autoFocus value={totp} onChange={(e) => setTotp(e.target.value)} aria-describedby="totp-hint" />
            <span id="totp-hint" className="hint">{t('auth.totp_hint')}</span>
          </label>
        )}
        <ErrorMessage error={error} />
        {retryMinutes !== null && <p className="hint" data-testid="retry-in">{t('account.retry_in', { minutes: retryMinutes })}</p>}
        <button type="submit" className="primary" disabled={busy}>{t('auth.submit')}</button>
      </form>
    </section>
  );
}
