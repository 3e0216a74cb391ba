import { lazy } from 'react';
import type { Feature } from '../feature';

const TotpEnrollPage = lazy(() => import('./TotpEnrollPage').then((m) => ({ default: m.TotpEnrollPage })));

/** Account pages reachable once signed in (the sign-in page itself is shown by the shell). */
export const authFeature: Feature = {
  id: 'auth',
  routes: [{ path: '/account/totp', component: TotpEnrollPage }],
};
