/**
 * One EventSource on /api/v1/alerts/stream per page load, shared by the badge and the pages. The server sends only
 * the alerts the signed-in reader may see, and `alert.withdrawn` (an id) when one held from the confederation that
 * they could see is gone from what they may see; the browser reconnects by itself after a cut (retry 5 s).
 */
import { useEffect, useRef } from 'react';
import type { AlertWithdrawn } from '@vigie/domain/alert.schema';
import type { Alert, LiveChange } from './alerts-data';

export type { AlertEventKind, LiveChange } from './alerts-data';
type Listener = (change: LiveChange) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/alerts/stream', { withCredentials: true });
  for (const kind of ['issued', 'acknowledged', 'responded', 'closed', 'updated'] as const) {
    source.addEventListener(`alert.${kind}`, (e) => {
      const alert = JSON.parse((e as MessageEvent<string>).data) as Alert;
      for (const fn of listeners) fn({ kind, alert });
    });
  }
  source.addEventListener('alert.withdrawn', (e) => {
    const gone = JSON.parse((e as MessageEvent<string>).data) as AlertWithdrawn;
    for (const fn of listeners) fn({ kind: 'withdrawn', gone });
  });
}

function disconnect(): void {
  if (listeners.size === 0 && source) {
    source.close();
    source = null;
  }
}

/** Calls `onEvent` for every live alert change while the component is mounted. */
export function useAlertStream(onEvent: Listener, enabled = true): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    if (!enabled) return;
    const fn: Listener = (c) => ref.current(c);
    listeners.add(fn);
    connect();
    return () => {
      listeners.delete(fn);
      disconnect();
    };
  }, [enabled]);
}
