import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const HeldPage = lazy(() => import('./HeldPage').then((m) => ({ default: m.HeldPage })));

/** On a national node: what it holds from the confederation, read-only, and its state's answers (docs/federation.md). */
export const heldFeature: Feature = {
  id: 'held',
  routes: [{ path: '/confederation', component: HeldPage, permission: 'alert.read' }],
  // In the menu of a national node only (elsewhere nothing is held from the confederation).
  nav: { path: '/confederation', labelKey: 'held.nav', order: 95, permission: 'alert.read', when: (s) => s.federation_role === 'national' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
