import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const CoordinationPage = lazy(() => import('./CoordinationPage').then((m) => ({ default: m.CoordinationPage })));
const MeetingPage = lazy(() => import('./MeetingPage').then((m) => ({ default: m.MeetingPage })));

export const coordinationFeature: Feature = {
  id: 'coordination',
  routes: [
    { path: '/coordination', component: CoordinationPage, permission: 'coordination.read' },
    { path: '/coordination/meetings/:id', component: MeetingPage, permission: 'coordination.read' },
  ],
  nav: { path: '/coordination', labelKey: 'coordination.nav', order: 55, permission: 'coordination.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
