import type { fr } from './messages';
import type { shell } from './shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
  nav: 'Notifications',
  title: 'Notifications',
  bell_one: '{{count}} unread notification',
  bell_other: '{{count}} unread notifications',
  bell_none: 'Notifications (none unread)',
  unread_only: 'Unread only',
  mark_read: 'Mark as read',
  mark_all: 'Mark all as read',
  none: 'No notifications.',
  more: 'Older',
  unread: 'unread',
  reason: 'Reason: {{reason}}',
  report: 'your report of {{date}}{{area}}',
  kind: {
    incident_rejected: 'Rejected: {{subject}}',
    incident_returned: 'Returned for changes: {{subject}}',
    alert_issued: 'Alert for your state: {{subject}}',
    value_returned: 'Indicator value returned: {{subject}}',
    action_assigned: 'Action given to your state: {{subject}}',
    action_due: 'Action due on {{date}}: {{subject}}',
    action_overdue: 'Action overdue since {{date}}: {{subject}}',
    sitrep_published: 'New situation report: {{subject}}',
  },
  settings_link: 'Choose my notifications (in Vigie, by e-mail)',
  settings: {
    title: 'Notifications',
    intro: 'Choose what you are told about, in Vigie and by e-mail.',
    topic: 'Topic', in_app: 'In Vigie', by_email: 'By e-mail',
    email: 'E-mail address', email_hint: 'Only notifications received after the address is saved are sent.',
    mail_ceiling: 'E-mails never carry content classified above “{{level}}”: only a link to Vigie.',
    no_mail: 'This server sends no e-mail: notifications stay in Vigie.',
    topics: {
      assigned: 'Action assigned to my state', report_decision: 'My report rejected or returned (with the reason)',
      alert: 'Alert concerning my state', value_returned: 'Indicator value returned',
      action_due: 'Action due or overdue', sitrep: 'New situation report',
    },
    save: 'Save', saved: 'Settings saved.',
  },
};
