import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const ForecastPage = lazy(() => import('./ForecastPage').then((m) => ({ default: m.ForecastPage })));

export const forecastFeature: Feature = {
  id: 'forecast',
  routes: [{ path: '/forecast', component: ForecastPage, permission: 'aggregate.read' }],
  nav: { path: '/forecast', labelKey: 'forecast.nav', order: 45, permission: 'aggregate.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
