import { lazy } from 'react';
import type { Feature } from '../feature';

const UsersPage = lazy(() => import('./UsersPage').then((m) => ({ default: m.UsersPage })));

export const usersFeature: Feature = {
  id: 'users',
  routes: [{ path: '/users', component: UsersPage, permission: 'user.manage' }],
  nav: { path: '/users', labelKey: 'nav.users', order: 90, permission: 'user.manage' },
  // Merged into the `users` strings of the catalogue.
  messages: {
    fr: { locked: 'Verrouillé jusqu’à {{until}}', unlock: 'Déverrouiller', unlocked: 'Compte {{login}} déverrouillé.', locked_count_one: '{{count}} compte verrouillé après des échecs de connexion répétés', locked_count_other: '{{count}} comptes verrouillés après des échecs de connexion répétés' },
    en: async () => ({ locked: 'Locked until {{until}}', unlock: 'Unlock', unlocked: 'Account {{login}} unlocked.', locked_count_one: '{{count}} account locked after repeated failed sign-ins', locked_count_other: '{{count}} accounts locked after repeated failed sign-ins' }),
  },
};
