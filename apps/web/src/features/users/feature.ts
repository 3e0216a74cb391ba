import { lazy } from 'react';
import type { Feature } from '../feature';

const UsersPage = lazy(() => import('./UsersPage').then((m) => ({ default: m.UsersPage })));

export const usersFeature: Feature = {
  id: 'users',
  routes: [{ path: '/users', component: UsersPage, permission: 'user.manage' }],
  nav: { path: '/users', labelKey: 'nav.users', order: 90, permission: 'user.manage' },
  messages: { en: () => import('./messages.en').then((m) => m.en) },
};
