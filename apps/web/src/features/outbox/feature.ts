import type { Feature } from '../feature';
import { OutboxHeader } from './OutboxHeader';

/** The offline outbox: reports kept on the device until the server confirms them; its count in the header. */
export const outboxFeature: Feature = {
  id: 'outbox',
  routes: [],
  headerItem: OutboxHeader,
  messages: { en: () => import('./messages.en').then((m) => m.en) },
};
