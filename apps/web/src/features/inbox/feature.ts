import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';
import { NotificationsBell } from './NotificationsBell';

const NotificationsPage = lazy(() => import('./NotificationsPage').then((m) => ({ default: m.NotificationsPage })));

/** The in-app inbox: every signed-in user's own notifications, reached from the bell in the header. */
export const inboxFeature: Feature = {
  id: 'inbox',
  routes: [{ path: '/notifications', component: NotificationsPage }],
  headerItem: NotificationsBell,
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
