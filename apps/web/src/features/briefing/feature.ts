import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const BriefingPage = lazy(() => import('./BriefingPage').then((m) => ({ default: m.BriefingPage })));

/** The briefing: the decision maker's landing page, and a summary anyone with the figures may open. */
export const briefingFeature: Feature = {
  id: 'briefing',
  routes: [{ path: '/briefing', component: BriefingPage, permission: 'aggregate.read' }],
  nav: { path: '/briefing', labelKey: 'briefing.nav', order: 5, permission: 'aggregate.read' },
  landingFor: ['decision_maker'],
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
