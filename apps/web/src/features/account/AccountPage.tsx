import { loadReference, orgName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { CollectDevices } from './CollectDevices';
import { NotificationSettingsForm } from '../inbox/NotificationSettingsForm';
import { PasswordChangeForm } from './PasswordChangeForm';
import './messages';
import '../inbox/messages';

/** "Mon compte": who you are, and changing your password. */
export function AccountPage() {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  const { session, can } = useSession();
  const user = session?.user;
  if (!user) return null;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <div className="card">
        <h2>{t('account.identity')}</h2>
        <dl className="details">
          <div><dt>{t('account.login')}</dt><dd>{user.login}{user.display_name ? ` — ${user.display_name}` : ''}</dd></div>
          <div><dt>{t('account.organisation')}</dt><dd>{orgName(ref.data, user.organisation, lang)}</dd></div>
          <div><dt>{t('account.role')}</dt><dd>{t(`roles.${user.role}`)}</dd></div>
          <div><dt>{t('account.totp')}</dt><dd>{user.totp_enabled ? t('common.yes') : t('common.no')}</dd></div>
        </dl>
      </div>
      <div className="card narrow-form">
        <h2 id="password-change-title">{t('account.change_title')}</h2>
        <p className="muted">{t('account.change_intro')}</p>
        <PasswordChangeForm />
      </div>
      {can('incident.create') && <CollectDevices />}
      <div className="card" id="notifications">
        <h2 id="notif-settings-title">{t('inbox.settings.title')}</h2>
        <p className="muted">{t('inbox.settings.intro')}</p>
        <NotificationSettingsForm />
      </div>
    </section>
  );
}

/** Shown instead of any page while the session was opened with a one-time password. */
export function ForcedPasswordPage() {
  const { t } = useLang();
  return (
    <section className="card narrow" aria-labelledby="password-change-title">
      <h1 id="password-change-title">{t('account.forced_title')}</h1>
      <p>{t('account.forced_intro')}</p>
      <p className="muted">{t('account.change_intro')}</p>
      <PasswordChangeForm />
    </section>
  );
}
