import { lazy } from 'react';
import type { Feature } from '../feature';

const ReviewPage = lazy(() => import('./ReviewPage').then((m) => ({ default: m.ReviewPage })));

export const reviewFeature: Feature = {
  id: 'review',
  routes: [{ path: '/review', component: ReviewPage, permission: 'incident.validate' }],
  nav: { path: '/review', labelKey: 'nav.review', order: 30, permission: 'incident.validate' },
  messages: { en: () => import('./messages.en').then((m) => m.en) },
};
