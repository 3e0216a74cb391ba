import { lazy } from 'react';
import type { Feature } from '../feature';

const MapPage = lazy(() => import('./MapPage').then((m) => ({ default: m.MapPage })));

export const mapFeature: Feature = {
  id: 'map',
  routes: [{ path: '/map', component: MapPage, permission: 'aggregate.read' }],
  nav: { path: '/map', labelKey: 'nav.map', order: 40, permission: 'aggregate.read' },
};
