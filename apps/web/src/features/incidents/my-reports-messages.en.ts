import type { fr } from './my-reports-messages';
import type { shell } from './my-reports-shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
  nav: 'My reports',
  title: 'My reports',
  intro: 'The reports you entered, most recently changed first.',
  none: 'You have not entered any report yet.',
  col_date: 'Date of events', col_place: 'Place', col_status: 'Status', col_updated: 'Changed on', col_reason: 'Reason for rejection',
  open: 'Open', more: 'Show more',
};
