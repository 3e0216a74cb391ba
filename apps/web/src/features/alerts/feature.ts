import { lazy } from 'react';
import type { Feature } from '../feature';
import { AlertsBadge } from './AlertsBadge';
import { shell } from './shell-messages';

const AlertsListPage = lazy(() => import('./AlertsListPage').then((m) => ({ default: m.AlertsListPage })));
const AlertPage = lazy(() => import('./AlertPage').then((m) => ({ default: m.AlertPage })));

export const alertsFeature: Feature = {
  id: 'alerts',
  routes: [
    { path: '/alerts', component: AlertsListPage, permission: 'alert.read' },
    { path: '/alerts/:id', component: AlertPage, permission: 'alert.read' },
  ],
  nav: { path: '/alerts', labelKey: 'alerts.nav', order: 25, permission: 'alert.read', badge: AlertsBadge },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
