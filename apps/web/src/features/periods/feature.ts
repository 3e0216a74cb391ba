import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const ComparePage = lazy(() => import('./ComparePage').then((m) => ({ default: m.ComparePage })));

/** Period over period: a week, month, quarter, year or chosen dates beside the period before and the same one last year. */
export const periodsFeature: Feature = {
  id: 'periods',
  routes: [{ path: '/compare', component: ComparePage, permission: 'aggregate.read' }],
  nav: { path: '/compare', labelKey: 'periods.nav', order: 11, permission: 'aggregate.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
