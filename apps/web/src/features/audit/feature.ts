import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const AuditPage = lazy(() => import('./AuditPage').then((m) => ({ default: m.AuditPage })));

export const auditFeature: Feature = {
  id: 'audit',
  routes: [{ path: '/audit', component: AuditPage, permission: 'audit.read' }],
  nav: { path: '/audit', labelKey: 'audit.nav', order: 95, permission: 'audit.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
