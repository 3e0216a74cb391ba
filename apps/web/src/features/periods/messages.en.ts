import type { fr } from './messages';
import type { shell } from './shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
  nav: 'Compare periods',
  title: 'Compare periods',
  to_dashboard: 'Dashboard',
  period: 'Period',
  kind: { week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year', custom: 'Chosen dates' },
  from: 'From', to: 'To',
  earlier: '◀ Earlier', later: 'Later ▶',
  complete: 'Period over: compared whole.',
  in_progress: 'In progress',
  elapsed_one: '{{count}} day of {{days}} gone by.',
  elapsed_other: '{{count}} days of {{days}} gone by.',
  like_for_like_one: 'To compare like for like, the other periods count their first day only.',
  like_for_like_other: 'To compare like for like, the other periods count their first {{count}} days only.',
  vs_previous: 'against {{name}}: {{value}}',
  vs_last_year: 'against {{name}}: {{value}}',
  whole: 'whole period: {{value}}',
  open_list: 'See the incidents of the period',
  by_state: 'By state',
  by_state_hint: 'Under each figure: the change against {{previous}}, then against {{last_year}}.',
  open_alerts: 'Open alerts',
  no_alerts: 'No open alert.',
  latest: 'Latest incidents of the period',
  none: 'No validated incident in the period.',
  toll: 'killed: {{n}}, of whom civilians: {{civilians}}',
};
