import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { deleteTokensId, getTokens, postTokens, type GetTokensResult } from '../../api/generated';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import './messages';

type TokenRow = GetTokensResult['items'][number];

/**
 * "Appareils ODK Collect": a token per device, whose server address (token in the path, as ODK Central does it) is
 * typed or scanned into ODK Collect or KoboCollect. Shown once; revoking it cuts the device off at once.
 */
export function CollectDevices() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const [rows, setRows] = useState<TokenRow[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; url: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const userId = session?.user.id;
  const load = useCallback(async () => {
    const res = await getTokens();
    setRows(res.items.filter((r) => r.user_id === userId && !r.revoked_at));
  }, [userId]);
  useEffect(() => { load().catch(setError); }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const res = await postTokens({ body: { name: name.trim() || t('account.collect_default_name') } });
      setCreated({ name: name.trim() || t('account.collect_default_name'), url: `${window.location.origin}/openrosa/key/${res.token}` });
      setName('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function revoke(id: string) {
    setError(null);
    try {
      await deleteTokensId({ id });
      await load();
    } catch (err) {
      setError(err);
    }
  }
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : t('account.collect_never'));
  return (
    <div className="card narrow-form" data-testid="collect-devices">
      <h2 id="collect-title">{t('account.collect_title')}</h2>
      <p className="muted">{t('account.collect_intro')}</p>
      <form onSubmit={create} className="stack" aria-labelledby="collect-title">
        <Field name="device_name" label={t('account.collect_name')}>
          {(p: object) => <input {...p} name="device_name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={busy}>{t('account.collect_create')}</button>
      </form>
      {created && (
        <div role="status" className="notice" data-testid="collect-url">
          <p>{t('account.collect_created', { name: created.name })}</p>
          <code style={{ wordBreak: 'break-all' }}>{created.url}</code>
        </div>
      )}
      <ErrorMessage error={error} />
      {rows.length === 0 ? <p className="muted">{t('account.collect_none')}</p> : (
        <ul className="stack">
          {rows.map((r) => (
            <li key={r.id}>
              <strong>{r.name}</strong> — {t('account.collect_last_used', { when: date(r.last_used_at) })}{' '}
              <button type="button" aria-label={t('account.collect_revoke_device', { name: r.name })} onClick={() => revoke(r.id)}>{t('account.collect_revoke')}</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
