import { useEffect, useState, type FormEvent } from 'react';
import { CLASSIFICATIONS } from '@vigie/domain/classification';
import { NOTIFICATION_TOPICS, type NotificationTopic, type TopicChannels } from '@vigie/domain/notification-topics';
import { ApiError } from '../../api/client';
import { getNotificationsSettings, putNotificationsSettings } from '../../api/generated';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import './messages';

type Topics = Record<NotificationTopic, TopicChannels>;

/** "Mon compte" → notifications: per topic, in the inbox and/or by e-mail, and the address e-mails go to. */
export function NotificationSettingsForm() {
  const { t } = useLang();
  const loaded = useApi('notification-settings', (s) => getNotificationsSettings({}, s));
  const [email, setEmail] = useState('');
  const [topics, setTopics] = useState<Topics | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!loaded.data) return;
    setEmail(loaded.data.email ?? '');
    setTopics(loaded.data.topics as Topics);
  }, [loaded.data]);

  const settings = loaded.data;
  if (!settings || !topics) return <><ErrorMessage error={loaded.error} />{!loaded.error && <p role="status">{t('app.loading')}</p>}</>;
  const mail = settings.email_available;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    setErrors({});
    try {
      const r = await putNotificationsSettings({ body: { email: email.trim() || null, topics: topics ?? {} } });
      setTopics(r.topics as Topics);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      else setError(err);
    } finally {
      setBusy(false);
    }
  }
  const toggle = (topic: NotificationTopic, channel: keyof TopicChannels) => (e: { target: { checked: boolean } }) =>
    setTopics({ ...topics, [topic]: { ...topics[topic], [channel]: e.target.checked } });

  return (
    <form onSubmit={submit} className="stack" noValidate aria-labelledby="notif-settings-title" data-testid="notification-settings">
      <p className="muted">{mail ? t('inbox.settings.mail_ceiling', { level: t(`classification.${CLASSIFICATIONS[settings.email_max_level]}`) }) : t('inbox.settings.no_mail')}</p>
      {mail && (
        <Field name="email" label={t('inbox.settings.email')} error={errors.email} hint={t('inbox.settings.email_hint')}>
          {(p) => <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
      )}
      <div className="table-wrap"><table className="settings-table">
        <thead><tr><th scope="col">{t('inbox.settings.topic')}</th><th scope="col">{t('inbox.settings.in_app')}</th>{mail && <th scope="col">{t('inbox.settings.by_email')}</th>}</tr></thead>
        <tbody>{NOTIFICATION_TOPICS.map((topic) => (
          <tr key={topic}>
            <th scope="row">{t(`inbox.settings.topics.${topic}`)}</th>
            <td><input type="checkbox" aria-label={`${t(`inbox.settings.topics.${topic}`)} — ${t('inbox.settings.in_app')}`} checked={topics[topic].in_app} onChange={toggle(topic, 'in_app')} /></td>
            {mail && <td><input type="checkbox" aria-label={`${t(`inbox.settings.topics.${topic}`)} — ${t('inbox.settings.by_email')}`} checked={topics[topic].email} onChange={toggle(topic, 'email')} /></td>}
          </tr>
        ))}</tbody>
      </table></div>
      <ErrorMessage error={error} />
      {saved && <p role="status" className="notice" data-testid="settings-saved">{t('inbox.settings.saved')}</p>}
      <button type="submit" className="primary" disabled={busy}>{t('inbox.settings.save')}</button>
    </form>
  );
}
