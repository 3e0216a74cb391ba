import type { fr } from './messages';
import type { shell } from './shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
  title: 'My account', link: 'My account',
  identity: 'Identity', login: 'Login', organisation: 'Organisation', role: 'Role', totp: 'Second factor (TOTP)',
  change_title: 'Change password',
  change_intro: 'At least 12 characters, hard to guess: a phrase of several uncommon words works well. Your other sessions will be closed.',
  current: 'Current password', new: 'New password', confirm: 'Confirm the new password',
  mismatch: 'The two entries differ', submit: 'Change password', done: 'Password changed. Your other sessions were closed.',
  forced_title: 'Choose your password',
  forced_intro: 'You signed in with a one-time password. Choose your own to continue.',
  failed_attempts_one: 'Since your last sign-in, {{count}} sign-in attempt failed on your account. If it was not you, change your password and tell an administrator.',
  failed_attempts_other: 'Since your last sign-in, {{count}} sign-in attempts failed on your account. If it was not you, change your password and tell an administrator.',
  dismiss: 'Dismiss',
  retry_in: 'Try again in {{minutes}} min.',
  collect_title: 'ODK Collect devices',
  collect_intro: 'One token per device (ODK Collect, KoboCollect): enter the address shown as the server address in the app. It is shown only once; revoke it if the device is lost.',
  collect_name: 'Device name', collect_default_name: 'ODK device', collect_create: 'Create the device address',
  collect_created: 'Server address for “{{name}}” (shown only once):',
  collect_none: 'No device registered.', collect_never: 'never', collect_last_used: 'last used: {{when}}', collect_revoke: 'Revoke', collect_revoke_device: 'Revoke “{{name}}”',
};
