import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const GazetteerPage = lazy(() => import('./GazetteerPage').then((m) => ({ default: m.GazetteerPage })));

/** Boundary sets over time and the re-placement jobs after an import, for reference managers (docs/geography.md). */
export const gazetteerFeature: Feature = {
  id: 'gazetteer',
  routes: [{ path: '/gazetteer', component: GazetteerPage, permission: 'reference.manage' }],
  nav: { path: '/gazetteer', labelKey: 'gazetteer.nav', order: 97, permission: 'reference.manage' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
