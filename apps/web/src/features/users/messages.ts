import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the users page beyond the catalogue's `users` ones (locked accounts), French first; merged under `users`. */
export const fr = {
  locked: 'Verrouillé jusqu’à {{until}}', unlock: 'Déverrouiller', unlocked: 'Compte {{login}} déverrouillé.',
  locked_count_one: '{{count}} compte verrouillé après des échecs de connexion répétés', locked_count_other: '{{count}} comptes verrouillés après des échecs de connexion répétés',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('users', fr);
