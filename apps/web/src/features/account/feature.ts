import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const AccountPage = lazy(() => import('./AccountPage').then((m) => ({ default: m.AccountPage })));

/** "Mon compte": every signed-in user, reached from the header (not the main navigation). */
export const accountFeature: Feature = {
  id: 'account',
  routes: [{ path: '/account', component: AccountPage }],
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
