import { useState, type FormEvent } from 'react';
import { postAuthTotpConfirm, postAuthTotpSetup } from '../../api/generated';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';

/** TOTP enrollment for users (admins) who must enable the second factor before anything else. */
export function TotpEnrollPage() {
  const { t } = useLang();
  const { signedIn } = useSession();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function start() {
    setError(null);
    try {
      setSetup(await postAuthTotpSetup());
    } catch (e) {
      setError(e);
    }
  }
  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const info = await postAuthTotpConfirm({ body: { code } });
      setDone(true);
      signedIn(info);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card narrow" aria-labelledby="totp-title">
      <h1 id="totp-title">{t('auth.enroll_title')}</h1>
      <p>{t('auth.enroll_intro')}</p>
      {!setup && <button type="button" className="primary" onClick={() => void start()}>{t('auth.enroll_start')}</button>}
      {setup && (
        <form onSubmit={confirm} className="stack">
          <p>{t('auth.enroll_secret')}{t('common.sep')}<code data-testid="totp-secret">{setup.secret}</code></p>
          <p className="break">{t('auth.enroll_uri')}{t('common.sep')}<code>{setup.uri}</code></p>
          <label>{t('auth.enroll_code')}<input inputMode="numeric" pattern="\d{6}" required value={code} onChange={(e) => setCode(e.target.value)} /></label>
          <button type="submit" className="primary">{t('auth.enroll_confirm')}</button>
        </form>
      )}
      {done && <p role="status">{t('auth.enroll_done')}</p>}
      <ErrorMessage error={error} />
    </section>
  );
}
