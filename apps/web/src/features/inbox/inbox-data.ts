/** Pure helpers of the inbox: where a notification leads, and the unread count shared by the bell and the page. */
import type { Notification } from '@vigie/domain/notification.schema';
import type { Permission } from '@vigie/domain/permissions';

/** The page a notification opens, or null when the reader has no page for it (never a dead link). */
export function notificationHref(n: Pick<Notification, 'object_type' | 'object_id'>, can: (p: Permission) => boolean): string | null {
  switch (n.object_type) {
    case 'incident': return can('incident.read') ? `/incidents/${n.object_id}` : null;
    case 'alert': return can('alert.read') ? `/alerts/${n.object_id}` : null;
    case 'action': return can('coordination.read') ? '/coordination' : null;
    case 'indicator_value': return can('indicator_value.enter') ? '/strategy/values' : null;
    case 'sitrep': return can('sitrep.read') ? `/sitreps/${n.object_id}` : null;
  }
}

type Listener = (unread: number) => void;
const listeners = new Set<Listener>();

/** Tells the bell the new unread count (after the page marked some read). */
export function publishUnread(unread: number): void {
  for (const l of listeners) l(unread);
}
export function onUnread(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
