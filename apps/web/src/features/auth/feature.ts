import type { Feature } from '../feature';
import { TotpEnrollPage } from './TotpEnrollPage';

/** Account pages reachable once signed in (the sign-in page itself is shown by the shell). */
export const authFeature: Feature = {
  id: 'auth',
  routes: [{ path: '/account/totp', component: TotpEnrollPage }],
};
