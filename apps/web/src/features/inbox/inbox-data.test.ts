import { describe, expect, it } from 'vitest';
import { notificationHref } from './inbox-data';

describe('notificationHref', () => {
  it('links only to pages the reader may open', () => {
    const reporter = (p: string) => ['incident.read', 'alert.read'].includes(p);
    const dm = (p: string) => ['alert.read', 'coordination.read'].includes(p);
    expect(notificationHref({ object_type: 'incident', object_id: 'x' }, reporter)).toBe('/incidents/x');
    expect(notificationHref({ object_type: 'incident', object_id: 'x' }, dm)).toBeNull();
    expect(notificationHref({ object_type: 'action', object_id: 'a' }, reporter)).toBeNull();
    expect(notificationHref({ object_type: 'action', object_id: 'a' }, dm)).toBe('/coordination');
    expect(notificationHref({ object_type: 'alert', object_id: 'y' }, dm)).toBe('/alerts/y');
  });
});
