import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const SitrepsPage = lazy(() => import('./SitrepsPage').then((m) => ({ default: m.SitrepsPage })));
const SitrepPage = lazy(() => import('./SitrepPage').then((m) => ({ default: m.SitrepPage })));

/** Situation reports: the archive with its search, one report, and the generate form for analysts. */
export const sitrepsFeature: Feature = {
  id: 'sitreps',
  routes: [
    { path: '/sitreps', component: SitrepsPage, permission: 'sitrep.read' },
    { path: '/sitreps/:id', component: SitrepPage, permission: 'sitrep.read' },
  ],
  nav: { path: '/sitreps', labelKey: 'sitreps.nav', order: 47, permission: 'sitrep.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
