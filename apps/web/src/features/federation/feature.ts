import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const FederationPage = lazy(() => import('./FederationPage').then((m) => ({ default: m.FederationPage })));

/** The federation's links, for the node's administrators (docs/federation.md). */
export const federationFeature: Feature = {
  id: 'federation',
  routes: [{ path: '/federation', component: FederationPage, permission: 'federation.manage' }],
  nav: { path: '/federation', labelKey: 'federation.nav', order: 96, permission: 'federation.manage' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
