import type { fr } from './messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof fr = {
  locked: 'Locked until {{until}}', unlock: 'Unlock', unlocked: 'Account {{login}} unlocked.',
  locked_count_one: '{{count}} account locked after repeated failed sign-ins', locked_count_other: '{{count}} accounts locked after repeated failed sign-ins',
};
