import type { Feature } from '../feature';

/** A record's files (evidence received with OpenRosa submissions), shown on the incident page: strings only. */
export const attachmentsFeature: Feature = {
  id: 'attachments',
  routes: [],
  messages: { en: () => import('./messages.en').then((m) => m.en) },
};
