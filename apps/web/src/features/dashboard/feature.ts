import type { Feature } from '../feature';
import { DashboardPage } from './DashboardPage';

/** The dashboard is the first view: bundled with the shell (no extra round trip), only the map loads later. */
export const dashboardFeature: Feature = {
  id: 'dashboard',
  routes: [{ path: '/', component: DashboardPage, permission: 'aggregate.read' }],
  nav: { path: '/', labelKey: 'nav.dashboard', order: 10, permission: 'aggregate.read' },
};
