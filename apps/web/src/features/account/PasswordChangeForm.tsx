import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { getAuthMe, postMePassword } from '../../api/generated';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import './messages';

/** Current + new password (typed twice); the server checks the password rule and names the field it refuses. */
export function PasswordChangeForm({ onDone }: { onDone?: () => void }) {
  const { t, lang } = useLang();
  const { signedIn } = useSession();
  const [form, setForm] = useState({ current_password: '', new_password: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  // Messages came in the language of the request: a language switch clears them rather than mix languages.
  useEffect(() => {
    setErrors({});
    setError(null);
  }, [lang]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (form.new_password !== form.confirm) {
      setErrors({ confirm: t('account.mismatch') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await postMePassword({ body: { current_password: form.current_password, new_password: form.new_password } });
      setForm({ current_password: '', new_password: '', confirm: '' });
      setDone(true);
      // The session view changes (the one-time password flag is lifted): load it again.
      signedIn(await getAuthMe());
      onDone?.();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      else setError(err);
    } finally {
      setBusy(false);
    }
  }
  const input = (name: 'current_password' | 'new_password' | 'confirm', autoComplete: string) => (p: object) => (
    <input {...p} name={name} type="password" autoComplete={autoComplete} required value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
  );
  return (
    <form onSubmit={submit} className="stack" noValidate aria-labelledby="password-change-title">
      <Field name="current_password" label={t('account.current')} error={errors.current_password}>{input('current_password', 'current-password')}</Field>
      <Field name="new_password" label={t('account.new')} error={errors.new_password}>{input('new_password', 'new-password')}</Field>
      <Field name="confirm" label={t('account.confirm')} error={errors.confirm}>{input('confirm', 'new-password')}</Field>
      <ErrorMessage error={error} />
      {done && <p role="status" className="notice" data-testid="password-changed">{t('account.done')}</p>}
      <button type="submit" className="primary" disabled={busy}>{t('account.submit')}</button>
    </form>
  );
}
